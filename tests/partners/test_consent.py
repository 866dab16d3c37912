"""An SME's consent to be found by kinds of partner: given, changed, withdrawn, dated, on its phone."""

import pytest
from django.urls import reverse

from sentra.core.models import AuditEntry
from sentra.partners.models import ConsentEvent, ConsentGrant, Offer, Partner
from sentra.partners.services import set_consent
from tests.registry.factories import SmeFactory

from .factories import OfferFactory, PartnerFactory


@pytest.fixture
def own_sme(sme_owner):
    return SmeFactory(name="Keripik Tempe Mbak Yuni", accounts=[sme_owner])


def grants(sme) -> dict[str, list[str]]:
    return dict(ConsentGrant.objects.filter(sme=sme).values_list("kind", "fields"))


def test_consent_is_given_changed_and_withdrawn_with_a_dated_history(own_sme, sme_owner):
    set_consent(sme=own_sme, actor=sme_owner, kinds=["bank", "retail"], fields=["contact", "products"])
    assert grants(own_sme) == {"bank": ["products", "contact"], "retail": ["products", "contact"]}

    set_consent(sme=own_sme, actor=sme_owner, kinds=["bank"], fields=["products"])
    assert grants(own_sme) == {"bank": ["products"]}

    set_consent(sme=own_sme, actor=sme_owner, kinds=[], fields=["products"])
    assert grants(own_sme) == {}

    history = list(ConsentEvent.objects.filter(sme=own_sme).order_by("at", "id"))
    assert [(e.action, e.kinds, e.fields) for e in history] == [
        ("given", ["retail", "bank"], ["products", "contact"]),
        ("changed", ["bank"], ["products"]),
        ("withdrawn", [], []),
    ]
    assert all(e.by == sme_owner and e.at for e in history)
    verbs = AuditEntry.objects.filter(object_id=str(own_sme.pk)).values_list("verb", flat=True)
    assert set(verbs) == {"partners.consent.given", "partners.consent.changed", "partners.consent.withdrawn"}


def test_saving_the_same_choice_again_records_nothing(own_sme, sme_owner):
    set_consent(sme=own_sme, actor=sme_owner, kinds=["bank"], fields=[])
    assert set_consent(sme=own_sme, actor=sme_owner, kinds=["bank"], fields=[]) is None
    assert ConsentEvent.objects.count() == 1


def test_withdrawing_a_kind_closes_the_open_offers_of_partners_of_that_kind_only(own_sme, sme_owner):
    set_consent(sme=own_sme, actor=sme_owner, kinds=["bank", "retail"], fields=[])
    from_bank = OfferFactory(sme=own_sme)
    answered = OfferFactory(sme=own_sme, partner=from_bank.partner, kind="training", status="accepted")
    from_shop = OfferFactory(sme=own_sme, partner=PartnerFactory(kind=Partner.Kind.RETAIL), kind="supply")

    set_consent(sme=own_sme, actor=sme_owner, kinds=["retail"], fields=[])

    statuses = dict(Offer.objects.values_list("pk", "status"))
    assert statuses == {from_bank.pk: "closed", answered.pk: "accepted", from_shop.pk: "open"}


def test_an_owner_chooses_on_the_consent_page_and_sees_the_history(en_client, own_sme, sme_owner):
    en_client.force_login(sme_owner)
    url = reverse("sme_partners:consent", args=[own_sme.public_id])
    page = en_client.get(url).content.decode()
    assert "Who may find my business" in page and "Bank or finance" in page and "Business contact" in page

    response = en_client.post(
        url, {"kinds": ["bank", "university"], "shared": ["products"], "action": "save"}
    )
    assert response.status_code == 302
    assert grants(own_sme) == {"bank": ["products"], "university": ["products"]}

    page = en_client.get(url).content.decode()
    assert "Consent given" in page and "Now found by: Bank or finance, University" in page

    en_client.post(url, {"kinds": ["bank"], "shared": ["products"], "action": "withdraw"})
    assert grants(own_sme) == {}
    assert "Consent withdrawn" in en_client.get(url).content.decode()


def test_an_unknown_kind_of_partner_is_refused_and_nothing_changes(en_client, own_sme, sme_owner):
    en_client.force_login(sme_owner)
    response = en_client.post(
        reverse("sme_partners:consent", args=[own_sme.public_id]),
        {"kinds": ["bank", "spammer"], "action": "save"},
    )
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert grants(own_sme) == {} and not ConsentEvent.objects.exists()


def test_an_owner_cannot_reach_the_consent_of_someone_elses_business(client, sme_owner):
    other = SmeFactory()
    client.force_login(sme_owner)
    url = reverse("sme_partners:consent", args=[other.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"kinds": ["bank"], "action": "save"}).status_code == 404
    assert grants(other) == {}


@pytest.mark.parametrize("role", ["officer", "partner", "cashier", "buyer", "outsider"])
def test_only_owners_choose_consent(client, personas, role, own_sme):
    client.force_login(personas[role])
    assert client.get(reverse("sme_partners:consent", args=[own_sme.public_id])).status_code == 403
    assert client.get(reverse("sme_partners:overview")).status_code == 403


def test_the_overview_lists_each_business_with_who_may_find_it(en_client, own_sme, sme_owner):
    set_consent(sme=own_sme, actor=sme_owner, kinds=["bank"], fields=[])
    SmeFactory(name="Batik Tulis Sari", accounts=[sme_owner], submitted=True)
    en_client.force_login(sme_owner)
    html = en_client.get(reverse("sme_partners:overview")).content.decode()
    assert "Keripik Tempe Mbak Yuni" in html and "Found by: Bank or finance" in html
    assert "Batik Tulis Sari" in html and "not verified yet" in html

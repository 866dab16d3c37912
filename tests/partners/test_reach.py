"""Partners reach SMEs with consent: search, profile, offer, answer — and withdrawal hides at once."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import CANARY_NIK, CANARY_PHONE, make_user
from sentra.accounts.models import Role
from sentra.core.models import AccessLog, AuditEntry
from sentra.partners.models import Offer, Partner
from sentra.partners.services import NoConsent, send_offer, set_consent
from sentra.registry.models import Sme
from tests.registry.factories import OwnerFactory, PermitFactory, SmeFactory

from .factories import OfferFactory, PartnerFactory, consent_to

FIND = reverse("partner:find_smes")
EVERYTHING = ["products", "contact", "owner_name", "address", "finance", "workers", "numbers"]


def profile_url(sme):
    return reverse("partner:sme_profile", args=[sme.public_id])


def offer_url(sme):
    return reverse("partner:offer_create", args=[sme.public_id])


def found(client, **query) -> list[str]:
    html = client.get(FIND, query).content.decode()
    return sorted(name for name in Sme.objects.values_list("name", flat=True) if f">{name}</a>" in html)


@pytest.fixture
def yuni(kecamatan, sme_owner):
    """A verified SME of the `sme_owner` persona, with canary personal data on its owner."""
    owner = OwnerFactory(nik=CANARY_NIK, phone=CANARY_PHONE, kecamatan=kecamatan["cikarang_utara"])
    return SmeFactory(
        name="Keripik Tempe Mbak Yuni",
        owner=owner,
        kecamatan=kecamatan["cikarang_utara"],
        kbli_code="10794",
        kbli_category="C",
        products="keripik tempe, keripik singkong",
        phone="+6281234567001",
        turnover=300_000_000,
        accounts=[sme_owner],
    )


OFFER = {"kind": "kur", "title": "KUR Mikro BJB", "message": "Bunga 6% per tahun.", "amount": "Rp 50.000.000"}


def test_a_bank_finds_only_verified_smes_that_let_banks_find_them(en_client, partner, bank, yuni, kecamatan):
    consent_to(yuni, Partner.Kind.BANK)
    consent_to(SmeFactory(name="Batik Untuk Toko"), Partner.Kind.RETAIL)
    consent_to(SmeFactory(name="Roti Belum Diverifikasi", submitted=True), Partner.Kind.BANK)
    consent_to(SmeFactory(name="Roti Digabung", merged_into=yuni), Partner.Kind.BANK)
    SmeFactory(name="Warung Tanpa Izin")
    en_client.force_login(partner)
    assert found(en_client) == ["Keripik Tempe Mbak Yuni"]


def test_the_search_filters_by_sector_kecamatan_scale_legality_and_words(
    en_client, partner, bank, yuni, kecamatan
):
    other = SmeFactory(name="Konveksi Sari Jaya", kecamatan=kecamatan["tambun_selatan"], kbli_code="14111",
                       kbli_category="C", products="seragam sekolah", nib=None)  # fmt: skip
    for sme in (yuni, other):
        consent_to(sme, Partner.Kind.BANK, fields=["products"])
    PermitFactory(sme=yuni)
    en_client.force_login(partner)
    assert found(en_client, kecamatan="32.16.06") == ["Konveksi Sari Jaya"]
    assert found(en_client, kbli="C") == ["Keripik Tempe Mbak Yuni", "Konveksi Sari Jaya"]
    assert found(en_client, kbli="G") == []
    assert found(en_client, scale="micro") == ["Keripik Tempe Mbak Yuni", "Konveksi Sari Jaya"]
    assert found(en_client, legality="nib") == ["Keripik Tempe Mbak Yuni"]
    assert found(en_client, legality="halal") == ["Keripik Tempe Mbak Yuni"]
    assert found(en_client, q="seragam") == ["Konveksi Sari Jaya"]
    assert found(en_client, q="kerip") == ["Keripik Tempe Mbak Yuni"]


def test_a_partner_cannot_search_by_nik(en_client, partner, bank, yuni):
    consent_to(yuni, Partner.Kind.BANK)
    en_client.force_login(partner)
    assert found(en_client, q=CANARY_NIK) == []


def test_a_partner_sees_only_what_the_sme_shares_and_never_nik_birth_date_or_owner_phone(
    en_client, partner, bank, yuni
):
    consent_to(yuni, Partner.Kind.BANK, fields=["products"])
    en_client.force_login(partner)
    page = en_client.get(profile_url(yuni)).content.decode()
    assert "keripik tempe" in page and "Yearly turnover" not in page and "+6281234567001" not in page
    assert yuni.owner.name not in page

    consent_to(yuni, Partner.Kind.BANK, fields=EVERYTHING)
    page = en_client.get(profile_url(yuni)).content.decode()
    assert "Rp 300.000.000" in page or "IDR 300,000,000" in page
    assert "+6281234567001" in page and yuni.owner.name in page and yuni.nib in page
    listing = en_client.get(FIND).content.decode()
    for html in (page, listing):
        assert CANARY_NIK not in html and CANARY_PHONE not in html
        assert yuni.owner.birth_date.strftime("%d-%m-%Y") not in html
        assert yuni.owner.birth_date.isoformat() not in html


def test_every_search_and_every_profile_view_is_in_the_access_log(client, partner, bank, yuni):
    consent_to(yuni, Partner.Kind.BANK, fields=["contact"])
    client.force_login(partner)
    client.get(FIND, {"q": "keripik", "kecamatan": "32.16.09"})
    client.get(FIND, {"page": "1"}, headers={"HX-Request": "true"})
    client.get(profile_url(yuni))

    search, partial, view = AccessLog.objects.filter(user=partner).order_by("at", "id")
    assert search.object_id == str(bank.pk) and search.row_count == 1 and partial.row_count == 1
    assert "q=keripik" in search.detail and "kecamatan=Cikarang Utara" in search.detail
    assert view.object_id == str(yuni.pk) and "contact" in view.fields and "Bank BJB" in view.detail


def test_a_bank_sends_an_offer_and_the_sme_answers_it(en_client, partner, bank, yuni, sme_owner):
    consent_to(yuni, Partner.Kind.BANK)
    en_client.force_login(partner)
    response = en_client.post(offer_url(yuni), OFFER)
    offer = Offer.objects.get()
    assert response.url == reverse("partner:offer_detail", args=[offer.public_id])
    assert (offer.partner, offer.sme, offer.amount, offer.status) == (bank, yuni, 50_000_000, "open")
    assert AuditEntry.objects.filter(verb="partners.offer.sent", object_id=str(offer.pk)).exists()

    client = Client()
    client.force_login(sme_owner)
    assert "KUR Mikro BJB" in client.get(reverse("sme_partners:overview")).content.decode()
    answer = reverse("sme_partners:offer", args=[offer.public_id])
    client.post(answer, {"decision": "accept", "answer": "Silakan hubungi saya Senin."})
    offer.refresh_from_db()
    assert offer.status == "accepted" and offer.answered_by == sme_owner

    assert client.post(answer, {"decision": "decline"}).status_code == 400
    offer.refresh_from_db()
    assert offer.status == "accepted"

    detail = en_client.get(reverse("partner:offer_detail", args=[offer.public_id])).content.decode()
    assert "Accepted" in detail and "Silakan hubungi saya Senin." in detail


def test_an_offer_to_an_sme_without_consent_is_impossible_404_not_403(client, partner, bank, yuni):
    consent_to(yuni, Partner.Kind.RETAIL)
    client.force_login(partner)
    assert client.get(profile_url(yuni)).status_code == 404
    assert client.get(offer_url(yuni)).status_code == 404
    assert client.post(offer_url(yuni), OFFER).status_code == 404
    assert not Offer.objects.exists()


def test_withdrawing_consent_hides_the_sme_at_once_even_from_an_open_search(
    en_client, partner, bank, yuni, sme_owner
):
    client = en_client
    consent_to(yuni, Partner.Kind.BANK, fields=["products"])
    client.force_login(partner)
    open_search = client.get(FIND).content.decode()
    assert profile_url(yuni) in open_search
    offer = OfferFactory(partner=bank, sme=yuni)

    set_consent(sme=yuni, actor=sme_owner, kinds=[], fields=[])

    # The links of the page already open lead nowhere; its htmx refresh and next page show nothing.
    assert client.get(profile_url(yuni)).status_code == 404
    assert client.post(offer_url(yuni), {**OFFER, "kind": "supply"}).status_code == 404
    assert profile_url(yuni) not in client.get(FIND, headers={"HX-Request": "true"}).content.decode()
    assert profile_url(yuni) not in client.get(FIND, {"page": "2"}).content.decode()
    # Its earlier offer stays in the bank's list, closed, without the SME's name.
    offers = client.get(reverse("partner:offer_list")).content.decode()
    assert yuni.name not in offers and "no longer shares its data with you" in offers
    offer.refresh_from_db()
    assert offer.status == "closed"


def test_a_consent_withdrawn_while_the_offer_is_being_written_stops_it(
    client, partner, bank, yuni, sme_owner
):
    consent_to(yuni, Partner.Kind.BANK)
    client.force_login(partner)
    assert client.get(offer_url(yuni)).status_code == 200
    set_consent(sme=yuni, actor=sme_owner, kinds=[Partner.Kind.RETAIL], fields=[])
    assert client.post(offer_url(yuni), OFFER).status_code == 404
    assert not Offer.objects.exists()


def test_a_second_open_offer_of_the_same_kind_and_a_past_answer_date_are_refused(
    en_client, partner, bank, yuni
):
    consent_to(yuni, Partner.Kind.BANK)
    en_client.force_login(partner)
    en_client.post(offer_url(yuni), OFFER)
    again = en_client.post(offer_url(yuni), OFFER)
    assert again.status_code == 400
    assert "already has an open offer of this kind" in again.content.decode()
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    late = en_client.post(offer_url(yuni), {**OFFER, "kind": "training", "valid_until": yesterday})
    assert late.status_code == 400 and "already passed" in late.content.decode()
    assert Offer.objects.count() == 1


def test_an_offer_without_a_message_is_refused(en_client, partner, bank, yuni):
    consent_to(yuni, Partner.Kind.BANK)
    en_client.force_login(partner)
    response = en_client.post(offer_url(yuni), {**OFFER, "message": "", "amount": "banyak"})
    assert response.status_code == 400
    assert not Offer.objects.exists()


def test_a_partner_sees_only_its_own_organisations_offers(client, partner, bank, yuni):
    other_bank = PartnerFactory(kind=Partner.Kind.BANK, name="Bank Lain")
    consent_to(yuni, Partner.Kind.BANK)
    theirs = OfferFactory(partner=other_bank, sme=yuni, title="Tawaran bank lain")
    client.force_login(partner)
    assert client.get(reverse("partner:offer_detail", args=[theirs.public_id])).status_code == 404
    assert "Tawaran bank lain" not in client.get(reverse("partner:offer_list")).content.decode()


def test_an_sme_owner_answers_only_offers_to_their_own_business(client, sme_owner):
    offer = OfferFactory(sme=SmeFactory())
    client.force_login(sme_owner)
    assert (
        client.post(reverse("sme_partners:offer", args=[offer.public_id]), {"decision": "accept"}).status_code
        == 404
    )


def test_an_offer_past_its_answer_date_can_no_longer_be_answered(client, sme_owner, yuni):
    offer = OfferFactory(sme=yuni, valid_until=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(sme_owner)
    url = reverse("sme_partners:offer", args=[offer.public_id])
    assert "Send my answer" not in client.get(url).content.decode()
    assert client.post(url, {"decision": "accept"}).status_code == 400
    offer.refresh_from_db()
    assert offer.status == "open"


def test_a_partner_user_not_linked_to_an_organisation_finds_nothing(client, partner):
    client.force_login(partner)
    assert client.get(FIND).status_code == 404


@pytest.mark.parametrize("role", ["officer", "sme_owner", "buyer", "outsider"])
def test_partner_pages_are_for_partner_users(client, personas, role):
    client.force_login(personas[role])
    assert client.get(FIND).status_code == 403
    assert client.get(reverse("partner:offer_list")).status_code == 403


@pytest.mark.parametrize("rows", [2, 14])
def test_the_search_costs_the_same_queries_however_many_smes(
    client, partner, bank, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        sme = SmeFactory()
        consent_to(sme, Partner.Kind.BANK, fields=["products"])
        PermitFactory(sme=sme)
    client.force_login(partner)
    # session, user, organisations; count; page; permits; access log
    with django_assert_max_num_queries(8):
        assert client.get(FIND).status_code == 200


def test_officers_see_the_flow_of_offers_to_smes_in_their_area(en_client, officer, kecamatan, yuni):
    OfferFactory(sme=yuni, title="KUR untuk Yuni", partner__name="Bank BJB")
    OfferFactory(sme=SmeFactory(kecamatan=kecamatan["tambun_selatan"]), title="KUR untuk Tambun")
    consent_to(yuni, Partner.Kind.BANK)
    en_client.force_login(officer)
    html = en_client.get(reverse("partners:offer_list")).content.decode()
    assert "KUR untuk Yuni" in html and "KUR untuk Tambun" not in html
    assert "1 verified SME lets partners find it" in html


@pytest.mark.parametrize("rows", [2, 12])
def test_the_offer_flow_costs_the_same_queries_however_many_offers(
    client, admin_user, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        OfferFactory(sme=SmeFactory())
    client.force_login(admin_user)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("partners:offer_list")).status_code == 200


def _race(*actions):
    """Run the actions at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            outcomes[index] = action()
        except Exception as exc:  # noqa: BLE001 — the outcome is what the test looks at
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL (set DATABASE_URL)")


OFFER_DATA = {
    "kind": "kur",
    "title": "KUR Mikro",
    "message": "Bunga 6%.",
    "amount": None,
    "valid_until": None,
}


@pytest.mark.django_db(transaction=True)
def test_two_colleagues_sending_the_same_offer_at_once_send_exactly_one(kecamatan, partner):
    _needs_postgresql()
    colleague = make_user("gilang_partner", Role.PARTNER)
    bank = PartnerFactory(kind=Partner.Kind.BANK, users=[partner, colleague])
    sme = SmeFactory()
    consent_to(sme, Partner.Kind.BANK)
    outcomes = _race(
        *(
            lambda user=user: send_offer(partner=bank, sme=sme, actor=user, data=OFFER_DATA)
            for user in (partner, colleague)
        )
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["Offer", "ValidationError"]
    assert Offer.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_offer_racing_a_withdrawal_never_stays_open_without_consent(kecamatan, partner, sme_owner):
    _needs_postgresql()
    bank = PartnerFactory(kind=Partner.Kind.BANK, users=[partner])
    sme = SmeFactory(accounts=[sme_owner])
    consent_to(sme, Partner.Kind.BANK)
    for _ in range(5):
        outcomes = _race(
            lambda: send_offer(partner=bank, sme=sme, actor=partner, data=OFFER_DATA),
            lambda: set_consent(sme=sme, actor=sme_owner, kinds=[], fields=[]),
        )
        # The offer came first and was closed by the withdrawal, or came second and was refused.
        assert not [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, NoConsent)]
        assert not Offer.objects.filter(status="open").exists()
        consent_to(sme, Partner.Kind.BANK)

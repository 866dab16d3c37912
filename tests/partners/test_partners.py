"""The officers' partner register: list, register, edit (with the partner users), detail."""

import pytest
from django.urls import reverse

from conftest import make_user
from sentra.accounts.models import Role
from sentra.core.models import AuditEntry
from sentra.partners.models import Partner

from .factories import AgreementFactory, PartnerFactory

LIST = reverse("partners:partner_list")


def test_an_officer_lists_partners_and_filters_them_by_type(en_client, officer):
    PartnerFactory(name="Bank BJB Cabang Cikarang", kind=Partner.Kind.BANK)
    PartnerFactory(name="Aeon Mall Deltamas", kind=Partner.Kind.RETAIL)
    en_client.force_login(officer)
    html = en_client.get(LIST).content.decode()
    assert "Bank BJB Cabang Cikarang" in html and "Aeon Mall Deltamas" in html and "2 partners" in html
    html = en_client.get(LIST, {"kind": "bank"}).content.decode()
    assert "Bank BJB Cabang Cikarang" in html and "Aeon Mall Deltamas" not in html


@pytest.mark.parametrize("role", ["sme_owner", "cashier", "partner", "buyer", "outsider"])
def test_the_partner_register_is_closed_outside_the_dinas(client, personas, role):
    partner = PartnerFactory()
    client.force_login(personas[role])
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("partners:partner_detail", args=[partner.public_id])).status_code == 403


@pytest.mark.parametrize("rows", [2, 15])
def test_the_partner_list_costs_the_same_queries_however_many_rows(
    client, officer, rows, django_assert_max_num_queries
):
    for n in range(rows):
        AgreementFactory(partners=[PartnerFactory(name=f"Mitra {n}")])
    client.force_login(officer)
    # session, user, scope; count; page of partners with their counts
    with django_assert_max_num_queries(5):
        assert client.get(LIST).status_code == 200


def test_an_officer_registers_a_bank_and_links_its_partner_user(en_client, officer, partner):
    make_user("not_a_partner", Role.BUYER)
    en_client.force_login(officer)
    form = en_client.get(reverse("partners:partner_create")).content.decode()
    assert "fajar_partner" in form and "not_a_partner" not in form

    response = en_client.post(
        reverse("partners:partner_create"),
        {"name": "Bank BJB Cabang Cikarang", "kind": "bank", "status": "active", "users": [partner.pk],
         "email": "cikarang@bankbjb.example", "website": "bankbjb.co.id"},
    )  # fmt: skip
    bank = Partner.objects.get()
    assert response.url == reverse("partners:partner_detail", args=[bank.public_id])
    assert list(bank.users.all()) == [partner]
    assert list(Partner.objects.of_user(partner)) == [bank]
    assert bank.website == "https://bankbjb.co.id"
    assert AuditEntry.objects.get(verb="partners.partner.created").changes["users"] == [
        None,
        ["fajar_partner"],
    ]


def test_a_partner_without_a_name_or_with_a_bad_email_is_refused(en_client, officer):
    en_client.force_login(officer)
    response = en_client.post(
        reverse("partners:partner_create"), {"name": "", "kind": "bank", "status": "active", "email": "bjb@"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in html and "Enter a valid email address." in html
    assert not Partner.objects.exists()


def test_an_edit_is_audited_with_the_users_before_and_after(en_client, officer, partner, bank):
    en_client.force_login(officer)
    en_client.post(
        reverse("partners:partner_edit", args=[bank.public_id]),
        {"name": "Bank BJB KCP Cikarang", "kind": "bank", "status": "active", "users": []},
    )
    bank.refresh_from_db()
    assert bank.name == "Bank BJB KCP Cikarang" and not bank.users.exists()
    changes = AuditEntry.objects.get(verb="partners.partner.updated").changes
    assert changes["name"] == ["Bank BJB Cabang Cikarang", "Bank BJB KCP Cikarang"]
    assert changes["users"] == [["fajar_partner"], []]
    detail = en_client.get(reverse("partners:partner_detail", args=[bank.public_id])).content.decode()
    assert "Change history" in detail and "Bank BJB KCP Cikarang" in detail

"""The pages: a buyer orders from the catalogue, each side steps through, scope holds, lists stay flat."""

import datetime as dt

import pytest
from django.urls import reverse

from sentra.bebeli.models import Purchase
from tests.registry.factories import SmeFactory

from .factories import OrganisationFactory, paid_purchase

S = Purchase.Status


def test_a_buyer_orders_from_the_catalogue_through_the_cart(client, buyer, organisation, seller, products):
    client.force_login(buyer)
    assert products[0].name in client.get(reverse("bebeli:shop")).content.decode()
    client.post(reverse("bebeli:cart_add"), {"product": products[0].public_id, "quantity": "3"})
    page = client.get(reverse("bebeli:cart")).content.decode()
    assert seller.name in page and "75.000" in page
    response = client.post(
        reverse("bebeli:checkout", args=[seller.pk]),
        {
            f"s{seller.pk}-po_number": "PO/DISDIK/7",
            f"s{seller.pk}-delivery_address": "Jl. Raya",
            f"s{seller.pk}-delivery_due": "",
        },
    )
    purchase = Purchase.objects.get()
    assert response.url == reverse("bebeli:purchase_detail", args=[purchase.public_id])
    assert (purchase.po_number, purchase.total, purchase.organisation) == (
        "PO/DISDIK/7",
        75_000,
        organisation,
    )
    assert client.session["bebeli_cart"] == {}


def test_checkout_without_a_po_number_writes_nothing(client, buyer, organisation, seller, products):
    client.force_login(buyer)
    client.post(reverse("bebeli:cart_add"), {"product": products[0].public_id, "quantity": "1"})
    client.post(reverse("bebeli:checkout", args=[seller.pk]), {f"s{seller.pk}-delivery_address": "Jl. Raya"})
    assert not Purchase.objects.exists()


def test_the_sme_accepts_and_delivers_and_the_buyer_confirms_and_pays(client, order, buyer, sme_owner):
    url = lambda step: reverse("bebeli:purchase_step", args=[order.public_id, step])  # noqa: E731
    client.force_login(sme_owner)
    assert (
        "PO/2024/001"
        in client.get(reverse("bebeli:purchase_detail", args=[order.public_id])).content.decode()
    )
    client.post(url("accept"))
    data = {"deliver-on": dt.date.today().isoformat(), "deliver-note": "SJ-01"}
    data.update({f"deliver-qty_{line.pk}": line.quantity for line in order.lines.all()})
    client.post(url("deliver"), data)
    client.force_login(buyer)
    client.post(url("receive"), {"receive-on": dt.date.today().isoformat()})
    client.post(url("pay"), {"pay-on": dt.date.today().isoformat(), "pay-reference": "SP2D 12"})
    client.force_login(sme_owner)
    client.post(url("confirm_paid"))
    order.refresh_from_db()
    assert order.status == S.PAID and order.payment_reference == "SP2D 12"


def test_a_step_the_user_may_not_take_shows_why_and_changes_nothing(client, order, buyer):
    client.force_login(buyer)
    response = client.post(reverse("bebeli:purchase_step", args=[order.public_id, "accept"]), follow=True)
    assert "tidak mungkin" in response.content.decode() or "not possible" in response.content.decode()
    order.refresh_from_db()
    assert order.status == S.ORDERED


def test_a_buyer_sees_only_its_organisations_purchases(client, order, buyer, seller, partner):
    other_buyer_org = OrganisationFactory(name="RSUD")
    foreign = paid_purchase(organisation=other_buyer_org, sme=seller)
    client.force_login(buyer)
    page = client.get(reverse("bebeli:purchase_list")).content.decode()
    assert "PO/2024/001" in page
    assert client.get(reverse("bebeli:purchase_detail", args=[foreign.public_id])).status_code == 404


def test_an_sme_owner_sees_only_its_own_smes_purchases(client, order, sme_owner, organisation):
    other = paid_purchase(organisation=organisation, sme=SmeFactory())
    client.force_login(sme_owner)
    assert client.get(reverse("bebeli:purchase_detail", args=[order.public_id])).status_code == 200
    assert client.get(reverse("bebeli:purchase_detail", args=[other.public_id])).status_code == 404


def test_a_scoped_officer_sees_only_purchases_from_their_kecamatan(
    client, officer, organisation, kecamatan, seller
):
    inside = paid_purchase(organisation=organisation, sme=seller)
    outside = paid_purchase(organisation=organisation, sme=SmeFactory(kecamatan=kecamatan["tambun_selatan"]))
    client.force_login(officer)
    assert client.get(reverse("bebeli:purchase_detail", args=[inside.public_id])).status_code == 200
    assert client.get(reverse("bebeli:purchase_detail", args=[outside.public_id])).status_code == 404


@pytest.mark.parametrize("role", ["partner", "cashier", "outsider"])
def test_other_roles_get_403(client, personas, role):
    client.force_login(personas[role])
    assert client.get(reverse("bebeli:purchase_list")).status_code == 403
    assert client.get(reverse("bebeli:report")).status_code == 403


def test_buyers_and_owners_cannot_open_the_officers_pages(client, buyer, sme_owner):
    for user in (buyer, sme_owner):
        client.force_login(user)
        assert client.get(reverse("bebeli:queue")).status_code == 403
        assert client.get(reverse("bebeli:report")).status_code == 403


def test_an_officer_verifies_from_the_queue(client, regency_officer, organisation, seller):
    paid = paid_purchase(organisation=organisation, sme=seller, verified=False)
    client.force_login(regency_officer)
    assert paid.sme.name in client.get(reverse("bebeli:queue")).content.decode()
    client.post(reverse("bebeli:purchase_step", args=[paid.public_id, "verify"]))
    paid.refresh_from_db()
    assert paid.verified_by == regency_officer


def test_a_buyer_records_an_outside_purchase_with_evidence(client, buyer, organisation, seller):
    from .test_services import _photo

    seller.nib = "1234567890123"
    seller.save()
    client.force_login(buyer)
    today = dt.date.today().isoformat()
    response = client.post(reverse("bebeli:outside_new"), {
        "sme_nib": "1234567890123", "bought_on": today, "invoice_number": "INV-9", "description": "Snack rapat",
        "quantity": "50", "unit_price": "12000", "paid_on": today, "payment_reference": "TRF", "evidence": _photo(),
    })  # fmt: skip
    assert response.status_code == 302
    assert Purchase.objects.get().total == 600_000


def test_an_outside_purchase_with_a_bad_amount_shows_the_error(client, buyer, organisation, seller):
    from .test_services import _photo

    seller.nib = "1234567890123"
    seller.save()
    client.force_login(buyer)
    today = dt.date.today().isoformat()
    response = client.post(reverse("bebeli:outside_new"), {
        "sme_nib": "1234567890123", "bought_on": today, "invoice_number": "INV-9", "description": "Snack",
        "quantity": "50", "unit_price": "12000.5", "paid_on": today, "payment_reference": "TRF", "evidence": _photo(),
    })  # fmt: skip
    assert response.status_code == 200 and not Purchase.objects.exists()


@pytest.mark.parametrize("rows", [1, 8])
def test_the_purchase_list_and_queue_queries_do_not_grow(client, regency_officer, organisation, seller, rows,
                                                         django_assert_max_num_queries):  # fmt: skip
    for i in range(rows):
        paid_purchase(organisation=organisation, sme=seller, verified=False, invoice=f"I{i}")
    client.force_login(regency_officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("bebeli:purchase_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("bebeli:queue")).status_code == 200

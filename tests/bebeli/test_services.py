"""Bad input is refused whole; prices are copied; flags inform; officers verify and correct with a reason."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sentra.bebeli import services
from sentra.bebeli.models import Purchase, PurchaseRevision
from sentra.registry.models import Sme
from tests.catalog.factories import ProductFactory
from tests.registry.factories import SmeFactory

from .factories import OrganisationFactory, paid_purchase

S = Purchase.Status


def today():
    # Asked each time, not at import: a long suite can cross midnight between the two.
    return dt.date.today()


def _photo(name="struk.png"):
    data = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(data, format="PNG")
    return SimpleUploadedFile(name, data.getvalue(), content_type="image/png")


def _order(buyer, organisation, sme, product, quantity=1):
    return services.place_order(user=buyer, organisation=organisation, sme=sme,
                                lines=[services.CartLine(product, quantity)], po_number="PO-1",
                                delivery_address="Jl. Uji", delivery_due=None)  # fmt: skip


def test_an_order_copies_the_catalogue_price_of_the_day(order, products):
    line = order.lines.get(product=products[0])
    assert (line.unit_price, line.catalogue_price, line.quantity) == (25_000, 25_000, 4)
    products[0].price = 30_000
    products[0].save()
    line.refresh_from_db()
    assert line.unit_price == 25_000
    assert order.total == 4 * 25_000 + 2 * 100_000


@pytest.mark.parametrize("status", [Sme.Status.SUBMITTED, Sme.Status.INACTIVE, Sme.Status.REJECTED])
def test_an_order_from_an_unverified_or_inactive_sme_is_refused(
    buyer, organisation, seller, products, status
):
    Sme.objects.filter(pk=seller.pk).update(status=status)
    seller.refresh_from_db()
    with pytest.raises(ValidationError, match="bukan UMKM aktif"):
        _order(buyer, organisation, seller, products[0])
    assert not Purchase.objects.exists()


def test_a_merged_sme_cannot_sell(buyer, organisation, seller, products):
    Sme.objects.filter(pk=seller.pk).update(merged_into=SmeFactory())
    seller.refresh_from_db()
    with pytest.raises(ValidationError):
        _order(buyer, organisation, seller, products[0])


def test_a_buyer_orders_only_for_their_own_organisation(buyer, seller, products):
    other = OrganisationFactory(name="RSUD Cibitung")
    with pytest.raises(ValidationError, match="organisasi tempat Anda"):
        _order(buyer, other, seller, products[0])


def test_a_product_of_another_sme_or_unpublished_cannot_be_ordered(buyer, organisation, seller):
    draft = ProductFactory(sme=seller, draft=True)
    with pytest.raises(ValidationError):
        _order(buyer, organisation, seller, draft)
    with pytest.raises(ValidationError):
        _order(buyer, organisation, seller, ProductFactory())


@pytest.mark.parametrize("quantity", [0, -2, 1.5, True])
def test_quantities_are_positive_whole_numbers(buyer, organisation, seller, products, quantity):
    with pytest.raises(ValidationError):
        _order(buyer, organisation, seller, products[0], quantity)
    assert not Purchase.objects.exists()


def _outside(buyer, organisation, sme, **overrides):
    values = {"user": buyer, "organisation": organisation, "sme": sme, "bought_on": today() - dt.timedelta(days=5),
                  "invoice_number": "INV-77", "items": [services.ItemLine("Nasi kotak", 100, 25_000)],
                  "paid_on": today(), "payment_reference": "TRF-1", "evidence": _photo()}  # fmt: skip
    values.update(overrides)
    return services.record_outside_purchase(**values)


def test_an_outside_purchase_counts_once_the_sme_confirms_it(buyer, organisation, seller, sme_owner):
    purchase = _outside(buyer, organisation, seller)
    assert purchase.status == S.RECORDED and purchase.total == 2_500_000 and purchase.evidence
    services.confirm_paid(purchase=purchase, user=sme_owner)
    purchase.refresh_from_db()
    assert purchase.status == S.PAID


def test_an_outside_purchase_the_sme_does_not_recognise_is_disputed(buyer, organisation, seller, sme_owner):
    purchase = _outside(buyer, organisation, seller)
    services.dispute_purchase(purchase=purchase, user=sme_owner, reason="Bukan dari kami")
    purchase.refresh_from_db()
    assert purchase.status == S.DISPUTED and purchase.dispute_reason == "Bukan dari kami"


@pytest.mark.parametrize(
    "overrides",
    [
        {"evidence": SimpleUploadedFile("struk.png", b"not an image", content_type="image/png")},
        {"evidence": SimpleUploadedFile("struk.exe", b"MZ", content_type="application/octet-stream")},
        {"items": [services.ItemLine("Nasi kotak", 10, 0)]},
        {"items": [services.ItemLine("Nasi kotak", 10, -5)]},
        {"items": [services.ItemLine("Nasi kotak", 10, 2500.5)]},
        {"items": []},
        {"invoice_number": " "},
        {"paid_on": today() - dt.timedelta(days=30)},
    ],
)
def test_a_bad_outside_purchase_is_refused_whole(buyer, organisation, seller, overrides):
    with pytest.raises(ValidationError):
        _outside(buyer, organisation, seller, **overrides)
    assert not Purchase.objects.exists()


def test_same_invoice_number_twice_flags_both(buyer, organisation, seller):
    first = _outside(buyer, organisation, seller)
    second = _outside(buyer, organisation, seller)
    first.refresh_from_db()
    assert "duplicate_invoice" in first.flags and "duplicate_invoice" in second.flags


def test_a_purchase_over_fifty_million_is_flagged_not_blocked(buyer, organisation, seller):
    purchase = _outside(buyer, organisation, seller, items=[services.ItemLine("Seragam", 1, 50_000_001)])
    assert purchase.flags == ["large"]
    at_limit = _outside(buyer, organisation, seller, invoice_number="INV-78",
                        items=[services.ItemLine("Seragam", 1, 50_000_000)])  # fmt: skip
    assert at_limit.flags == []


def test_a_unit_price_far_above_the_catalogue_is_flagged(buyer, organisation, seller, products):
    purchase = _outside(
        buyer, organisation, seller, items=[services.ItemLine("Keripik", 1, 40_000, products[0])]
    )
    assert "price_above" in purchase.flags  # 40,000 against 25,000 in the catalogue
    near = _outside(buyer, organisation, seller, invoice_number="INV-2",
                    items=[services.ItemLine("Keripik", 1, 30_000, products[0])])  # fmt: skip
    assert "price_above" not in near.flags


def test_payment_more_than_thirty_days_after_receipt_is_flagged(buyer, organisation, seller):
    late = _outside(buyer, organisation, seller, bought_on=today() - dt.timedelta(days=31))
    on_time = _outside(
        buyer, organisation, seller, invoice_number="INV-3", bought_on=today() - dt.timedelta(days=30)
    )
    assert "late_payment" in late.flags and "late_payment" not in on_time.flags


def test_only_paid_purchases_can_be_verified_and_only_by_an_officer(
    order, officer, buyer, organisation, seller
):
    with pytest.raises(ValidationError):
        services.verify_purchase(purchase=order, officer=officer)
    paid = paid_purchase(organisation=organisation, sme=seller, verified=False)
    with pytest.raises(ValidationError):
        services.verify_purchase(purchase=paid, officer=buyer)
    services.verify_purchase(purchase=paid, officer=officer)
    paid.refresh_from_db()
    assert paid.verified_by == officer and paid.is_counted
    with pytest.raises(ValidationError):
        services.verify_purchase(purchase=paid, officer=officer)


def test_a_correction_after_confirmation_needs_an_officer_and_a_reason_and_keeps_both(
    organisation, seller, officer, sme_owner
):
    paid = paid_purchase(organisation=organisation, sme=seller, total=1_000_000)
    with pytest.raises(ValidationError):
        services.correct_purchase(
            purchase=paid, officer=sme_owner, reason="salah ketik", changes={"total": 900_000}
        )
    with pytest.raises(ValidationError):
        services.correct_purchase(purchase=paid, officer=officer, reason="", changes={"total": 900_000})
    with pytest.raises(ValidationError):
        services.correct_purchase(purchase=paid, officer=officer, reason="x", changes={"total": 0})
    services.correct_purchase(
        purchase=paid, officer=officer, reason="Faktur dikoreksi", changes={"total": 900_000}
    )
    paid.refresh_from_db()
    revision = PurchaseRevision.objects.get(purchase=paid)
    assert paid.total == 900_000
    assert revision.before["total"] == 1_000_000 and revision.after["total"] == 900_000
    assert revision.reason == "Faktur dikoreksi" and revision.officer == officer


def test_a_purchase_not_yet_confirmed_cannot_be_corrected_by_an_officer(order, officer):
    with pytest.raises(ValidationError):
        services.correct_purchase(purchase=order, officer=officer, reason="x", changes={"total": 5})

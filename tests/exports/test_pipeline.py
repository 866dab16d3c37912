"""The deal pipeline: stages follow what is recorded, dates keep their order, money stays exact."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from sentra.catalog.models import Category
from sentra.core.models import AuditEntry
from sentra.exports import services
from sentra.exports.models import ExportDeal, PurchaseOrder, Shipment
from tests.registry.factories import SmeFactory

from .factories import BuyerFactory, export_product, ordered, shipped_order

Stage = ExportDeal.Stage
pytestmark = pytest.mark.django_db


def _deal(officer=None, **kwargs):
    product = export_product()
    deal = services.open_deal(
        actor=officer, sme=product.sme, buyer=BuyerFactory(), inquiry_on=dt.date(2024, 1, 10), **kwargs
    )
    return deal, product


def _po(deal, product, **overrides):
    args = {
        "actor": None, "deal": deal, "number": "JP-2024-001", "ordered_on": dt.date(2024, 2, 1), "currency": "JPY",
        "rate": Decimal("105.25"), "incoterm": "FOB", "payment_terms": "deposit",
        "lines": [services.LineInput(product, 1200, 350)],
    }  # fmt: skip
    args.update(overrides)
    return services.record_purchase_order(**args)


def test_a_deal_walks_inquiry_quotation_order_production_shipment_payment(regency_officer):
    deal, product = _deal(regency_officer)
    assert deal.stage == Stage.INQUIRY
    services.add_quotation(
        actor=regency_officer, deal=deal, quoted_on=dt.date(2024, 1, 15), currency="JPY", amount_minor=420000
    )
    deal.refresh_from_db()
    assert deal.stage == Stage.QUOTED
    order = _po(deal, product, actor=regency_officer)
    assert (order.value_minor, order.value_idr) == (420_000, 44_205_000)  # ¥420,000 × 105.25
    services.start_production(actor=regency_officer, deal=deal, started_on=dt.date(2024, 2, 5))
    deal.refresh_from_db()
    assert deal.stage == Stage.PRODUCTION
    services.record_payment(
        actor=regency_officer, deal=deal, received_on=dt.date(2024, 2, 6), amount_minor=126000
    )
    services.record_shipment(
        actor=regency_officer,
        deal=deal,
        shipped_on=dt.date(2024, 3, 20),
        port="Tanjung Priok",
        peb_number="000123",
    )
    deal.refresh_from_db()
    assert deal.stage == Stage.SHIPPED and deal.paid_on is None
    services.record_payment(
        actor=regency_officer, deal=deal, received_on=dt.date(2024, 4, 2), amount_minor=294000
    )
    deal.refresh_from_db()
    assert (deal.stage, deal.paid_on) == (Stage.PAID, dt.date(2024, 4, 2))
    verbs = list(
        AuditEntry.objects.filter(object_id=str(deal.pk)).order_by("id").values_list("verb", flat=True)
    )
    assert verbs == [
        "exports.deal.opened", "exports.quotation.added", "exports.order.recorded", "exports.production.started",
        "exports.payment.recorded", "exports.shipment.recorded", "exports.payment.recorded",
    ]  # fmt: skip


def test_the_shipment_goes_to_the_buyers_country_unless_told_otherwise():
    order = shipped_order(on=dt.date(2024, 5, 1), buyer=BuyerFactory(country="MY"))
    assert order.shipment.destination_country.code == "MY"


def test_a_payment_in_full_before_the_shipment_makes_the_deal_paid_when_it_ships():
    order = ordered(on=dt.date(2024, 1, 5))
    services.record_payment(
        actor=None, deal=order.deal, received_on=dt.date(2024, 1, 6), amount_minor=order.value_minor
    )
    order.deal.refresh_from_db()
    assert order.deal.stage == Stage.ORDERED
    services.record_shipment(
        actor=None, deal=order.deal, shipped_on=dt.date(2024, 2, 1), port="Tanjung Priok"
    )
    order.deal.refresh_from_db()
    assert (order.deal.stage, order.deal.paid_on) == (Stage.PAID, dt.date(2024, 2, 1))


@pytest.mark.parametrize(("field", "value"), [("currency", ""), ("rate", None), ("rate", Decimal("0"))])
def test_a_purchase_order_without_currency_or_rate_is_refused(field, value):
    deal, product = _deal()
    with pytest.raises(ValidationError):
        _po(deal, product, **{field: value})
    assert not PurchaseOrder.objects.exists()
    deal.refresh_from_db()
    assert deal.stage == Stage.INQUIRY


def test_a_purchase_order_in_an_unlisted_currency_is_refused():
    deal, product = _deal()
    with pytest.raises(ValidationError):
        _po(deal, product, currency="XAU")


def test_a_purchase_order_cannot_mix_products_of_two_smes_or_repeat_a_buyers_number():
    deal, product = _deal()
    other = export_product()
    with pytest.raises(ValidationError, match="UMKM yang sama"):
        _po(deal, product, lines=[services.LineInput(product, 1, 100), services.LineInput(other, 1, 100)])
    _po(deal, product)
    second, product2 = _deal()
    second.buyer = deal.buyer
    second.save()
    with pytest.raises(ValidationError, match="sudah memiliki purchase order"):
        _po(second, product2)


def test_a_shipment_dated_before_its_purchase_order_is_refused_and_changes_nothing():
    order = ordered(on=dt.date(2024, 6, 1))
    with pytest.raises(ValidationError, match="sebelum purchase order"):
        services.record_shipment(
            actor=None, deal=order.deal, shipped_on=dt.date(2024, 5, 31), port="Tanjung Priok"
        )
    order.deal.refresh_from_db()
    assert order.deal.stage == Stage.ORDERED
    assert not Shipment.objects.exists()


def test_steps_cannot_be_dated_in_the_future_or_before_the_step_they_follow():
    deal, product = _deal()
    with pytest.raises(ValidationError):
        _po(deal, product, ordered_on=dt.date(2024, 1, 9))  # the inquiry came on 10 January
    with pytest.raises(ValidationError):
        _po(deal, product, ordered_on=dt.date.today() + dt.timedelta(days=2))


def test_a_payment_above_the_po_value_asks_for_confirmation_then_is_recorded():
    order = shipped_order(on=dt.date(2024, 3, 1))
    with pytest.raises(services.OverpaymentError):
        services.record_payment(
            actor=None, deal=order.deal, received_on=dt.date(2024, 3, 5), amount_minor=order.value_minor + 1
        )
    assert not order.payments.exists()
    services.record_payment(
        actor=None,
        deal=order.deal,
        received_on=dt.date(2024, 3, 5),
        amount_minor=order.value_minor + 1,
        confirm_over=True,
    )
    order.deal.refresh_from_db()
    assert order.deal.stage == Stage.PAID
    entry = AuditEntry.objects.filter(verb="exports.payment.recorded").get()
    assert entry.changes["over_value_confirmed"] == [None, True]


def test_a_paid_or_shipped_deal_cannot_be_cancelled_and_a_cancel_needs_a_reason():
    order = shipped_order(on=dt.date(2024, 3, 1))
    with pytest.raises(ValidationError):
        services.cancel_deal(actor=None, deal=order.deal, reason="Buyer changed their mind")
    deal, _product = _deal()
    with pytest.raises(ValidationError):
        services.cancel_deal(actor=None, deal=deal, reason="  ")
    services.cancel_deal(actor=None, deal=deal, reason="Buyer chose another supplier")
    deal.refresh_from_db()
    assert deal.stage == Stage.CANCELLED


def test_a_purchase_order_total_is_the_sum_of_its_lines_in_minor_units():
    sme = SmeFactory()
    a, b = export_product(sme=sme), export_product(sme=sme)
    order = services.record_purchase_order(
        actor=None, number="SG-7", ordered_on=dt.date(2024, 1, 2), currency="SGD", rate=Decimal("11650.123456"),
        incoterm="CIF", payment_terms="lc_sight", sme=sme, buyer=BuyerFactory(country="SG"),
        lines=[services.LineInput(a, 3, 1999), services.LineInput(b, 7, 1)],
    )  # fmt: skip
    assert order.value_minor == 3 * 1999 + 7
    # SGD 60.04 × 11,650.123456 = Rp 699,473.412… → 699,473
    assert order.value_idr == 699_473


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serialises writes"
)
def test_two_officers_recording_the_last_payment_at_once_record_it_once(
    transactional_db, officer, regency_officer
):
    # Another transactional test may have emptied the tables the catalogue's data migration filled.
    Category.objects.get_or_create(
        slug="makanan-ringan", defaults={"name_id": "Makanan ringan", "name_en": "Snacks"}
    )
    order = shipped_order(on=dt.date(2024, 3, 1))
    start = threading.Barrier(2)
    outcomes = []

    def pay(user):
        try:
            start.wait()
            services.record_payment(
                actor=user, deal=order.deal, received_on=dt.date(2024, 3, 5), amount_minor=order.value_minor
            )
            outcomes.append("done")
        except ValidationError:  # the second sees the first's payment: over the value, or no more payments
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(user,)) for user in (officer, regency_officer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done", "refused"]
    assert order.payments.count() == 1

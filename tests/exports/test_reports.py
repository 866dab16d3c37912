"""The export figures: products gone international, value by country and year, first-time SMEs,
median days from PO to shipment, and the export and domestic sales channels."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sentra.exports import reports, services
from sentra.sales import channels as sales
from tests.registry.factories import SmeFactory

from .factories import BuyerFactory, export_product, ordered, shipped_order

pytestmark = pytest.mark.django_db


def test_a_product_shipped_twice_counts_once(regency_officer):
    product = export_product()
    shipped_order(product=product, on=dt.date(2023, 5, 1))
    shipped_order(product=product, on=dt.date(2024, 2, 1))
    assert reports.products_gone_international(regency_officer) == 1
    report = reports.build(regency_officer)
    assert report.products_total == 1
    assert [(r.year, r.products_shipped, r.products_first, r.products_cumulative) for r in report.years] == [
        (2023, 1, 1, 1),
        (2024, 1, 0, 1),
    ]


def test_two_products_of_one_sme_count_twice_whether_on_one_po_or_two(regency_officer):
    sme = SmeFactory()
    a, b, c = (export_product(sme=sme) for _ in range(3))
    shipped_order(products=[a, b], on=dt.date(2024, 3, 1))
    shipped_order(product=c, on=dt.date(2024, 4, 1))
    assert reports.products_gone_international(regency_officer) == 3
    assert reports.build(regency_officer).smes_total == 1


def test_an_order_not_yet_shipped_puts_no_product_abroad(regency_officer):
    ordered(product=export_product())
    assert reports.products_gone_international(regency_officer) == 0


def test_the_count_by_the_end_of_a_year_leaves_out_later_first_shipments(regency_officer):
    shipped_order(product=export_product(), on=dt.date(2024, 12, 31))
    shipped_order(product=export_product(), on=dt.date(2025, 1, 1))
    assert reports.products_gone_international(regency_officer, by_end_of=2024) == 1
    assert reports.products_gone_international(regency_officer) == 2


def test_value_by_country_and_year_first_time_smes_and_median_days(regency_officer):
    jp, nl = BuyerFactory(country="JP"), BuyerFactory(country="NL")
    old_hand = SmeFactory()
    shipped_order(
        product=export_product(sme=old_hand),
        buyer=jp,
        on=dt.date(2023, 6, 10),
        ordered_on=dt.date(2023, 6, 1),
        rate=Decimal("16000"),
        quantity=10,
        unit_price_minor=1000,
    )  # USD 100 → Rp 1,600,000, 9 days
    shipped_order(
        product=export_product(sme=old_hand),
        buyer=nl,
        on=dt.date(2024, 6, 21),
        ordered_on=dt.date(2024, 6, 1),
        rate=Decimal("15000"),
        quantity=1,
        unit_price_minor=1000,
    )  # Rp 150,000, 20 days
    shipped_order(
        product=export_product(),
        buyer=jp,
        on=dt.date(2024, 7, 31),
        ordered_on=dt.date(2024, 7, 1),
        rate=Decimal("15000"),
        quantity=2,
        unit_price_minor=1000,
    )  # Rp 300,000, 30 days
    report = reports.build(regency_officer)
    cells = {(c["country"], cell["year"]): cell["value"] for c in report.country_years for cell in c["cells"]}
    assert cells == {("JP", 2023): 1_600_000, ("JP", 2024): 300_000, ("NL", 2023): 0, ("NL", 2024): 150_000}
    assert [(r.year, r.smes_first) for r in report.years] == [(2023, 1), (2024, 1)]
    assert [(r.year, r.median_days) for r in report.years] == [(2023, 9), (2024, 25)]
    assert report.median_days == 20
    assert [c["country"] for c in report.countries] == ["JP", "NL"]
    assert report.countries[0]["products"] == 2 and report.countries[0]["smes"] == 2


def test_an_officer_scoped_to_a_kecamatan_counts_only_its_smes(officer, kecamatan):
    shipped_order(
        product=export_product(sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"])), on=dt.date(2024, 1, 5)
    )
    shipped_order(
        product=export_product(sme=SmeFactory(kecamatan=kecamatan["tambun_selatan"])), on=dt.date(2024, 1, 5)
    )
    assert reports.products_gone_international(officer) == 1


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_the_report_costs_the_same_queries_whatever_the_shipments(regency_officer):
    shipped_order(product=export_product(), on=dt.date(2024, 1, 5))
    # Six reads, plus the officer's kecamatan scope read for each of the two base querysets.
    assert _queries(lambda: reports.build(regency_officer)) == 8
    for month in range(2, 8):
        shipped_order(product=export_product(), on=dt.date(2023, month, 5), buyer=BuyerFactory(country="SG"))
    assert _queries(lambda: reports.build(regency_officer)) == 8


def test_exports_reach_sales_totals_per_shipment_in_rupiah_verified_by_their_peb():
    sme = SmeFactory()
    shipped_order(
        product=export_product(sme=sme),
        on=dt.date(2024, 3, 1),
        rate=Decimal("15500"),
        quantity=100,
        unit_price_minor=250,
    )
    shipped_order(
        product=export_product(sme=sme),
        on=dt.date(2025, 1, 9),
        peb="",
        rate=Decimal("16000"),
        quantity=1,
        unit_price_minor=100,
    )
    ordered(product=export_product(sme=sme))  # ordered, never shipped: not a sale
    by_year = sales.totals(by="year", where=sales.SalesFilter(channels=["export"]))
    assert {key: t.amount for key, t in by_year.items()} == {(2024,): 3_875_000, (2025,): 16_000}
    verified = sales.grand_total(where=sales.SalesFilter(channels=["export"], verified_only=True))
    assert verified.amount == 3_875_000
    line = sales.lines(where=sales.SalesFilter(channels=["export"]))[0]
    assert line["sme_id"] == sme.pk and line["url"].startswith("/exports/shipments/")


def test_domestic_sales_to_other_regions_are_their_own_channel(regency_officer):
    sme = SmeFactory()
    data = {"buyer_name": "Toko Oleh-oleh Krisna", "province": "51", "city": "Denpasar", "sold_on": dt.date(2024, 8, 1),
            "amount": 4_500_000, "verified": True}  # fmt: skip
    services.record_domestic_sale(actor=regency_officer, sme=sme, data=data)
    services.record_domestic_sale(
        actor=regency_officer, sme=sme, data={**data, "amount": 500_000, "verified": False}
    )
    total = sales.totals(by="sme", where=sales.SalesFilter(channels=["domestic"]))[(sme.pk,)]
    assert (total.amount, total.count, total.by_channel) == (5_000_000, 2, {"domestic": 5_000_000})
    assert (
        sales.grand_total(where=sales.SalesFilter(channels=["domestic"], verified_only=True)).amount
        == 4_500_000
    )
    assert services  # the sale went through the service, audited

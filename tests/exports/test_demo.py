"""The export demo data tells the department's story, and loading it twice adds nothing."""

import datetime as dt

import pytest
from django.core.management import call_command

from sentra.core.models import AuditEntry
from sentra.demo.exports import BY_END_OF_2024
from sentra.exports import reports
from sentra.exports.models import DomesticSale, ExportDeal, Shipment
from sentra.exports.provinces import BALI
from sentra.registry.models import Sme

SCALE = DEMO_SCALE = 60


@pytest.fixture
def demo(demo_data, db):
    """The demo data, loaded once for this module (conftest.demo_data)."""


def test_the_demo_tells_the_export_story(demo, regency_officer):
    # Exactly 74 products gone international by the end of 2024, and more since.
    assert BY_END_OF_2024 == 74
    assert reports.products_gone_international(regency_officer, by_end_of=2024) == 74
    assert reports.products_gone_international(regency_officer) > 74
    report = reports.build(regency_officer)
    assert next(r for r in report.years if r.year == 2024).products_cumulative == 74
    # Shipments to Japan; products shipped twice; SMEs exporting several products.
    assert Shipment.objects.filter(destination_country="JP", shipped_on__year__lte=2024).exists()
    lines = reports.shipped_lines_in_scope(regency_officer)
    products = lines.values("product_id").distinct().count()
    assert lines.count() > products
    assert len({s["order__deal__sme_id"] for s in lines.values("order__deal__sme_id")}) < products
    # Sales to Bali; deals at every stage; facilitated and independent shipments.
    assert DomesticSale.objects.filter(province=BALI).count() >= 10
    stages = set(ExportDeal.objects.values_list("stage", flat=True))
    assert stages >= {"inquiry", "quoted", "ordered", "production", "shipped", "paid", "cancelled"}
    assert Shipment.objects.filter(customs_facilitation=True).exists()
    assert Shipment.objects.filter(customs_facilitation=False, dinas_facilitation=False).exists()
    # The demo owner exports; nothing is dated in the future.
    assert Sme.objects.filter(
        accounts__username="pemilik", export_deals__order__shipment__isnull=False
    ).exists()
    today = dt.date.today()
    assert not Shipment.objects.filter(shipped_on__gt=today).exists()
    assert not DomesticSale.objects.filter(sold_on__gt=today).exists()


def test_loading_the_demo_again_adds_no_export_records(demo):
    before = (
        ExportDeal.objects.count(),
        Shipment.objects.count(),
        DomesticSale.objects.count(),
        AuditEntry.objects.count(),
    )
    call_command("demo", scale=SCALE, verbosity=0)
    after = (
        ExportDeal.objects.count(),
        Shipment.objects.count(),
        DomesticSale.objects.count(),
        AuditEntry.objects.count(),
    )
    assert before == after

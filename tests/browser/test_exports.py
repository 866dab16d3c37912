"""Export facilitation in the browser: a purchase order from Japan, shipped and paid, counted."""

import datetime as dt

import pytest

from sentra.catalog.models import Category
from sentra.exports import services
from tests.exports.factories import BuyerFactory, ContactFactory, export_product, shipped_order
from tests.registry.factories import SmeFactory

from .conftest import serious_violations


@pytest.fixture
def export_world(transactional_db, kecamatan, sme_owner):
    # A transactional test empties the tables the catalogue's data migration filled.
    Category.objects.get_or_create(
        slug="makanan-ringan", defaults={"name_id": "Makanan ringan", "name_en": "Snacks"}
    )
    sme = SmeFactory(
        kecamatan=kecamatan["cikarang_utara"], accounts=[sme_owner], name="Keripik Tempe Bu Yuni"
    )
    product = export_product(sme=sme, name_id="Keripik Tempe Original", name_en="Original Tempeh Chips")
    buyer = BuyerFactory(name="Osaka Shokuhin Trading", country="JP")
    ContactFactory(buyer=buyer)
    earlier = shipped_order(
        product=export_product(), buyer=BuyerFactory(country="MY"), on=dt.date(2024, 3, 1)
    )
    services.record_domestic_sale(
        actor=None, sme=sme,
        data={"buyer_name": "Toko Oleh-oleh Krisna", "province": "51", "city": "Denpasar",
              "sold_on": dt.date(2024, 8, 1), "amount": 4_500_000, "verified": False},
    )  # fmt: skip
    return {"sme": sme, "product": product, "buyer": buyer, "earlier": earlier}


def _count(page, live_server) -> int:
    page.goto(live_server.url + "/exports/")
    return int(page.locator("#products-international").inner_text())


def test_an_officer_records_a_japanese_po_its_shipment_and_payment_and_the_count_grows(
    export_world, regency_officer, sign_in, live_server
):
    page = sign_in(regency_officer.username)
    before = _count(page, live_server)
    assert before == 1

    page.goto(f"{live_server.url}/exports/readiness/{export_world['sme'].public_id}/")
    page.locator(f"a[href$='/exports/orders/new/?sme={export_world['sme'].public_id}']").click()
    page.locator("select[name=buyer]").select_option(label=str(export_world["buyer"]))
    page.locator("input[name=number]").fill("OSK-2024-017")
    page.locator("input[name=ordered_on]").fill("2024-09-02")
    page.locator("select[name=currency]").select_option("JPY")
    page.locator("input[name=rate]").fill("105,25")
    page.locator("select[name='lines-0-product']").select_option(str(export_world["product"].pk))
    page.locator("input[name='lines-0-quantity']").fill("1200")
    page.locator("input[name='lines-0-unit_price']").fill("350")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/exports/deals/**")
    assert "JPY 420.000" in page.locator("#order-title").locator("..").inner_text()
    assert "Rp 44.205.000" in page.content()

    page.locator("details:has(form[action$='/shipment/']) summary").click()
    page.locator("input[name='shipment-shipped_on']").fill("2024-10-15")
    page.locator("input[name='shipment-port']").fill("Tanjung Priok, Jakarta")
    page.locator("input[name='shipment-peb_number']").fill("004512")
    page.locator("input[name='shipment-customs_facilitation']").check()
    page.locator("form[action$='/shipment/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("details:has(form[action$='/payment/'])").count() == 1

    page.locator("details:has(form[action$='/payment/']) summary").click()
    page.locator("input[name='payment-received_on']").fill("2024-10-30")
    page.locator("input[name='payment-amount']").fill("420000")
    page.locator("form[action$='/payment/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("main .badge.text-bg-success").count() >= 1  # paid
    assert serious_violations(page) == []

    assert _count(page, live_server) == before + 1


def test_a_shipment_before_its_po_is_refused_on_a_phone(export_world, regency_officer, sign_in, live_server):
    page = sign_in(regency_officer.username)
    page.set_viewport_size({"width": 375, "height": 740})
    deal = services.record_purchase_order(
        actor=regency_officer, sme=export_world["sme"], buyer=export_world["buyer"], number="OSK-9",
        ordered_on=dt.date(2024, 6, 1), currency="JPY", rate=105, incoterm="FOB", payment_terms="advance",
        lines=[services.LineInput(export_world["product"], 10, 100)],
    ).deal  # fmt: skip
    page.goto(f"{live_server.url}/exports/deals/{deal.public_id}/")
    page.locator("details:has(form[action$='/shipment/']) summary").click()
    page.locator("input[name='shipment-shipped_on']").fill("2024-05-01")
    page.locator("input[name='shipment-port']").fill("Tanjung Priok, Jakarta")
    page.locator("form[action$='/shipment/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("form[action$='/shipment/'] .alert-danger").is_visible()
    assert "2024-06-01" in page.locator("form[action$='/shipment/'] .alert-danger").inner_text()
    assert serious_violations(page) == []


def _officer_pages(world) -> list[str]:
    deal = world["earlier"].deal
    sale = world["sme"].domestic_sales.get()
    return [
        "/exports/", "/exports/readiness/", f"/exports/readiness/{world['sme'].public_id}/",
        f"/exports/readiness/product/{world['product'].public_id}/", "/exports/buyers/", "/exports/buyers/new/",
        f"/exports/buyers/{world['buyer'].public_id}/", "/exports/deals/", "/exports/deals/new/",
        f"/exports/orders/new/?sme={world['sme'].public_id}", f"/exports/deals/{deal.public_id}/",
        "/exports/shipments/", "/exports/products/", "/exports/reports/", "/exports/domestic/",
        f"/exports/domestic/new/{world['sme'].public_id}/", f"/exports/domestic/{sale.pk}/",
    ]  # fmt: skip


@pytest.mark.parametrize("width", [1280, 375])
def test_every_export_page_has_no_serious_accessibility_finding(export_world, regency_officer, sme_owner, sign_in,
                                                                live_server, page, width):  # fmt: skip
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(regency_officer.username)
    findings = {}
    for path in _officer_pages(export_world):
        page.goto(live_server.url + path)
        for details in page.locator("main details").all():
            details.evaluate("d => d.open = true")
        findings[path] = serious_violations(page)
    page.context.clear_cookies()
    sign_in(sme_owner.username)
    for path in ("/exports/my/", f"/exports/readiness/{export_world['sme'].public_id}/"):
        page.goto(live_server.url + path)
        findings["owner " + path] = serious_violations(page)
    assert {path: found for path, found in findings.items() if found} == {}

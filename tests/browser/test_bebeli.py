"""Bebeli in real Chromium: an OPD orders from the catalogue, the SME accepts and delivers on a phone, the
buyer confirms receipt and payment, an officer verifies, and the public total grows by exactly that much.

axe checks each new page at desktop and phone width along the way.
"""

import datetime as dt
import re

import pytest

from sentra.catalog.models import Category
from tests.bebeli.factories import OrganisationFactory, paid_purchase
from tests.catalog.factories import ProductFactory
from tests.registry.factories import SmeFactory

from .conftest import serious_violations

PHONE = {"width": 375, "height": 760}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path


@pytest.fixture
def world(transactional_db, kecamatan, sme_owner, buyer):
    Category.objects.get_or_create(
        slug="makanan-ringan", defaults={"name_id": "Makanan ringan", "name_en": "Snacks"}
    )
    sme = SmeFactory(
        kecamatan=kecamatan["cikarang_utara"], accounts=[sme_owner], name="Keripik Tempe Bu Yuni"
    )
    product = ProductFactory(
        sme=sme, name_id="Keripik Tempe Original", name_en="Original Tempeh Chips", price=25_000
    )
    organisation = OrganisationFactory(name="Dinas Pendidikan", members=[buyer])
    # Earlier verified purchases this year, so the public total starts above zero.
    for other in (SmeFactory(), SmeFactory(), SmeFactory()):
        paid_purchase(organisation=organisation, sme=other, total=2_000_000, paid_on=dt.date.today())
    return {"sme": sme, "product": product}


def _check(page, failures, label):
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        found = serious_violations(page)
        if found:
            failures.append((label, size["width"], found))
    page.set_viewport_size(DESKTOP)


def _public_total(page, live_server) -> int:
    page.goto(f"{live_server.url}/id/bebeli/?year={dt.date.today().year}")
    return int(re.sub(r"\D", "", page.get_by_test_id("public-total").inner_text()))


def _switch(page, sign_in, username):
    page.context.clear_cookies()
    return sign_in(username)


def test_an_opd_order_from_catalogue_to_verified_grows_the_public_total_by_its_amount(
    world, buyer, sme_owner, regency_officer, sign_in, live_server, page
):
    failures = []
    before = _public_total(page, live_server)
    assert before == 6_000_000
    _check(page, failures, "public page")

    sign_in(buyer.username)
    page.goto(live_server.url + "/bebeli/shop/")
    _check(page, failures, "shop")
    page.locator(f"#qty-{world['product'].pk}").fill("4")
    page.locator(f"#qty-{world['product'].pk} ~ button").click()
    page.wait_for_url("**/bebeli/cart/")
    _check(page, failures, "cart")
    prefix = f"s{world['sme'].pk}"
    page.locator(f"input[name='{prefix}-po_number']").fill("PO/DISDIK/2026/077")
    page.locator(f"input[name='{prefix}-delivery_address']").fill("Jl. Teuku Umar, Cikarang Barat")
    page.locator(f"form[action$='/cart/{world['sme'].pk}/order/'] button[type=submit]").click()
    page.wait_for_url("**/bebeli/p/**")
    detail = page.url
    assert "100.000" in page.get_by_test_id("total").inner_text()
    _check(page, failures, "purchase, buyer")

    _switch(page, sign_in, sme_owner.username)
    page.set_viewport_size(PHONE)
    page.goto(detail)
    page.locator("form[action$='/accept/'] button").click()
    page.wait_for_load_state()
    page.locator("input[name='deliver-note']").fill("Surat jalan 12")
    page.locator("form[action$='/deliver/'] button").click()
    page.wait_for_load_state()
    assert "Terkirim" in page.content()
    _check(page, failures, "purchase, SME on a phone")

    _switch(page, sign_in, buyer.username)
    page.goto(detail)
    page.locator("form[action$='/receive/'] button").click()
    page.wait_for_load_state()
    page.locator("input[name='pay-reference']").fill("SP2D/0077")
    page.locator("form[action$='/pay/'] button").click()
    page.wait_for_load_state()

    _switch(page, sign_in, sme_owner.username)
    page.set_viewport_size(PHONE)
    page.goto(detail)
    page.locator("form[action$='/confirm_paid/'] button").click()
    page.wait_for_load_state()
    assert _public_total(page, live_server) == before  # paid, not yet verified: not counted

    _switch(page, sign_in, regency_officer.username)
    page.goto(live_server.url + "/bebeli/verify/")
    _check(page, failures, "verification queue")
    page.locator("a", has_text="PO/DISDIK/2026/077").click()
    page.locator("form[action$='/verify/'] button").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/bebeli/report/?year={dt.date.today().year}")
    _check(page, failures, "report")

    page.context.clear_cookies()
    assert _public_total(page, live_server) == before + 100_000
    assert failures == []


def test_the_public_page_with_hidden_month_and_year_totals_stays_accessible(
    transactional_db, live_server, page
):
    """Two SMEs in one month: the month, its count and the year's total are shown as "•"."""
    organisation = OrganisationFactory(name="Dinas Kesehatan")
    for sme in (SmeFactory(), SmeFactory()):
        paid_purchase(organisation=organisation, sme=sme, total=4_321_000, paid_on=dt.date(2024, 5, 6))
    page.goto(f"{live_server.url}/id/bebeli/?year=2024")
    assert page.get_by_test_id("public-total").inner_text().strip() == "•"
    assert "8.642.000" not in page.content() and "4.321.000" not in page.content()
    failures = []
    _check(page, failures, "public page, totals hidden")
    assert failures == []

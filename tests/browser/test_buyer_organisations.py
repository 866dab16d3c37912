"""An officer on a phone registers a buyer organisation with its budget, adds its buyer user, and the
buyer can then shop for it; axe finds nothing serious on the list, the form and the page at 375 px.
A mall's partner user fills a Perda report in from the gerai it hosts, also on a phone."""

import datetime as dt
from decimal import Decimal

import pytest

from sentra.bebeli.models import BuyerOrganisation
from sentra.catalog.models import Category
from sentra.perda.models import Realisation
from tests.catalog.factories import ProductFactory
from tests.outlets.factories import OutletFactory, stock
from tests.partners.factories import PartnerFactory
from tests.partners.helpers import png_upload
from tests.perda.factories import ObligationFactory
from tests.registry.factories import SmeFactory

from .conftest import serious_violations

PHONE = {"width": 375, "height": 760}


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path


def _axe(page, failures, label):
    if found := serious_violations(page):
        failures.append((label, found))


def test_an_officer_on_a_phone_registers_a_buyer_organisation_and_its_buyer(
    transactional_db, regency_officer, buyer, sign_in, live_server, page
):
    failures = []
    page.set_viewport_size(PHONE)
    sign_in(regency_officer.username)
    page.goto(live_server.url + "/bebeli/buyers/")
    _axe(page, failures, "list")
    page.get_by_role("link", name="Daftarkan organisasi pembeli").click()
    page.wait_for_url("**/bebeli/buyers/new/")
    page.locator("#id_name").fill("Dinas Perhubungan")
    page.locator("#id_kind").select_option("dinas")
    page.locator("#id_code").fill("2.15.01")
    page.locator("#id_goods_services").fill("4.500.000.000")
    page.locator("#id_local_target").fill("1.200.000.000")
    _axe(page, failures, "form")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/bebeli/buyers/*/")
    assert "Organisasi pembeli terdaftar" in page.content()
    assert "Rp 4.500.000.000" in page.content()
    page.locator("#id_users").select_option(label=f"{buyer.get_full_name()} ({buyer.username})")
    page.get_by_role("button", name="Tambahkan pengguna pembeli").click()
    page.wait_for_load_state()
    assert page.locator("#members").inner_text().count(buyer.username) == 1
    _axe(page, failures, "detail")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width} px)"
    organisation = BuyerOrganisation.objects.get(name="Dinas Perhubungan")
    assert organisation.code == "2.15.01" and list(organisation.members.all()) == [buyer]

    page.context.clear_cookies()
    sign_in(buyer.username)
    page.goto(live_server.url + "/bebeli/shop/")
    assert "Dinas Perhubungan" in page.content()
    assert failures == []


def test_a_mall_fills_its_perda_report_in_from_its_gerai_on_a_phone(
    transactional_db, partner, sign_in, live_server, page, monkeypatch
):
    Category.objects.get_or_create(
        slug="makanan-ringan", defaults={"name_id": "Makanan ringan", "name_en": "Snacks"}
    )
    mall = PartnerFactory(name="Living Plaza Jababeka", users=[partner])
    obligation = ObligationFactory(partner=mall, starts_on=dt.date(dt.date.today().year - 1, 1, 1))
    gerai = OutletFactory(name="Gerai Dekranasda Living Plaza", partner=mall, floor_m2=Decimal("48"))
    stock(gerai, ProductFactory(sme=SmeFactory(name="Keripik Bu Sari")), 5)
    failures = []
    page.set_viewport_size(PHONE)
    sign_in(partner.username)
    page.goto(f"{live_server.url}/perda/{obligation.public_id}/report/")
    page.locator("#pick-outlet").select_option(str(gerai.public_id))
    page.get_by_role("button", name="Isi dari data gerai").click()
    page.wait_for_load_state()
    assert page.locator("input[name=allocated]").input_value() in ("48", "48,00", "48,0")
    assert page.get_by_label("Keripik Bu Sari", exact=False).is_checked()
    _axe(page, failures, "report form with outlet")
    page.locator("input[name=total]").fill("200")
    page.locator("input[name=evidence]").set_input_files(
        files=[{"name": "gerai.png", "mimeType": "image/png", "buffer": png_upload().read()}]
    )
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url("**/perda/reports/**")
    report = Realisation.objects.get()
    assert report.outlet == gerai and [s.name for s in report.smes.all()] == ["Keripik Bu Sari"]
    assert "Gerai Dekranasda Living Plaza" in page.locator("#report-outlet").inner_text()
    assert failures == []

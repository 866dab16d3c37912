"""The catalogue's journeys in real Chromium: a visitor's inquiry, the owner's answer, an officer's curation.

axe checks every new page at desktop and phone width along the way.
"""

import io

import pytest
from PIL import Image

from .conftest import serious_violations

PHONE = {"width": 375, "height": 760}
DESKTOP = {"width": 1280, "height": 900}


def check_both_widths(page, failures: list, label: str):
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        found = serious_violations(page)
        if found:
            failures.append((label, size["width"], found))


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    from django.core.cache import caches

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path
    settings.CACHES = {
        **settings.CACHES,
        "public_pages": {**settings.CACHES["public_pages"], "LOCATION": str(tmp_path / "page-cache")},
    }
    caches["public_pages"].clear()


@pytest.fixture
def shop(transactional_db, sme_owner, kecamatan):
    # A transactional test's flush empties the tables the data migration filled.
    from sentra.catalog import services
    from sentra.catalog.categories import add_default_categories
    from sentra.catalog.models import Category
    from tests.catalog.factories import ProductFactory
    from tests.registry.factories import PermitFactory, SmeFactory

    add_default_categories(Category)
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"], name="Keripik Mbak Yuni", brand="")
    sme.accounts.add(sme_owner)
    PermitFactory(sme=sme, kind="halal")
    product = ProductFactory(
        sme=sme, name_id="Keripik Tempe Pedas", name_en="Spicy Tempeh Chips", price=15000,
        description_id="Keripik tempe renyah.", description_en="Crispy tempeh chips.",
        category=Category.objects.get(slug="makanan-ringan"),
    )  # fmt: skip
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 120, 60)).save(out, format="JPEG")
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.add_photo(product=product, actor=sme_owner, upload=SimpleUploadedFile("a.jpg", out.getvalue()))
    return product


def test_a_visitor_searches_in_indonesian_switches_to_english_and_sends_an_inquiry(live_server, page, shop):
    failures = []
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    check_both_widths(page, failures, "home")
    page.set_viewport_size(DESKTOP)
    page.locator("#home-q").fill("keripiknya")
    page.locator("#home-q").press("Enter")
    page.wait_for_url("**/id/katalog/**")
    card = page.get_by_role("link", name="Keripik Tempe Pedas")
    card.wait_for()
    check_both_widths(page, failures, "catalogue")
    page.set_viewport_size(DESKTOP)
    page.locator(".lang-switch a[hreflang=en]").click()
    page.wait_for_url("**/en/catalogue/**")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Spicy Tempeh Chips").click()
    page.wait_for_url("**/en/umkm/**")
    assert "IDR 15,000" in page.locator("main").inner_text() and "Halal" in page.locator("main").inner_text()
    assert page.locator("img.product-photo").evaluate("img => img.naturalWidth") == 800
    check_both_widths(page, failures, "product")
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Send an inquiry").click()
    page.wait_for_url("**/ask/")
    check_both_widths(page, failures, "inquiry form")
    page.set_viewport_size(PHONE)
    page.locator("#id_name").fill("Kenji Sato")
    page.locator("#id_organisation").fill("Osaka Asia Foods")
    page.locator("#id_country").select_option("JP")
    page.locator("#id_email").fill("kenji@example.jp")
    page.locator("#id_quantity").fill("500")
    page.locator("#id_message").fill("Do you export to Japan?")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/sent/")
    assert "Thank you" in page.locator("h1").inner_text()
    check_both_widths(page, failures, "inquiry sent")
    storefront = page.get_by_role("link", name="Back to the business")
    storefront.click()
    page.wait_for_url("**/en/umkm/*/")
    check_both_widths(page, failures, "storefront")
    page.goto(live_server.url + "/en/events/")
    check_both_widths(page, failures, "events")
    assert failures == []

    from sentra.catalog.models import Inquiry

    inquiry = Inquiry.objects.get()
    assert (inquiry.name, inquiry.country.code, inquiry.quantity) == ("Kenji Sato", "JP", 500)


def test_the_owner_on_a_phone_sees_the_inquiry_and_answers_it(
    live_server, page, shop, sign_in, sme_owner, mailoutbox
):
    from sentra.catalog import services
    from sentra.catalog.models import Inquiry

    services.send_inquiry(
        sme=shop.sme, product=shop, sender="192.0.2.1", language="id",
        data={"name": "Rina Marlina", "organisation": "Dinas Pendidikan", "email": "rina@contoh.co.id",
              "quantity": 100, "message": "Bisa kirim 100 bungkus ke Cikarang?"},
    )  # fmt: skip
    failures = []
    page.set_viewport_size(PHONE)
    sign_in(sme_owner.username)
    page.locator(".navbar-toggler").click()
    page.get_by_role("button", name="Penjualan").click()
    page.get_by_role("link", name="Pertanyaan", exact=True).click()
    page.wait_for_url("**/my/products/inquiries/")
    check_both_widths(page, failures, "inbox")
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Rina Marlina").first.click()
    page.wait_for_url("**/inquiries/*/")
    assert "Bisa kirim 100 bungkus" in page.locator("main").inner_text()
    check_both_widths(page, failures, "inquiry")
    page.set_viewport_size(PHONE)
    # Nothing may stick out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#id_body").fill("Bisa, Bu. Ongkir gratis untuk Cikarang.")
    page.get_by_role("button", name="Kirim balasan").click()
    page.wait_for_load_state()
    assert "Balasan dikirim lewat email" in page.locator("main").inner_text()
    page.get_by_role("button", name="Tutup pertanyaan").click()
    page.wait_for_url("**/my/products/inquiries/")
    assert Inquiry.objects.get().status == Inquiry.Status.CLOSED
    assert mailoutbox[0].to == ["rina@contoh.co.id"]
    for path in ("/my/products/", f"/my/products/{shop.public_id}/", f"/my/products/{shop.public_id}/edit/",
                 "/my/products/new/", f"/my/products/business/{shop.sme.public_id}/storefront/"):  # fmt: skip
        page.goto(live_server.url + path)
        check_both_widths(page, failures, path)
    assert failures == []


def test_an_officer_curates_a_new_product_and_it_appears_publicly(
    live_server, page, shop, sign_in, officer, sme_owner
):
    from sentra.catalog import services
    from sentra.catalog.models import Category

    new = services.create_product(
        actor=sme_owner, sme=shop.sme, name_id="Rengginang Terasi", name_en="Shrimp Paste Rice Crackers",
        category=Category.objects.get(slug="makanan-ringan"), price=22000,
    )  # fmt: skip
    services.submit_product(product=new, actor=sme_owner)
    page.goto(live_server.url + "/id/katalog/?q=rengginang")
    assert "Rengginang Terasi" not in page.locator("main").inner_text()

    failures = []
    sign_in(officer.username)
    page.goto(live_server.url + "/catalog/")
    check_both_widths(page, failures, "curation queue")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="Rengginang Terasi").click()
    page.wait_for_url("**/catalog/products/*/")
    check_both_widths(page, failures, "review")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Setujui dan tayangkan").click()
    page.wait_for_url("**/catalog/")
    assert "sudah tayang" in page.locator("main").inner_text()
    for path in ("/catalog/inquiries/", "/catalog/events/", "/catalog/events/new/"):
        page.goto(live_server.url + path)
        check_both_widths(page, failures, path)
    assert failures == []

    page.goto(live_server.url + "/id/katalog/?q=rengginang")
    assert "Rengginang Terasi" in page.locator("main").inner_text()

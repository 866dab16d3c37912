"""The till in Chromium on a phone: a cashier sells three items by typing their barcodes (as a scanner
does), prints the receipt, closes the day; the SME then sees the sale in its month's statement. axe on
each outlet page, at phone and desktop width."""

from django.urls import reverse

from sentra.outlets import services
from sentra.outlets.models import Sale
from tests.catalog.factories import ProductFactory
from tests.outlets.factories import OutletFactory, stock
from tests.registry.factories import SmeFactory

from .conftest import serious_violations

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def test_a_cashier_sells_three_items_by_barcode_prints_the_receipt_and_closes_the_day(
    transactional_db, cashier, sme_owner, officer, kecamatan, sign_in, live_server, browser
):
    from sentra.catalog.models import Category

    Category.objects.get_or_create(
        slug="makanan-ringan", defaults={"name_id": "Makanan ringan", "name_en": "Snacks"}
    )
    sme = SmeFactory(name="Keripik Tempe Mbak Yuni", kecamatan=kecamatan["cikarang_utara"])
    sme.accounts.add(sme_owner)
    products = [
        ProductFactory(sme=sme, barcode=f"899123400000{i}", name_id=f"Keripik Rasa {i}", name_en=f"Chips {i}")
        for i in range(3)
    ]
    outlet = OutletFactory(name="Gerai Uji Aeon")
    services.assign_cashier(outlet=outlet, user=cashier, actor=officer)
    for product, price in zip(products, (15000, 20000, 25000), strict=True):
        stock(outlet, product, 5, retail=price)

    page = sign_in(cashier.username, "en")
    page.set_viewport_size(PHONE)
    violations = {}
    page.goto(live_server.url + reverse("pos:my_till"))
    violations["till"] = serious_violations(page)
    find = page.get_by_label("Scan or type a barcode, product code or name, then Enter")
    for product in products:
        find.fill(product.barcode)
        find.press("Enter")
    assert page.locator("#total").inner_text() in ("IDR 60,000", "Rp 60.000")
    page.get_by_label("Cash received (Rp)").fill("100000")
    assert page.locator("#change").inner_text() in ("IDR 40,000", "Rp 40.000")
    page.get_by_role("button", name="Record the sale").click()
    page.locator("[data-sale-ok]").wait_for()
    violations["sale recorded"] = serious_violations(page)
    sale = Sale.objects.get()
    assert sale.total == 60000 and sale.change == 40000 and sale.lines.count() == 3
    assert all(services.on_hand(outlet, p) == 4 for p in products)

    page.get_by_role("link", name="Print the receipt").click()
    receipt = page.locator("#receipt")
    receipt.wait_for()
    text = receipt.inner_text()
    assert sale.number in text and "Chips 0" in text and "60,000" in text.replace(".", ",")
    page.get_by_role("link", name="58 mm").click()
    assert page.locator("#receipt").get_attribute("data-paper") == "58"
    page.emulate_media(media="print")
    assert not page.locator("header").is_visible()  # only the receipt goes to the printer
    page.emulate_media(media="screen")
    violations["receipt"] = serious_violations(page)

    page.get_by_role("link", name="Close the day").first.click()
    page.get_by_label("Cash counted in the drawer (Rp)").fill("60000")
    page.get_by_role("button", name="Close the day").click()
    page.locator("#closed").wait_for()
    assert outlet.closings.get().difference == 0
    violations["closing"] = serious_violations(page)
    page.goto(live_server.url + reverse("pos:sales", args=[outlet.public_id]))
    violations["sales"] = serious_violations(page)
    page.goto(live_server.url + reverse("pos:stock", args=[outlet.public_id]))
    violations["stock"] = serious_violations(page)

    owner = browser.new_context(viewport=PHONE).new_page()
    from conftest import PASSWORD

    owner.goto(live_server.url + "/accounts/login/")
    owner.locator("input[name=username]").fill(sme_owner.username)
    owner.locator("input[name=password]").fill(PASSWORD)
    owner.locator("main button[type=submit]").click()
    owner.wait_for_load_state()
    owner.goto(live_server.url + reverse("outlets_owner:statements"))
    statement = owner.locator("[data-statement]").first
    assert "Gerai Uji Aeon" in statement.inner_text() and "48.000" in statement.inner_text().replace(",", ".")
    violations["owner statements"] = serious_violations(owner)

    page.set_viewport_size(DESKTOP)
    page.context.clear_cookies()
    sign_in(officer.username, "en")
    for name, url in {
        "outlet list": reverse("outlets:list"),
        "outlet": reverse("outlets:detail", args=[outlet.public_id]),
        "stock-in": reverse("outlets:stock_in", args=[outlet.public_id]),
        "reports": reverse("outlets:reports"),
        "settlement": reverse(
            "outlets:settlement", args=[outlet.public_id, sale.sold_on.year, sale.sold_on.month]
        ),
    }.items():
        page.goto(live_server.url + url)
        violations[name] = serious_violations(page)
    assert not any(violations.values()), violations

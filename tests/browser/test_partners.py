"""Partnerships in the browser: a bank reaches an SME that consented, the SME answers on its phone,
then withdraws and the bank no longer finds it; and axe on every partnership page, desktop and phone."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import PASSWORD
from sentra.partners import services
from sentra.partners.models import Activity, Partner
from tests.partners.factories import AgreementFactory, FosterFactory, OfferFactory, PartnerFactory, consent_to
from tests.registry.factories import SmeFactory

from .conftest import serious_violations

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def signed_in(browser, live_server, username: str, viewport: dict):
    context = browser.new_context(viewport=viewport)
    # English, as the ID / EN switch would set it (on a phone it sits in the folded menu).
    context.add_cookies([{"name": "sentra_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    return page


@pytest.fixture
def yuni(kecamatan, sme_owner):
    return SmeFactory(
        name="Keripik Tempe Mbak Yuni",
        kecamatan=kecamatan["cikarang_utara"],
        products="keripik tempe, keripik singkong balado",
        accounts=[sme_owner],
    )


def test_a_bank_finds_a_consenting_sme_whose_owner_answers_on_a_phone_then_withdraws(
    transactional_db, browser, live_server, partner, sme_owner, yuni
):
    PartnerFactory(name="Bank BJB Cabang Cikarang", kind=Partner.Kind.BANK, users=[partner])
    SmeFactory(name="Keripik Tanpa Izin", kecamatan=yuni.kecamatan)

    # The owner, on a phone, lets banks find the business and see its products.
    owner = signed_in(browser, live_server, sme_owner.username, PHONE)
    owner.goto(live_server.url + "/my/partners/")
    owner.get_by_role("link", name="Choose who may find Keripik Tempe Mbak Yuni").click()
    owner.get_by_label("Bank or finance").check()
    owner.get_by_label("Products and activity").check()
    owner.get_by_role("button", name="Save my choice").click()
    owner.get_by_text("Now found by: Bank or finance").wait_for()

    # The bank searches and finds it (and not the SME that gave no consent).
    bank = signed_in(browser, live_server, partner.username, DESKTOP)
    bank.get_by_role("link", name="Find SMEs").first.click()
    with bank.expect_response(lambda r: "q=keripik" in r.url):
        bank.get_by_label("Search").fill("keripik")
    bank.locator("#results").get_by_role("link", name="Keripik Tempe Mbak Yuni").wait_for()
    assert bank.get_by_role("link", name="Keripik Tanpa Izin").count() == 0
    bank.get_by_role("link", name="Keripik Tempe Mbak Yuni").click()
    bank.get_by_text("keripik tempe, keripik singkong balado", exact=True).wait_for()
    bank.get_by_role("link", name="Send an offer").click()
    bank.get_by_label("Kind of offer").select_option("kur")
    bank.get_by_label("Title").fill("KUR Mikro BJB hingga Rp 50 juta")
    bank.get_by_label("Message").fill("Bunga 6% per tahun, tanpa agunan tambahan.")
    bank.get_by_label("Amount (Rp)").fill("50.000.000")
    bank.get_by_role("button", name="Send the offer").click()
    bank.get_by_text("Waiting for an answer").first.wait_for()
    offer_page = bank.url

    # The owner sees it on the home page and answers it.
    owner.goto(live_server.url + "/")
    owner.get_by_role(
        "link",
        name="Bank BJB Cabang Cikarang sent Keripik Tempe Mbak Yuni an offer: KUR Mikro BJB hingga Rp 50 juta",
    ).click()
    owner.get_by_label("Accept: I am interested").check()
    owner.get_by_label("Message to the partner").fill("Silakan hubungi saya hari Senin.")
    assert owner.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    owner.get_by_role("button", name="Send my answer").click()
    owner.get_by_text("Your answer is sent").wait_for()

    bank.goto(offer_page)
    bank.get_by_text("Silakan hubungi saya hari Senin.").wait_for()

    # The bank keeps its search open; the owner withdraws consent.
    bank.goto(live_server.url + "/partner/smes/?q=keripik")
    stale_link = bank.locator("#results").get_by_role("link", name="Keripik Tempe Mbak Yuni")
    stale_link.wait_for()
    owner.goto(live_server.url + f"/my/partners/{yuni.public_id}/consent/")
    owner.get_by_role("button", name="Withdraw all consent").click()
    owner.get_by_text("Now no partner can find your business.").wait_for()

    stale_link.click()
    assert "Page not found" in bank.content()
    bank.go_back()
    with bank.expect_response(lambda r: "tempe" in r.url):
        bank.get_by_label("Search").fill("keripik tempe")
    bank.get_by_text("No SME matches these filters").wait_for()
    assert bank.get_by_role("link", name="Keripik Tempe Mbak Yuni").count() == 0


@pytest.fixture
def partnership_pages(kecamatan, admin_user, partner, sme_owner, yuni):
    """One of each partnership record, and the pages that show them, per persona."""
    bank = PartnerFactory(name="Bank BJB Cabang Cikarang", kind=Partner.Kind.BANK, users=[partner])
    consent_to(yuni, Partner.Kind.BANK, fields=["products", "contact", "finance", "owner_name", "numbers"])
    agreement = AgreementFactory(
        partners=[bank], officer=admin_user, ends_on=timezone.localdate() + dt.timedelta(days=40)
    )
    foster = FosterFactory(partner=bank, kecamatan=kecamatan["cikarang_utara"], smes=[yuni])
    services.update_foster(assignment=foster, actor=admin_user, data={}, goals={"nib": 3, "reached": 2})
    activity = Activity.objects.create(
        agreement=agreement, title="Literasi keuangan", starts_on=agreement.starts_on
    )
    activity.smes.add(yuni)
    offer = OfferFactory(partner=bank, sme=yuni)
    return {
        admin_user.username: [
            "/partners/", "/partners/new/", f"/partners/{bank.public_id}/", f"/partners/{bank.public_id}/edit/",
            "/partners/agreements/", "/partners/agreements/new/", f"/partners/agreements/{agreement.public_id}/",
            f"/partners/agreements/{agreement.public_id}/edit/",
            f"/partners/agreements/{agreement.public_id}/activities/new/",
            f"/partners/activities/{activity.public_id}/?q=keripik", f"/partners/activities/{activity.public_id}/edit/",
            "/partners/foster/", "/partners/foster/new/", f"/partners/foster/{foster.public_id}/?q=keripik",
            f"/partners/foster/{foster.public_id}/edit/", "/partners/offers/", "/",
        ],
        partner.username: [
            "/", "/partner/smes/?legality=nib", f"/partner/smes/{yuni.public_id}/",
            f"/partner/smes/{yuni.public_id}/offer/", "/partner/offers/", f"/partner/offers/{offer.public_id}/",
            f"/partners/agreements/{agreement.public_id}/", f"/partners/foster/{foster.public_id}/",
            f"/partners/activities/{activity.public_id}/",
        ],
        sme_owner.username: [
            "/", "/my/partners/", f"/my/partners/{yuni.public_id}/consent/", f"/my/partners/offers/{offer.public_id}/",
        ],
    }  # fmt: skip


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("persona", ["ani_admin", "fajar_partner", "dewi_owner"])
def test_every_partnership_page_passes_axe(
    transactional_db, browser, live_server, partnership_pages, persona, viewport
):
    page = signed_in(browser, live_server, persona, viewport)
    problems = {}
    for path in partnership_pages[persona]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        if found := serious_violations(page):
            problems[path] = found
        if viewport is PHONE:
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                problems[path] = [*problems.get(path, []), f"page is {width}px wide"]
    assert problems == {}

"""Perda 30% in the browser: a mall's partner user reports on a phone with a photo as evidence, an
officer reviews it, and the compliance status shows; axe on every Perda page at desktop and phone width."""

import datetime as dt
import io

import pytest
from django.utils import timezone, translation
from PIL import Image

from sentra.partners.models import Partner
from sentra.perda import compliance
from sentra.perda.models import Realisation
from tests.partners.factories import PartnerFactory, consent_to
from tests.perda.factories import ObligationFactory, submit
from tests.registry.factories import SmeFactory

from .conftest import serious_violations
from .test_partners import DESKTOP, PHONE, signed_in


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mall_obligation(partner, kecamatan, media):
    mall = PartnerFactory(name="Living Plaza Jababeka", kind=Partner.Kind.RETAIL, users=[partner])
    consent_to(
        SmeFactory(name="Batik Sekar Jagad", kecamatan=kecamatan["cikarang_utara"]), Partner.Kind.RETAIL
    )
    today = timezone.localdate()
    last = compliance.period_containing("quarterly", today)
    previous = compliance.period_containing("quarterly", last.start - dt.timedelta(days=1))
    obligation = ObligationFactory(partner=mall, starts_on=previous.start - dt.timedelta(days=200))
    return obligation, previous


def _photo(tmp_path):
    path = tmp_path / "atrium.png"
    image = Image.new("RGB", (200, 120), (20, 120, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_mall_reports_on_a_phone_and_an_officer_accepts_it(
    transactional_db, browser, live_server, partner, regency_officer, mall_obligation, tmp_path
):
    obligation, period = mall_obligation
    with translation.override("en"):
        label = period.label
    mall = signed_in(browser, live_server, partner.username, PHONE)
    mall.goto(live_server.url + f"/perda/{obligation.public_id}/")
    mall.get_by_role("link", name=f"Report for {label}").click()
    mall.get_by_label("Total commercial space (m²)").fill("12400")
    mall.get_by_label("Of which given to SMEs and cooperatives (m²)").fill("3720")
    mall.get_by_label("What was given").fill("Booth atrium lantai dasar dan 12 kios UMKM")
    mall.get_by_label("Evidence").set_input_files(str(_photo(tmp_path)))
    mall.get_by_label("Caption").fill("Foto atrium")
    assert mall.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    mall.get_by_role("button", name="Submit the report").click()
    mall.get_by_text("The report is submitted").wait_for()
    mall.locator("#compliance-status").get_by_text("Submitted, being reviewed").wait_for()
    with mall.expect_response(lambda r: "q=batik" in r.url):
        mall.get_by_label("Find an SME or cooperative").fill("batik")
    mall.get_by_label("Batik Sekar Jagad").check()
    mall.get_by_role("button", name="Add the ticked ones").click()
    mall.get_by_text("Added to the report.").wait_for()
    assert serious_violations(mall) == []
    report_url = mall.url

    officer = signed_in(browser, live_server, regency_officer.username, DESKTOP)
    officer.goto(report_url)
    officer.get_by_role("link", name="Foto atrium").wait_for()
    officer.get_by_label("Accept the report").check()
    officer.get_by_role("button", name="Record the decision").click()
    officer.get_by_text("The report is accepted.").wait_for()
    officer.locator("#compliance-status").get_by_text("Met").wait_for()
    officer.get_by_text("30.0% given, 30% required").wait_for()
    officer.goto(live_server.url + f"/perda/compliance/?year={period.start.year}")
    row = officer.get_by_role("row").filter(has_text="Living Plaza Jababeka")
    row.get_by_role("link", name=label).wait_for()
    assert "Met" in row.inner_text()

    mall.goto(live_server.url + f"/perda/{obligation.public_id}/")
    mall.get_by_text("Met", exact=True).first.wait_for()
    assert Realisation.objects.get().outcome == "met"


@pytest.fixture
def perda_pages(partner, regency_officer, mall_obligation):
    obligation, period = mall_obligation
    report = submit(obligation, partner, period.start, 1000, 250, today=timezone.localdate())
    return {
        regency_officer.username: [
            "/perda/", "/perda/new/", f"/perda/{obligation.public_id}/", f"/perda/{obligation.public_id}/edit/",
            f"/perda/reports/{report.public_id}/?q=batik", "/perda/reports/",
            f"/perda/compliance/?year={period.start.year}",
        ],
        partner.username: [
            "/perda/", f"/perda/{obligation.public_id}/", f"/perda/{obligation.public_id}/report/",
            f"/perda/reports/{report.public_id}/", f"/perda/reports/{report.public_id}/edit/",
        ],
    }  # fmt: skip


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_perda_pages_have_no_serious_accessibility_problems(
    transactional_db, browser, live_server, perda_pages, viewport
):
    found = {}
    for username, paths in perda_pages.items():
        page = signed_in(browser, live_server, username, viewport)
        for path in paths:
            page.goto(live_server.url + path)
            assert page.locator("h1").count() == 1, path
            if problems := serious_violations(page):
                found[path] = problems
    assert found == {}

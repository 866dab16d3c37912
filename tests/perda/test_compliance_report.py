"""The yearly compliance report: statuses per business and period, links to the reports, the .xlsx."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from sentra.core import reminders
from sentra.perda import report, services
from sentra.perda.compliance import PeriodKind, Status
from sentra.perda.models import Basis, Category
from tests.partners.factories import PartnerFactory

from .factories import ObligationFactory, submit

TODAY = dt.date(2026, 2, 15)  # 2025's last quarter was due on 30 Jan 2026


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def year_2025(mall, partner, regency_officer):
    """A mall with four quarters of 2025: met, partly met, returned, not reported."""
    obligation = ObligationFactory(partner=mall)
    met = submit(obligation, partner, dt.date(2025, 1, 1), 1000, 300, today=TODAY)
    partly = submit(obligation, partner, dt.date(2025, 4, 1), 1000, 150, today=TODAY)
    returned = submit(obligation, partner, dt.date(2025, 7, 1), 1000, 320, today=TODAY)
    for accepted in (met, partly):
        services.review_report(report=accepted, actor=regency_officer, accept=True)
    services.review_report(report=returned, actor=regency_officer, accept=False, note="Foto kurang jelas")
    toll = ObligationFactory(
        partner=PartnerFactory(name="Rest Area KM 39"),
        category=Category.TOLL_REST_AREA,
        basis=Basis.PROCUREMENT,
        period=PeriodKind.YEARLY,
    )
    not_met = submit(toll, regency_officer, dt.date(2025, 1, 1), 2_000_000_000, 0, today=TODAY)
    services.review_report(report=not_met, actor=regency_officer, accept=True)
    return {
        "mall": obligation,
        "toll": toll,
        "met": met,
        "partly": partly,
        "returned": returned,
        "not_met": not_met,
    }


def test_each_business_and_period_has_its_status(year_2025):
    result = report.build(2025, today=TODAY)
    by_name = {row.obligation.partner.name: row for row in result.rows}
    mall = by_name["Living Plaza Jababeka"]
    assert [c.status for c in mall.cells] == [Status.MET, Status.PARTLY, Status.RETURNED, Status.NOT_REPORTED]
    assert mall.cells[0].report == year_2025["met"] and mall.cells[3].report is None
    # Σ allocated ÷ Σ total over the accepted quarters: 450 / 2000 = 22.5%.
    assert mall.share == Decimal("22.5")
    toll = by_name["Rest Area KM 39"]
    assert [c.status for c in toll.cells] == [Status.NOT_MET] and toll.share == Decimal("0.0")
    assert result.totals == {
        Status.MET: 1,
        Status.PARTLY: 1,
        Status.RETURNED: 1,
        Status.NOT_REPORTED: 1,
        Status.NOT_MET: 1,
    }


def test_every_figure_on_the_page_links_to_the_reports_behind_it(client, regency_officer, year_2025):
    client.force_login(regency_officer)
    body = client.get(reverse("perda:compliance"), {"year": 2025}).content.decode()
    for key in ("met", "partly", "returned", "not_met"):
        assert reverse("perda:report_detail", args=[year_2025[key].public_id]) in body
    assert "?year=2025&amp;outcome=met" in body or "?year=2025&outcome=met" in body
    listed = client.get(reverse("perda:report_list"), {"year": 2025, "outcome": "partly"}).content.decode()
    assert reverse("perda:report_detail", args=[year_2025["partly"].public_id]) in listed
    assert reverse("perda:report_detail", args=[year_2025["met"].public_id]) not in listed
    only_missing = client.get(
        reverse("perda:compliance"), {"year": 2025, "status": "not_reported"}
    ).content.decode()
    assert "Living Plaza Jababeka" in only_missing and "Rest Area KM 39" not in only_missing


def test_the_xlsx_holds_the_same_figures(client, regency_officer, year_2025):
    client.cookies["sentra_language"] = "en"
    client.force_login(regency_officer)
    response = client.get(reverse("perda:compliance_xlsx"), {"year": 2025})
    assert response["Content-Disposition"] == 'attachment; filename="kepatuhan-perda-2025.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    businesses = list(book["Businesses"].iter_rows(values_only=True))
    assert businesses[0][:5] == (
        "Business",
        "Category",
        "Measured on",
        "Percentage required",
        "Share of the year (%)",
    )
    mall = next(r for r in businesses if r[0] == "Living Plaza Jababeka")
    assert mall[3:11] == (30, 22.5, 1, 1, 0, 1, 0, 1)
    periods = list(book["Periods"].iter_rows(values_only=True))
    toll = next(r for r in periods if r[0] == "Rest Area KM 39")
    assert toll[4:9] == ("Not met", 2_000_000_000, 0, 0.0, 30)
    assert toll[9] == str(year_2025["not_met"].public_id)
    assert sum(1 for r in periods if r[0] == "Living Plaza Jababeka") == 4


def test_pages_cost_the_same_queries_however_many_businesses(
    client, regency_officer, partner, django_assert_max_num_queries
):
    client.force_login(regency_officer)

    def add(n):
        for i in range(n):
            obligation = ObligationFactory(partner=PartnerFactory(name=f"Mall {n}-{i}"))
            submit(obligation, partner, dt.date(2025, 1, 1), 1000, 300, today=TODAY)

    add(1)
    counts = {}
    for name in ("perda:compliance", "perda:report_list", "perda:obligation_list"):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            assert client.get(reverse(name), {"year": 2025}).status_code == 200
        counts[name] = len(small)
    add(6)
    for name, count in counts.items():
        with django_assert_max_num_queries(count):
            client.get(reverse(name), {"year": 2025})


def test_partners_are_reminded_of_due_late_and_returned_reports(partner, mall, regency_officer):
    obligation = ObligationFactory(partner=mall, starts_on=dt.date(2025, 7, 1))
    returned = submit(obligation, partner, dt.date(2025, 7, 1), 1000, 300, today=TODAY)
    services.review_report(report=returned, actor=regency_officer, accept=False, note="Lampirkan denah")
    with translation.override("en"):
        due = reminders.due_for(partner, today=dt.date(2026, 1, 20))
        titles = {r.title: r for r in due}
        assert "Perda report due: Living Plaza Jababeka, Quarter IV 2025" in titles
        assert not titles["Perda report due: Living Plaza Jababeka, Quarter IV 2025"].overdue
        assert "Perda report returned for correction: Living Plaza Jababeka" in titles
        later = {r.title: r for r in reminders.due_for(partner, today=dt.date(2026, 2, 1))}
        late = later["Perda report late: Living Plaza Jababeka, Quarter IV 2025"]
        assert late.overdue and late.url.endswith("?period=2025-10-01")
        officer_titles = [r.title for r in reminders.due_for(regency_officer, today=dt.date(2026, 2, 1))]
        assert "Perda report late: Living Plaza Jababeka, Quarter IV 2025" in officer_titles
        assert not any("due:" in t for t in officer_titles)


def test_officers_are_reminded_of_reports_to_review_and_only_their_own(
    partner, mall, regency_officer, admin_user
):
    obligation = ObligationFactory(partner=mall, officer=admin_user, starts_on=dt.date(2025, 10, 1))
    submit(obligation, partner, dt.date(2025, 10, 1), 1000, 300, today=TODAY)
    with translation.override("en"):
        assert "Perda report to review: Living Plaza Jababeka" in [
            r.title for r in reminders.due_for(admin_user, today=TODAY)
        ]
        assert not any("Perda" in r.title for r in reminders.due_for(regency_officer, today=TODAY))


def test_reminders_cost_the_same_queries_however_many_obligations(partner, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            ObligationFactory(partner=PartnerFactory(users=[partner]), starts_on=dt.date(2024, 1, 1))

    add(1)
    from sentra.perda.reminders import partner_reports_due

    with django_assert_max_num_queries(2):
        partner_reports_due(partner, TODAY)
    add(5)
    with django_assert_max_num_queries(2):
        assert len(partner_reports_due(partner, TODAY)) == 6 * 8  # 2024 and 2025: eight quarters each

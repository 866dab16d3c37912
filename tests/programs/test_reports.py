"""The programme reports on known data: reach, attendance, outcomes, and sales before and after read
through the shared sales interface (a channel registered here stands in for the real ones)."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db.models import F, Value
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from sentra.programs import reports, services
from sentra.programs.models import Attendance
from sentra.registry.models import ScaleRecord, Sme
from sentra.sales import channels as sales
from tests.registry.factories import SmeFactory

from .factories import ProgrammeFactory, SessionFactory
from .helpers import queries

REPORT = reverse("programs:report")


def _stand_in_lines():
    return ScaleRecord.objects.filter(basis="turnover").annotate(
        sale_sme_id=F("sme_id"),
        sale_on=TruncDate("recorded_at"),
        sale_amount=F("turnover"),
        sale_verified=Value(True),
    )


@pytest.fixture
def channel():
    saved = dict(sales._CHANNELS)
    sales._CHANNELS.clear()
    sales.register(
        sales.Channel("stand_in", "Stand-in outlet", _stand_in_lines, record_url=lambda pk: f"/sale/{pk}")
    )
    yield
    sales._CHANNELS.clear()
    sales._CHANNELS.update(saved)


def sale(sme, amount, day):
    record = ScaleRecord.objects.create(sme=sme, scale="micro", basis="turnover", turnover=amount)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    ScaleRecord.objects.filter(pk=record.pk).update(recorded_at=moment)


@pytest.fixture
def known(officer, kecamatan, channel):
    """A 2023 training with two food participants in Cikarang Utara; one similar SME that did not
    take part; one shop and one food SME elsewhere, outside the comparison."""
    cikarang, tambun = kecamatan["cikarang_utara"], kecamatan["tambun_selatan"]
    food = {"kbli_code": "10794", "kbli_category": "C"}
    a = SmeFactory(kecamatan=cikarang, scale="micro", **food)
    b = SmeFactory(kecamatan=cikarang, scale="small", **food)
    alike = SmeFactory(kecamatan=cikarang, **food)
    shop = SmeFactory(kecamatan=cikarang, kbli_code="47111", kbli_category="G")
    elsewhere = SmeFactory(kecamatan=tambun, **food)
    programme = ProgrammeFactory(
        title="Pelatihan Kemasan 2023", starts_on=dt.date(2023, 3, 1), ends_on=dt.date(2023, 4, 30), quota=5
    )
    for sme in (a, b):
        services.enrol_sme(programme=programme, sme=sme, actor=officer)
    sessions = [
        SessionFactory(programme=programme, starts_at=timezone.make_aware(dt.datetime(2023, 3, d, 9)))
        for d in (1, 8)
    ]
    for session in sessions:
        Attendance.objects.create(session=session, sme=a, method="list", checked_in_at=session.starts_at)
    Attendance.objects.create(session=sessions[0], sme=b, method="list", checked_in_at=sessions[0].starts_at)
    # Sales: 2022 (before) and 2024 (after); 2023 (the programme's year) does not count.
    sale(a, 10_000_000, dt.date(2022, 5, 1))
    sale(b, 20_000_000, dt.date(2022, 6, 1))
    sale(a, 15_000_000, dt.date(2024, 5, 1))
    sale(b, 30_000_000, dt.date(2024, 6, 1))
    sale(a, 99_000_000, dt.date(2023, 6, 1))
    sale(alike, 10_000_000, dt.date(2022, 7, 1))
    sale(alike, 11_000_000, dt.date(2024, 7, 1))
    sale(shop, 50_000_000, dt.date(2024, 7, 1))
    sale(elsewhere, 50_000_000, dt.date(2024, 7, 1))
    return {"programme": programme, "a": a, "b": b, "alike": alike}


def test_sales_before_and_after_per_sme_beside_similar_smes_that_did_not_take_part(known):
    [result] = reports.sales_before_after([known["programme"]], Sme.objects.all(), today=dt.date(2026, 12, 1))
    assert (result.before_year, result.after_year, result.after_complete) == (2022, 2024, True)
    assert result.participants.smes == {known["a"].pk, known["b"].pk}
    assert (result.participants.before_per_sme, result.participants.after_per_sme) == (15_000_000, 22_500_000)
    assert result.participants.change_percent == 50
    assert result.comparison.smes == {known["alike"].pk}
    assert (result.comparison.before, result.comparison.after, result.comparison.change_percent) == (
        10_000_000,
        11_000_000,
        10,
    )


def test_the_report_page_shows_reach_attendance_and_the_sales_comparison(en_client, regency_officer, known):
    en_client.force_login(regency_officer)
    html = en_client.get(REPORT, {"year": 2023}).content.decode()
    assert "Pelatihan Kemasan 2023" in html
    assert "Rp 15.000.000" not in html  # English
    assert "IDR 15,000,000" in html and "IDR 22,500,000" in html and "50%" in html
    assert "IDR 10,000,000" in html and "IDR 11,000,000" in html
    assert "75%" in html  # 3 check-ins of 2 participants × 2 sessions
    assert "Stand-in outlet" in html


def test_each_sales_figure_opens_the_sales_records_it_counts(en_client, regency_officer, known):
    en_client.force_login(regency_officer)
    url = reverse("programs:report_sales", args=[known["programme"].public_id, "participants", "after"])
    html = en_client.get(url).content.decode()
    assert "IDR 45,000,000" in html and "in 2 verified sales records" in html
    assert html.count('href="/sale/') == 2
    assert known["a"].name in html and known["alike"].name not in html
    comparison = en_client.get(
        reverse("programs:report_sales", args=[known["programme"].public_id, "comparison", "before"])
    ).content.decode()
    assert known["alike"].name in comparison and "IDR 10,000,000" in comparison


def test_reach_figures_open_their_participants(en_client, regency_officer, known):
    en_client.force_login(regency_officer)
    html = en_client.get(
        reverse("programs:report_smes"), {"kecamatan": "32.16.09", "year": 2023}
    ).content.decode()
    assert known["a"].name in html and known["b"].name in html and known["alike"].name not in html
    html = en_client.get(reverse("programs:report_smes"), {"scale": "small"}).content.decode()
    assert known["b"].name in html and known["a"].name not in html
    assert en_client.get(reverse("programs:report_smes"), {"programme": "not-a-uuid"}).status_code == 404


def test_a_bad_group_or_period_answers_404(client, regency_officer, known):
    client.force_login(regency_officer)
    url = reverse("programs:report_sales", args=[known["programme"].public_id, "everyone", "after"])
    assert client.get(url).status_code == 404


def test_the_xlsx_holds_the_same_figures(client, regency_officer, known):
    client.force_login(regency_officer)
    response = client.get(reverse("programs:report_xlsx"), {"year": 2023})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sales_rows = list(book.worksheets[2].iter_rows(values_only=True))
    assert sales_rows[1][3:8] == (2, 30_000_000, 45_000_000, 15_000_000, 22_500_000)
    assert sales_rows[1][8:11] == (1, 10_000_000, 11_000_000)
    programme_rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert programme_rows[1][4:8] == (2, 2, 3, 75)
    reach_rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert reach_rows[1][2] == 2


def test_a_scoped_officer_reports_on_their_kecamatan_only(en_client, tambun_officer, known):
    en_client.force_login(tambun_officer)
    [result] = reports.sales_before_after([known["programme"]], Sme.objects.for_user(tambun_officer))
    assert result.participants.size == 0


def test_the_report_needs_a_fixed_number_of_queries(client, regency_officer, known, officer, kecamatan):

    client.force_login(regency_officer)

    few = queries(client, REPORT)
    for _ in range(4):
        sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"], kbli_code="10794", kbli_category="C")
        services.enrol_sme(programme=known["programme"], sme=sme, actor=officer)
        sale(sme, 1_000, dt.date(2024, 1, 5))
    assert queries(client, REPORT) == few


@pytest.mark.parametrize("role", ["sme_owner", "partner", "buyer", "outsider"])
def test_reports_are_for_the_dinas(client, personas, role):
    client.force_login(personas[role])
    assert client.get(REPORT).status_code == 403

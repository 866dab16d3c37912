"""Acceleration cohorts: weekly KPI reports, corrections, and the at-risk rule at its edges."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sentra.programs import mentoring, services
from sentra.programs.models import KpiReport, RiskTask

from .factories import MentorFactory, ProgrammeFactory

WEEK_1 = dt.date(2024, 3, 4)  # a Monday


def week(n: int) -> dt.date:
    return WEEK_1 + dt.timedelta(weeks=n - 1)


@pytest.fixture
def member(officer, cikarang_smes):
    cohort = ProgrammeFactory(cohort=True, starts_on=WEEK_1, ends_on=dt.date(2024, 6, 30))
    enrolment = services.enrol_sme(programme=cohort, sme=cikarang_smes[0], actor=officer)
    mentor = MentorFactory(user=officer)
    mentoring.assign_mentor(mentor=mentor, sme=enrolment.sme, programme=cohort, actor=officer)
    return enrolment


def report(enrolment, n, turnover, owner, key=""):
    return mentoring.submit_kpi_report(
        enrolment=enrolment, actor=owner, week_start=week(n), turnover=turnover, orders=10, client_key=key
    )


@pytest.mark.parametrize(
    "before, after, at_risk",
    [
        (10_000_000, 7_000_000, True),  # exactly 30% down
        (10_000_000, 7_000_001, False),  # one Rupiah short of 30%
        (10_000_000, 0, True),
        (10_000_000, 12_000_000, False),
        (0, 0, False),  # nothing to fall from
        (1, 0, True),
    ],
)
def test_the_at_risk_rule_at_its_edges(before, after, at_risk):
    assert mentoring.is_at_risk(before=before, after=after) is at_risk


def test_a_drop_of_thirty_percent_over_two_weeks_opens_a_task_for_the_mentor(member, sme_owner, officer):
    report(member, 1, 10_000_000, sme_owner)
    report(member, 2, 9_000_000, sme_owner)
    assert not RiskTask.objects.exists()
    report(member, 3, 7_000_000, sme_owner)
    task = RiskTask.objects.get()
    assert (task.week_start, task.turnover_before, task.turnover_after) == (week(3), 10_000_000, 7_000_000)
    assert task.mentor.user == officer
    assert task.drop_percent == 30


def test_a_drop_just_under_thirty_percent_opens_nothing(member, sme_owner):
    report(member, 1, 10_000_000, sme_owner)
    report(member, 3, 7_000_001, sme_owner)
    assert not RiskTask.objects.exists()


def test_without_the_report_of_two_weeks_before_there_is_no_comparison(member, sme_owner):
    report(member, 2, 10_000_000, sme_owner)  # one week before only
    report(member, 3, 1_000_000, sme_owner)
    assert not RiskTask.objects.exists()


def test_a_further_drop_while_a_task_is_open_opens_no_second_task(member, sme_owner):
    for n, turnover in enumerate([10_000_000, 9_000_000, 6_000_000, 4_000_000], start=1):
        report(member, n, turnover, sme_owner)
    assert RiskTask.objects.count() == 1


def test_a_week_already_reported_asks_for_a_correction_instead(member, sme_owner):
    first = report(member, 1, 10_000_000, sme_owner, key="a")
    with pytest.raises(mentoring.AlreadyReported) as raised:
        report(member, 1, 11_000_000, sme_owner, key="b")
    assert raised.value.report == first
    assert KpiReport.objects.get().turnover == 10_000_000


def test_the_same_report_sent_twice_by_the_outbox_is_recorded_once(member, sme_owner):
    first = report(member, 1, 10_000_000, sme_owner, key="same")
    assert report(member, 1, 10_000_000, sme_owner, key="same") == first
    assert KpiReport.objects.count() == 1


def test_a_correction_that_removes_the_drop_closes_its_task_and_one_that_makes_it_opens_one(
    member, sme_owner
):
    report(member, 1, 10_000_000, sme_owner)
    third = report(member, 3, 5_000_000, sme_owner)
    mentoring.correct_kpi_report(report=third, actor=sme_owner, turnover=9_500_000, orders=12)
    task = RiskTask.objects.get()
    assert task.status == "closed" and "no longer" in task.resolution
    # With no task open, a new drop (week 5 against the corrected week 3) opens a fresh one.
    report(member, 5, 6_000_000, sme_owner)
    assert RiskTask.objects.filter(status="open", week_start=week(5)).exists()


def test_reports_are_for_weeks_of_the_cohort_only(member, sme_owner):
    with pytest.raises(mentoring.MentoringError, match="week of the cohort"):
        mentoring.submit_kpi_report(
            enrolment=member,
            actor=sme_owner,
            week_start=week(1) - dt.timedelta(weeks=1),
            turnover=1,
            orders=1,
        )
    with pytest.raises(mentoring.MentoringError, match="week of the cohort"):
        mentoring.submit_kpi_report(
            enrolment=member, actor=sme_owner, week_start=week(1) + dt.timedelta(days=1), turnover=1, orders=1
        )


def _photo(fmt="JPEG", size=(2400, 1200)) -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", size, "orange")
    exif = Image.Exif()
    exif[0x010F] = "CanaryCam"  # camera maker: must not survive
    image.save(out, format=fmt, exif=exif) if fmt == "JPEG" else image.save(out, format=fmt)
    return SimpleUploadedFile(f"foto.{fmt.lower()}", out.getvalue())


def test_a_photo_is_read_by_pillow_made_smaller_and_stripped_of_exif(member, sme_owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kpi = report(member, 1, 10_000_000, sme_owner)
    mentoring.attach_kpi_photo(report=kpi, actor=sme_owner, upload=_photo())
    with Image.open(kpi.photo.path) as stored:
        assert stored.format == "JPEG" and max(stored.size) == mentoring.PHOTO_MAX_SIDE
        assert not stored.getexif()


def test_a_file_that_is_not_a_photo_is_refused(member, sme_owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kpi = report(member, 1, 10_000_000, sme_owner)
    with pytest.raises(mentoring.MentoringError, match="not a photo"):
        mentoring.attach_kpi_photo(
            report=kpi, actor=sme_owner, upload=SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image")
        )
    kpi.refresh_from_db()
    assert not kpi.photo

"""Mentors (pendamping), their SMEs and visits; acceleration cohorts' weekly KPI reports.

The at-risk rule: when a cohort SME's turnover for a week is 70% or less of the turnover it
reported for the week two weeks earlier — a drop of 30% or more over two weeks — an at-risk task
opens for its mentor. Both weeks must be reported, and the earlier one must show some turnover;
the week in between plays no part. A participant has at most one open task: a further drop while one
is open is the same problem. A correction that takes the drop away closes the task it had opened.
"""

import datetime as dt
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from sentra.core.audit import diff, log_action, snapshot
from sentra.core.models import AuditEntry

from .models import Enrolment, KpiReport, Mentor, MentorAssignment, Programme, RiskTask, Visit

RISK_WEEKS = 2
# Integer arithmetic, so the edge is exact: at risk when turnover × 10 ≤ earlier turnover × 7.
RISK_KEEP_TENTHS = 7
PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_MAX_SIDE = 1600
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}


class MentoringError(ValidationError):
    pass


def is_at_risk(*, before: int, after: int) -> bool:
    return before > 0 and after * 10 <= before * RISK_KEEP_TENTHS


def week_start_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# --- mentors and assignments -------------------------------------------------------------------


@transaction.atomic
def save_mentor(*, actor, data: dict, mentor: Mentor | None = None) -> Mentor:
    created = mentor is None
    mentor = mentor or Mentor()
    before = {} if created else snapshot(mentor)
    for field, value in data.items():
        setattr(mentor, field, value)
    if not mentor.is_consultant:
        mentor.topics = []
    mentor.save()
    changes = diff(before, snapshot(mentor))
    changes.pop("created_at", None)
    if created or changes:
        log_action(
            actor=actor,
            verb="programs.mentor.created" if created else "programs.mentor.updated",
            obj=mentor,
            action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
            changes=changes,
        )
    return mentor


def current_assignment(*, sme_id: int, programme: Programme | None = None) -> MentorAssignment | None:
    return (
        MentorAssignment.objects.filter(sme_id=sme_id, programme=programme, ended_on__isnull=True)
        .select_related("mentor", "mentor__user")
        .first()
    )


@transaction.atomic
def assign_mentor(
    *,
    mentor: Mentor,
    sme,
    actor,
    programme: Programme | None = None,
    started_on: dt.date | None = None,
    note: str = "",
) -> MentorAssignment:
    """Assign a mentor; a mentor the SME had in the same cohort (or outside any) hands over."""
    if not mentor.active:
        raise MentoringError(_("%(mentor)s is no longer active as a mentor.") % {"mentor": mentor.name})
    started_on = started_on or timezone.localdate()
    current = current_assignment(sme_id=sme.pk, programme=programme)
    if current is not None:
        if current.mentor_id == mentor.pk:
            return current
        end_assignment(assignment=current, actor=actor, ended_on=started_on)
    assignment = MentorAssignment.objects.create(
        mentor=mentor,
        sme=sme,
        programme=programme,
        started_on=started_on,
        note=note.strip(),
        created_by=actor,
    )
    log_action(
        actor=actor,
        verb="programs.mentor.assigned",
        obj=sme,
        action=AuditEntry.Action.OTHER,
        changes={"mentor": [current.mentor.name if current else None, mentor.name]},
        note=programme.title if programme else "",
    )
    # An open at-risk task follows the SME to its new mentor.
    if programme is not None:
        RiskTask.objects.filter(
            enrolment__programme=programme, enrolment__sme=sme, status=RiskTask.Status.OPEN
        ).update(mentor=mentor)
    return assignment


@transaction.atomic
def end_assignment(
    *, assignment: MentorAssignment, actor, ended_on: dt.date | None = None
) -> MentorAssignment:
    assignment.ended_on = ended_on or timezone.localdate()
    assignment.save(update_fields=["ended_on"])
    log_action(
        actor=actor,
        verb="programs.mentor.unassigned",
        obj=assignment.sme,
        changes={"mentor": [assignment.mentor.name, None]},
    )
    return assignment


@transaction.atomic
def record_visit(
    *,
    assignment: MentorAssignment,
    actor,
    visited_on: dt.date,
    notes: str,
    next_steps: str = "",
    client_key: str = "",
) -> tuple[Visit, bool]:
    """A mentor's visit log; the same request sent twice (client_key) is recorded once."""
    client_key = client_key.strip()[:64] or None
    if client_key and (sent := Visit.objects.filter(client_key=client_key).first()):
        return sent, False
    if visited_on > timezone.localdate():
        raise MentoringError(_("A visit cannot be in the future."), code="future")
    if not notes.strip():
        raise MentoringError(_("Write what you found and discussed."), code="notes")
    visit = Visit.objects.create(
        assignment=assignment,
        visited_on=visited_on,
        notes=notes.strip(),
        next_steps=next_steps.strip(),
        recorded_by=actor,
        client_key=client_key,
    )
    log_action(
        actor=actor,
        verb="programs.visit.recorded",
        obj=assignment.sme,
        action=AuditEntry.Action.CREATE,
        changes={"visit": [None, visited_on.isoformat()]},
        note=visit.next_steps,
    )
    return visit, True


# --- weekly KPI reports ------------------------------------------------------------------------


@dataclass(frozen=True)
class AlreadyReported(Exception):
    """The week already has a report: the owner corrects it instead."""

    report: KpiReport


def reportable_weeks(programme: Programme, *, today: dt.date | None = None) -> list[dt.date]:
    """The Mondays of the weeks a cohort SME may report, newest first: from the cohort's first week
    to the current one (and not after the cohort's end)."""
    today = today or timezone.localdate()
    first = week_start_of(programme.starts_on)
    last = week_start_of(min(today, programme.ends_on))
    weeks = []
    week = last
    while week >= first:
        weeks.append(week)
        week -= dt.timedelta(days=7)
    return weeks


def _check_week(enrolment: Enrolment, week_start: dt.date) -> None:
    if week_start not in reportable_weeks(enrolment.programme):
        raise MentoringError(_("Choose a week of the cohort, up to the current one."), code="week")


def _check_figures(turnover: int, orders: int) -> None:
    if turnover is None or turnover < 0 or orders is None or orders < 0:
        raise MentoringError(_("Turnover and orders are whole numbers, zero or more."), code="figures")


@transaction.atomic
def submit_kpi_report(
    *,
    enrolment: Enrolment,
    actor,
    week_start: dt.date,
    turnover: int,
    orders: int,
    note: str = "",
    client_key: str = "",
) -> KpiReport:
    """A week's figures from a cohort SME. Raises AlreadyReported when the week has a report."""
    client_key = client_key.strip()[:64] or None
    if client_key and (sent := KpiReport.objects.filter(client_key=client_key).first()):
        return sent
    if not enrolment.programme.is_cohort or enrolment.status != Enrolment.Status.ACCEPTED:
        raise MentoringError(
            _("Weekly reports are for participants of an acceleration cohort."), code="cohort"
        )
    _check_week(enrolment, week_start)
    _check_figures(turnover, orders)
    existing = KpiReport.objects.filter(enrolment=enrolment, week_start=week_start).first()
    if existing is not None:
        raise AlreadyReported(existing)
    report = KpiReport(
        enrolment=enrolment,
        week_start=week_start,
        turnover=turnover,
        orders=orders,
        note=note.strip(),
        submitted_by=actor,
        client_key=client_key,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise AlreadyReported(KpiReport.objects.get(enrolment=enrolment, week_start=week_start)) from None
    log_action(
        actor=actor,
        verb="programs.kpi.reported",
        obj=enrolment,
        action=AuditEntry.Action.CREATE,
        changes={
            "week": [None, week_start.isoformat()],
            "turnover": [None, turnover],
            "orders": [None, orders],
        },
    )
    evaluate_risk(enrolment=enrolment, week_start=week_start, actor=actor)
    return report


@transaction.atomic
def correct_kpi_report(*, report: KpiReport, actor, turnover: int, orders: int, note: str = "") -> KpiReport:
    _check_figures(turnover, orders)
    report = KpiReport.objects.select_for_update().get(pk=report.pk)
    before = {"turnover": report.turnover, "orders": report.orders, "note": report.note}
    report.turnover, report.orders, report.note = turnover, orders, note.strip()
    changes = diff(before, {"turnover": turnover, "orders": orders, "note": report.note})
    if not changes:
        return report
    report.corrected_at = timezone.now()
    # Corrected figures need a fresh look from the mentor.
    report.reviewed_at, report.reviewed_by = None, None
    report.save()
    log_action(
        actor=actor,
        verb="programs.kpi.corrected",
        obj=report.enrolment,
        changes={"week": [report.week_start.isoformat(), report.week_start.isoformat()], **changes},
    )
    if "turnover" in changes:
        # This week is compared with two weeks before, and two weeks later is compared with it.
        evaluate_risk(enrolment=report.enrolment, week_start=report.week_start, actor=actor)
        later = report.week_start + dt.timedelta(weeks=RISK_WEEKS)
        if KpiReport.objects.filter(enrolment=report.enrolment, week_start=later).exists():
            evaluate_risk(enrolment=report.enrolment, week_start=later, actor=actor)
    return report


def clean_photo(upload) -> ContentFile:
    """A photo read by Pillow, turned upright and re-encoded as JPEG: the image is real, not too
    large, and carries no EXIF (a phone photo's GPS position and camera details stay behind)."""
    if upload.size > PHOTO_MAX_BYTES:
        raise MentoringError(
            _("The photo is larger than %(mb)s MB; take it again or send a smaller one.")
            % {"mb": PHOTO_MAX_BYTES // (1024 * 1024)},
            code="photo_size",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in PHOTO_FORMATS:
            raise MentoringError(_("Send a JPEG, PNG or WebP photo."), code="photo_format")
        image = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise MentoringError(_("The file is not a photo Sentra can read."), code="photo_invalid") from None
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name="photo.jpg")


@transaction.atomic
def attach_kpi_photo(*, report: KpiReport, actor, upload) -> KpiReport:
    content = clean_photo(upload)
    old = report.photo.name if report.photo else None
    if report.photo:
        report.photo.delete(save=False)
    report.photo.save(content.name, content, save=False)
    report.save(update_fields=["photo"])
    log_action(
        actor=actor,
        verb="programs.kpi.photo",
        obj=report.enrolment,
        changes={"photo": [old and "…", report.week_start.isoformat()]},
    )
    return report


@transaction.atomic
def review_kpi_report(*, report: KpiReport, actor, note: str = "") -> KpiReport:
    report.reviewed_by, report.reviewed_at, report.review_note = actor, timezone.now(), note.strip()
    report.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    log_action(
        actor=actor,
        verb="programs.kpi.reviewed",
        obj=report.enrolment,
        changes={"reviewed": [None, report.week_start.isoformat()]},
        note=report.review_note,
    )
    return report


# --- at risk -----------------------------------------------------------------------------------


def evaluate_risk(*, enrolment: Enrolment, week_start: dt.date, actor) -> RiskTask | None:
    """Apply the at-risk rule to one week's report; returns a task opened now, if any."""
    reports = dict(
        KpiReport.objects.filter(
            enrolment=enrolment,
            week_start__in=[week_start, week_start - dt.timedelta(weeks=RISK_WEEKS)],
        ).values_list("week_start", "turnover")
    )
    after = reports.get(week_start)
    before = reports.get(week_start - dt.timedelta(weeks=RISK_WEEKS))
    at_risk = after is not None and before is not None and is_at_risk(before=before, after=after)
    task = RiskTask.objects.filter(enrolment=enrolment, week_start=week_start).first()
    if not at_risk:
        if task is not None and task.status == RiskTask.Status.OPEN:
            _close(task, actor=None, resolution=_("The corrected figures no longer show the drop."))
        return None
    if task is not None:
        task.turnover_before, task.turnover_after = before, after
        task.save(update_fields=["turnover_before", "turnover_after"])
        return None
    if RiskTask.objects.filter(enrolment=enrolment, status=RiskTask.Status.OPEN).exists():
        return None
    assignment = current_assignment(sme_id=enrolment.sme_id, programme=enrolment.programme)
    try:
        with transaction.atomic():
            task = RiskTask.objects.create(
                enrolment=enrolment,
                mentor=assignment.mentor if assignment else None,
                week_start=week_start,
                turnover_before=before,
                turnover_after=after,
            )
    except IntegrityError:
        return None
    log_action(
        actor=actor,
        verb="programs.risk.opened",
        obj=enrolment,
        action=AuditEntry.Action.CREATE,
        changes={"at_risk": [None, week_start.isoformat()], "drop_percent": [None, task.drop_percent]},
    )
    return task


def _close(task: RiskTask, *, actor, resolution: str) -> RiskTask:
    task.status, task.resolution = RiskTask.Status.CLOSED, resolution
    task.closed_by = actor if getattr(actor, "pk", None) else None
    task.closed_at = timezone.now()
    task.save(update_fields=["status", "resolution", "closed_by", "closed_at"])
    log_action(
        actor=actor,
        verb="programs.risk.closed",
        obj=task.enrolment,
        changes={"at_risk": [task.week_start.isoformat(), None]},
        note=resolution,
    )
    return task


@transaction.atomic
def close_risk_task(*, task: RiskTask, actor, resolution: str) -> RiskTask:
    if not resolution.strip():
        raise MentoringError(_("Say what was done for the business."), code="resolution")
    task = RiskTask.objects.select_for_update().get(pk=task.pk)
    if task.status != RiskTask.Status.OPEN:
        raise MentoringError(_("The task is already closed."), code="closed")
    return _close(task, actor=actor, resolution=resolution.strip())


def open_risks(programme: Programme) -> dict[int, RiskTask]:
    """Enrolment id -> its open at-risk task, for a cohort."""
    return {
        t.enrolment_id: t
        for t in RiskTask.objects.filter(enrolment__programme=programme, status=RiskTask.Status.OPEN)
    }

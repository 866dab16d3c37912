"""Services of the Perda area: obligations, realisation reports, their evidence and review.

Each is one transaction with its audit entry; a refused change raises ValidationError with a
translated reason and leaves nothing half-written (a report and its first evidence file are
saved together or not at all).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.audit import diff, log_action, snapshot
from sentra.core.models import AuditEntry

from . import compliance
from .models import Obligation, Realisation, ReportEvidence

if TYPE_CHECKING:
    from sentra.outlets.models import Outlet

OBLIGATION_FIELDS = (
    "partner",
    "category",
    "legal_basis",
    "article",
    "percentage",
    "basis",
    "period",
    "starts_on",
    "ends_on",
    "grace_days",
    "officer",
)
REPORT_FIELDS = ("total_m2", "allocated_m2", "total_idr", "allocated_idr", "description", "outlet")
# update_report's default: leave the report's outlet as it is.
KEEP = object()


def _full_clean(obj) -> None:
    try:
        obj.full_clean(exclude=["regency"])
    except ValidationError as exc:
        raise ValidationError(exc.messages) from None


# --- obligations -------------------------------------------------------------------------------


@transaction.atomic
def create_obligation(*, actor, data: dict[str, Any]) -> Obligation:
    obligation = Obligation(**data)
    _full_clean(obligation)
    obligation.save()
    log_action(
        actor=actor,
        verb="perda.obligation.created",
        obj=obligation,
        action=AuditEntry.Action.CREATE,
        changes=diff({}, snapshot(obligation, OBLIGATION_FIELDS)),
    )
    return obligation


@transaction.atomic
def update_obligation(*, obligation: Obligation, actor, data: dict[str, Any]) -> Obligation:
    locked = Obligation.objects.select_for_update().get(pk=obligation.pk)
    before = snapshot(locked, OBLIGATION_FIELDS)
    for name, value in data.items():
        setattr(locked, name, value)
    if locked.basis != before["basis"] and locked.reports.exists():
        raise ValidationError(
            _("Reports were already made on this basis: end this obligation and register a new one instead.")
        )
    if locked.period != before["period"] and locked.reports.exists():
        raise ValidationError(
            _("Reports were already made for these periods: end this obligation and register a new one.")
        )
    _full_clean(locked)
    locked.save()
    if changes := diff(before, snapshot(locked, OBLIGATION_FIELDS)):
        log_action(actor=actor, verb="perda.obligation.updated", obj=locked, changes=changes)
    return locked


# --- realisation reports -----------------------------------------------------------------------


def reportable_periods(obligation: Obligation, *, today: dt.date) -> list[compliance.Period]:
    """The obligation's periods from its start to the one running today (or its end)."""
    last = min(today, obligation.ends_on) if obligation.ends_on else today
    if last < obligation.starts_on:
        return []
    return compliance.periods_between(obligation.period, obligation.starts_on, last)


def check_period(obligation: Obligation, period_start: dt.date, *, today: dt.date) -> compliance.Period:
    period = compliance.period_starting(obligation.period, period_start)
    if period is None or period not in reportable_periods(obligation, today=today):
        raise ValidationError(_("This obligation has no reporting period starting on that day."))
    return period


def _measures(obligation: Obligation, total: Decimal | int, allocated: Decimal | int) -> dict[str, Any]:
    if total is None or allocated is None:
        raise ValidationError(_("Enter the total and the part given to SMEs and cooperatives."))
    if total <= 0:
        raise ValidationError(_("The total must be more than zero."))
    if allocated < 0:
        raise ValidationError(_("The part given to SMEs and cooperatives cannot be negative."))
    if allocated > total:
        raise ValidationError(_("The part given to SMEs and cooperatives cannot be more than the total."))
    if obligation.in_rupiah:
        if Decimal(total) != int(total) or Decimal(allocated) != int(allocated):
            raise ValidationError(_("Amounts in Rupiah are whole numbers."))
        return {
            "total_idr": int(total),
            "allocated_idr": int(allocated),
            "total_m2": None,
            "allocated_m2": None,
        }
    for value in (total, allocated):
        if Decimal(value) * 100 != int(Decimal(value) * 100):
            raise ValidationError(_("Space is given in m² with at most two decimals."))
    return {
        "total_m2": Decimal(total),
        "allocated_m2": Decimal(allocated),
        "total_idr": None,
        "allocated_idr": None,
    }


def hosted_outlets(obligation: Obligation):
    """The outlets (gerai) of the outlets area that the obliged business runs or hosts: the only ones
    its reports may point to."""
    from sentra.outlets.models import Outlet

    return Outlet.objects.filter(partner_id=obligation.partner_id).order_by("name", "id")


def _check_outlet(obligation: Obligation, outlet: Outlet | None) -> None:
    if outlet is not None and outlet.partner_id != obligation.partner_id:
        raise ValidationError(
            _("%(outlet)s is not an outlet of %(partner)s.")
            % {"outlet": outlet.name, "partner": obligation.partner.name}
        )


def _report_snapshot(report: Realisation) -> dict[str, Any]:
    values = snapshot(report, [*REPORT_FIELDS, "status"])
    values["smes"] = sorted(s.name for s in report.smes.all())
    values["cooperatives"] = sorted(c.name for c in report.cooperatives.all())
    return values


def _add_evidence(
    report: Realisation, *, actor, upload: UploadedFile, kind: str, caption: str
) -> ReportEvidence:
    evidence = ReportEvidence(report=report, kind=kind, caption=caption.strip(), uploaded_by=actor)
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def submit_report(
    *,
    obligation: Obligation,
    actor,
    period_start: dt.date,
    total: Decimal | int,
    allocated: Decimal | int,
    description: str = "",
    outlet: Outlet | None = None,
    smes: Iterable = (),
    cooperatives: Iterable = (),
    evidence: UploadedFile,
    evidence_kind: str,
    caption: str = "",
    today: dt.date | None = None,
) -> Realisation:
    """A partner user's (or an officer's, on the partner's behalf) report for one period; `outlet`,
    if given, must be one the business hosts (`hosted_outlets`)."""
    today = today or timezone.localdate()
    period = check_period(obligation, period_start, today=today)
    _check_outlet(obligation, outlet)
    report = Realisation(
        obligation=obligation,
        period_start=period.start,
        period_end=period.end,
        description=description.strip(),
        outlet=outlet,
        submitted_by=actor,
        submitted_at=timezone.now(),
        **_measures(obligation, total, allocated),
    )
    if Realisation.objects.filter(obligation=obligation, period_start=period.start).exists():
        raise ValidationError(_("A report for this period is already submitted."))
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Two submissions at once: the other one won.
        raise ValidationError(_("A report for this period is already submitted.")) from None
    report.smes.set(smes)
    report.cooperatives.set(cooperatives)
    _add_evidence(report, actor=actor, upload=evidence, kind=evidence_kind, caption=caption)
    log_action(
        actor=actor,
        verb="perda.report.submitted",
        obj=report,
        action=AuditEntry.Action.CREATE,
        changes={**diff({}, _report_snapshot(report)), "evidence": [None, 1]},
    )
    return report


def _editable(report: Realisation) -> Realisation:
    locked = Realisation.objects.select_for_update().select_related("obligation").get(pk=report.pk)
    if locked.status == Realisation.ReviewStatus.ACCEPTED:
        raise ValidationError(_("This report is accepted and can no longer be changed."))
    return locked


@transaction.atomic
def update_report(
    *,
    report: Realisation,
    actor,
    total: Decimal | int,
    allocated: Decimal | int,
    description: str = "",
    outlet: Outlet | None | Any = KEEP,
) -> Realisation:
    """Correct a report not yet accepted; a returned report goes back to the officers' queue."""
    locked = _editable(report)
    before = _report_snapshot(locked)
    for name, value in _measures(locked.obligation, total, allocated).items():
        setattr(locked, name, value)
    locked.description = description.strip()
    if outlet is not KEEP:
        _check_outlet(locked.obligation, outlet)
        locked.outlet = outlet
    resubmitted = locked.status == Realisation.ReviewStatus.RETURNED
    if resubmitted:
        locked.status = Realisation.ReviewStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor
    locked.save()
    if changes := diff(before, _report_snapshot(locked)):
        verb = "perda.report.resubmitted" if resubmitted else "perda.report.updated"
        log_action(actor=actor, verb=verb, obj=locked, changes=changes)
    return locked


@transaction.atomic
def set_beneficiaries(*, report: Realisation, actor, add: Iterable = (), remove: Iterable = ()) -> int:
    """Add or remove SMEs and cooperatives (registry records) named as benefiting; returns how many changed."""
    from sentra.registry.models import Sme

    locked = _editable(report)
    before = _report_snapshot(locked)
    changed = 0
    for record in add:
        relation = locked.smes if isinstance(record, Sme) else locked.cooperatives
        if not relation.filter(pk=record.pk).exists():
            relation.add(record)
            changed += 1
    for record in remove:
        relation = locked.smes if isinstance(record, Sme) else locked.cooperatives
        if relation.filter(pk=record.pk).exists():
            relation.remove(record)
            changed += 1
    if changes := diff(before, _report_snapshot(locked)):
        log_action(actor=actor, verb="perda.report.beneficiaries", obj=locked, changes=changes)
    return changed


@transaction.atomic
def add_evidence(
    *, report: Realisation, actor, upload: UploadedFile, kind: str, caption: str = ""
) -> ReportEvidence:
    locked = _editable(report)
    evidence = _add_evidence(locked, actor=actor, upload=upload, kind=kind, caption=caption)
    log_action(
        actor=actor,
        verb="perda.report.evidence_added",
        obj=locked,
        changes={"evidence": [None, evidence.caption or evidence.get_kind_display()]},
    )
    return evidence


@transaction.atomic
def review_report(*, report: Realisation, actor, accept: bool, note: str = "") -> Realisation:
    """Accept (the outcome is fixed from the figures and the percentage now in force) or return with a note."""
    locked = Realisation.objects.select_for_update().select_related("obligation").get(pk=report.pk)
    if locked.status != Realisation.ReviewStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report waiting for review can be reviewed."))
    note = note.strip()
    if not accept and not note:
        raise ValidationError(_("Say what needs correcting when returning a report."))
    before = snapshot(locked, ["status", "percentage", "outcome", "review_note"])
    if accept:
        locked.status = Realisation.ReviewStatus.ACCEPTED
        locked.percentage = locked.obligation.percentage
        locked.outcome = compliance.outcome(
            total=locked.total, allocated=locked.allocated, percentage=locked.percentage
        )
    else:
        locked.status = Realisation.ReviewStatus.RETURNED
    locked.review_note = note
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.save()
    log_action(
        actor=actor,
        verb="perda.report.accepted" if accept else "perda.report.returned",
        obj=locked,
        changes=diff(before, snapshot(locked, ["status", "percentage", "outcome", "review_note"])),
        note=note,
    )
    return locked

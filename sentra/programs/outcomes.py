"""What came of a programme for each participant: certificates obtained, products improved, scale
moved up ("naik kelas"), and the completion certificate whose QR verifies it on a public page.

A certificate obtained is written to the registry's legality records through the registry's own
services (`record_permit`, or `update_sme` for an NIB), so the SME's page, the registry's legality
filters and exports all see it. Naik kelas is not recorded here: it is read from the registry's
scale history, the SME's class before the programme began against its latest class since.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.audit import log_action
from sentra.core.models import AuditEntry
from sentra.registry import services as registry
from sentra.registry.models import Permit, Scale, ScaleRecord

from .models import Attendance, CompletionCertificate, Enrolment, Outcome, Programme
from .services import held_sessions

SCALE_ORDER = {Scale.MICRO: 0, Scale.SMALL: 1, Scale.MEDIUM: 2, Scale.LARGE: 3}


class OutcomeError(ValidationError):
    pass


def _participant(enrolment: Enrolment) -> None:
    if enrolment.status != Enrolment.Status.ACCEPTED:
        raise OutcomeError(_("Outcomes are recorded for participants only."), code="not_participant")


@transaction.atomic
def record_certificate(
    *,
    enrolment: Enrolment,
    actor,
    certificate: str,
    number: str,
    issued_on: dt.date | None = None,
    expires_on: dt.date | None = None,
) -> Outcome:
    """A certificate the participant obtained; the SME's legality records are updated with it."""
    _participant(enrolment)
    sme = enrolment.sme
    note = _("Obtained through %(programme)s") % {"programme": enrolment.programme.title}
    permit = None
    if certificate == Programme.Certification.NIB:
        if sme.nib and sme.nib != number:
            raise OutcomeError(
                _("This business already has NIB %(nib)s in the registry; correct it there if it changed.")
                % {"nib": sme.nib},
                code="nib",
            )
        if sme.nib != number or (issued_on and sme.nib_issued_on != issued_on):
            registry.update_sme(
                sme=sme, actor=actor, data={"nib": number, "nib_issued_on": issued_on or sme.nib_issued_on}
            )
    elif certificate in Permit.Kind.values:
        permit, _created = registry.record_permit(
            sme=sme,
            actor=actor,
            kind=certificate,
            number=number,
            issued_on=issued_on,
            expires_on=expires_on,
            note=note,
        )
    else:
        raise OutcomeError(_("Choose the kind of certificate."), code="kind")
    if Outcome.objects.filter(enrolment=enrolment, certificate=certificate, number=number).exists():
        raise OutcomeError(_("This certificate is already recorded for this participant."), code="repeat")
    outcome = Outcome.objects.create(
        enrolment=enrolment,
        kind=Outcome.Kind.CERTIFICATE,
        certificate=certificate,
        number=number,
        issued_on=issued_on,
        expires_on=expires_on,
        permit=permit,
        recorded_by=actor,
    )
    log_action(
        actor=actor,
        verb="programs.outcome.certificate",
        obj=enrolment,
        action=AuditEntry.Action.CREATE,
        changes={"certificate": [None, f"{outcome.get_certificate_display()} {number}"]},
    )
    return outcome


@transaction.atomic
def record_product_improvement(*, enrolment: Enrolment, actor, description: str, product=None) -> Outcome:
    _participant(enrolment)
    if not description.strip():
        raise OutcomeError(
            _("Say what improved (packaging, label, recipe, a new product…)."), code="description"
        )
    if product is not None and product.sme_id != enrolment.sme_id:
        raise OutcomeError(_("That product belongs to another business."), code="product")
    outcome = Outcome.objects.create(
        enrolment=enrolment,
        kind=Outcome.Kind.PRODUCT,
        description=description.strip(),
        product=product,
        recorded_by=actor,
    )
    log_action(
        actor=actor,
        verb="programs.outcome.product",
        obj=enrolment,
        action=AuditEntry.Action.CREATE,
        changes={"product_improved": [None, outcome.description]},
    )
    return outcome


# --- completion certificates -------------------------------------------------------------------


def attendance_share(enrolment: Enrolment) -> tuple[int, int]:
    """(sessions attended, sessions held so far) for a participant."""
    held = held_sessions(enrolment.programme)
    attended = Attendance.objects.filter(session__in=held, sme_id=enrolment.sme_id).count()
    return attended, held.count()


def attendance_shares(programme: Programme) -> dict[int, int]:
    """SME id -> sessions attended, for all of a programme's participants in one query."""
    rows = (
        Attendance.objects.filter(session__in=held_sessions(programme))
        .values("sme_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["sme_id"]: row["n"] for row in rows}


def certificate_number(enrolment: Enrolment) -> str:
    return f"{enrolment.programme.code}/{enrolment.pk:05d}"


@transaction.atomic
def issue_certificate(
    *, enrolment: Enrolment, actor, issued_on: dt.date | None = None
) -> CompletionCertificate:
    _participant(enrolment)
    if CompletionCertificate.objects.filter(enrolment=enrolment).exists():
        raise OutcomeError(_("A certificate was already issued to this participant."), code="repeat")
    programme = enrolment.programme
    attended, held = attendance_share(enrolment)
    if held == 0:
        raise OutcomeError(_("No session has been held yet."), code="no_sessions")
    if attended * 100 < programme.min_attendance * held:
        raise OutcomeError(
            _(
                "%(sme)s attended %(attended)s of %(held)s sessions (%(share)s%%); the programme asks for "
                "%(needed)s%% for a certificate."
            )
            % {
                "sme": enrolment.sme.name,
                "attended": attended,
                "held": held,
                "share": round(100 * attended / held),
                "needed": programme.min_attendance,
            },
            code="attendance",
        )
    certificate = CompletionCertificate.objects.create(
        enrolment=enrolment,
        number=certificate_number(enrolment),
        issued_on=issued_on or timezone.localdate(),
        issued_by=actor,
    )
    log_action(
        actor=actor,
        verb="programs.certificate.issued",
        obj=enrolment,
        action=AuditEntry.Action.CREATE,
        changes={"certificate": [None, certificate.number]},
    )
    return certificate


@transaction.atomic
def revoke_certificate(*, certificate: CompletionCertificate, actor, reason: str) -> CompletionCertificate:
    if not reason.strip():
        raise OutcomeError(_("Give the reason for revoking."), code="reason_required")
    if certificate.revoked_at:
        raise OutcomeError(_("The certificate is already revoked."), code="repeat")
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason.strip()
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    log_action(
        actor=actor,
        verb="programs.certificate.revoked",
        obj=certificate.enrolment,
        changes={"certificate": [certificate.number, None]},
        note=certificate.revoked_reason,
    )
    return certificate


# --- naik kelas --------------------------------------------------------------------------------


def scale_moves(enrolments: Iterable[Enrolment]) -> dict[int, tuple[str, str]]:
    """Enrolment id -> (scale before, scale now) for participants whose class moved up since their
    programme began, read from the registry's scale history in one query."""
    enrolments = list(enrolments)
    if not enrolments:
        return {}
    history = defaultdict(list)
    for sme_id, scale, at in (
        ScaleRecord.objects.filter(sme_id__in={e.sme_id for e in enrolments})
        .order_by("recorded_at", "id")
        .values_list("sme_id", "scale", "recorded_at")
    ):
        history[sme_id].append((timezone.localtime(at).date(), scale))
    moves = {}
    for enrolment in enrolments:
        start = enrolment.programme.starts_on
        records = history.get(enrolment.sme_id, [])
        before = [scale for day, scale in records if day < start]
        since = [scale for day, scale in records if day >= start]
        if before and since and SCALE_ORDER.get(since[-1], -1) > SCALE_ORDER.get(before[-1], -1):
            moves[enrolment.pk] = (before[-1], since[-1])
    return moves

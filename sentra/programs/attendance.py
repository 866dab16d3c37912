"""Checking people in at the door: by the QR of their attendance card, its short code, or their name.

A check-in may arrive twice — the phone's outbox sends again what it is not sure arrived, and a
second scan of the same card is common at a busy door — so recording is idempotent twice over: a
repeated `client_key` is the same request, and an SME already checked in to the session stays
checked in once (a unique (session, SME) pair). Neither records anything new.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.audit import log_action
from sentra.core.models import AuditEntry
from sentra.registry.models import Sme

from .models import Attendance, AttendanceCard, Enrolment, Session
from .services import normalise_code

# A check-in kept on a phone keeps the time it was taken, within reason: a phone's clock may be
# wrong, and a queue older than this is more likely a mistake than a check-in.
QUEUED_AT_MOST = dt.timedelta(days=3)


@dataclass(frozen=True)
class CheckIn:
    result: str  # "recorded", "already" or "refused"
    message: str
    sme: Sme | None = None
    attendance: Attendance | None = None

    @property
    def recorded(self) -> bool:
        return self.result == "recorded"


def _refused(message: str) -> CheckIn:
    return CheckIn("refused", message)


def _already(attendance: Attendance) -> CheckIn:
    at = timezone.localtime(attendance.checked_in_at)
    return CheckIn(
        "already",
        _("%(sme)s was already checked in at %(time)s; nothing new was recorded.")
        % {"sme": attendance.sme.name, "time": f"{at:%H:%M}"},
        attendance.sme,
        attendance,
    )


def _roll_name(card: AttendanceCard) -> str:
    return card.programme.title if card.programme_id else card.forum.name


def _not_expected(session: Session, sme: Sme) -> str | None:
    """Why an SME may not be checked in to this session, or None."""
    if session.programme_id:
        status = (
            Enrolment.objects.filter(programme_id=session.programme_id, sme=sme)
            .values_list("status", flat=True)
            .first()
        )
        if status == Enrolment.Status.ACCEPTED:
            return None
        if status is None:
            return _("%(sme)s is not enrolled in this programme.") % {"sme": sme.name}
        return _("%(sme)s is not a participant of this programme (%(status)s).") % {
            "sme": sme.name,
            "status": Enrolment.Status(status).label.lower(),
        }
    if sme.forum_id == session.forum_id and sme.merged_into_id is None:
        return None
    return _("%(sme)s is not a member of this forum.") % {"sme": sme.name}


def when_taken(at: dt.datetime | None, *, now: dt.datetime) -> dt.datetime:
    if at is None or at > now or at < now - QUEUED_AT_MOST:
        return now
    return at


@transaction.atomic
def check_in(
    *,
    session: Session,
    actor,
    method: str,
    code: str = "",
    sme: Sme | None = None,
    client_key: str = "",
    at: dt.datetime | None = None,
) -> CheckIn:
    """Record that an SME came to a session, found by its card's code or picked by name."""
    client_key = client_key.strip()[:64] or None
    if client_key:
        sent = Attendance.objects.filter(client_key=client_key).select_related("sme").first()
        if sent is not None:
            return _already(sent)
    if sme is None:
        wanted = normalise_code(code)
        if not wanted:
            return _refused(_("Type the code printed under the QR, or pick the name from the list."))
        card = AttendanceCard.objects.filter(code=wanted).select_related("sme", "programme", "forum").first()
        if card is None:
            return _refused(
                _("No attendance card has the code %(code)s. Check it and try again.") % {"code": code}
            )
        if (card.programme_id, card.forum_id) != (session.programme_id, session.forum_id):
            return _refused(
                _(
                    "This card is for another programme or forum (%(other)s); it cannot check anyone in to %(session)s."
                )
                % {"other": _roll_name(card), "session": session.title}
            )
        sme = card.sme
    problem = _not_expected(session, sme)
    if problem:
        return _refused(problem)
    existing = Attendance.objects.filter(session=session, sme=sme).select_related("sme").first()
    if existing is not None:
        return _already(existing)
    now = timezone.now()
    attendance = Attendance(
        session=session,
        sme=sme,
        method=method,
        checked_in_at=when_taken(at, now=now),
        recorded_by=actor if getattr(actor, "pk", None) else None,
        client_key=client_key,
    )
    try:
        with transaction.atomic():
            attendance.save()
    except IntegrityError:
        # The same SME checked in at another door a moment ago, or this very request arrived twice.
        existing = (
            Attendance.objects.filter(session=session, sme=sme).select_related("sme").first()
            or Attendance.objects.filter(client_key=client_key).select_related("sme").first()
        )
        return _already(existing)
    log_action(
        actor=actor,
        verb="programs.attendance.checked_in",
        obj=session,
        action=AuditEntry.Action.CREATE,
        changes={"attendance": [None, sme.name], "method": [None, method]},
    )
    at_local = timezone.localtime(attendance.checked_in_at)
    return CheckIn(
        "recorded",
        _("%(sme)s is checked in (%(time)s).") % {"sme": sme.name, "time": f"{at_local:%H:%M}"},
        sme,
        attendance,
    )


@transaction.atomic
def undo_check_in(*, attendance: Attendance, actor, reason: str) -> None:
    """Take back a check-in made by mistake (the wrong name ticked); the entry keeps who and why."""
    session, name = attendance.session, attendance.sme.name
    attendance.delete()
    log_action(
        actor=actor,
        verb="programs.attendance.undone",
        obj=session,
        action=AuditEntry.Action.DELETE,
        changes={"attendance": [name, None]},
        note=reason,
    )

"""The consultation clinic (the PLUT service desk): slots, bookings, advice, referrals, outcomes.

A consultant records the advice given, where the SME was referred, and any outcome ("NIB obtained",
"KUR approved"). An outcome counts in the reports only once a second officer has verified it: a
Dinas officer who is neither the consultant nor the person who recorded it.
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.audit import log_action
from sentra.core.models import AuditEntry

from .models import ClinicBooking, ClinicSlot, Mentor, Referral

# A slot is taken by any booking that was not cancelled.
HOLDING = (ClinicBooking.Status.BOOKED, ClinicBooking.Status.DONE, ClinicBooking.Status.NO_SHOW)


class ClinicError(ValidationError):
    pass


def free_slots(*, topic: str | None = None, now: dt.datetime | None = None):
    """Slots from now on that nobody holds, of active consultants (of a topic, when given)."""
    slots = ClinicSlot.objects.filter(starts_at__gt=now or timezone.now(), consultant__active=True).exclude(
        bookings__status__in=HOLDING
    )
    if topic:
        # The topics are a JSON list; its text holds each topic in quotes, on SQLite and PostgreSQL
        # alike (JSON "contains" is PostgreSQL only).
        slots = slots.filter(consultant__topics__icontains=f'"{topic}"')
    return slots.select_related("consultant", "consultant__partner").order_by("starts_at", "id")


@transaction.atomic
def add_slots(
    *,
    consultant: Mentor,
    actor,
    day: dt.date,
    first: dt.time,
    count: int,
    minutes: int,
    venue: str,
) -> list[ClinicSlot]:
    """`count` consecutive slots from `first`; a slot the consultant already has is kept as it is."""
    if not consultant.is_consultant or not consultant.active:
        raise ClinicError(_("%(name)s does not consult at the clinic.") % {"name": consultant.name})
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(day, first), tz)
    if start <= timezone.now():
        raise ClinicError(_("Slots are made for times still to come."), code="past")
    wanted = [start + dt.timedelta(minutes=minutes * i) for i in range(count)]
    existing = set(
        ClinicSlot.objects.filter(consultant=consultant, starts_at__in=wanted).values_list(
            "starts_at", flat=True
        )
    )
    slots = ClinicSlot.objects.bulk_create(
        [
            ClinicSlot(
                consultant=consultant, starts_at=at, minutes=minutes, venue=venue.strip(), created_by=actor
            )
            for at in wanted
            if at not in existing
        ]
    )
    if slots:
        log_action(
            actor=actor,
            verb="programs.clinic.slots_added",
            obj=consultant,
            action=AuditEntry.Action.CREATE,
            changes={"slots": [None, f"{day.isoformat()} {first:%H:%M} × {len(slots)}"]},
        )
    return slots


def slot_is_free(slot: ClinicSlot) -> bool:
    return not slot.bookings.filter(status__in=HOLDING).exists()


@transaction.atomic
def book_slot(*, slot: ClinicSlot, sme, actor, topic: str, question: str = "") -> ClinicBooking:
    slot = ClinicSlot.objects.select_for_update().select_related("consultant").get(pk=slot.pk)
    if slot.starts_at <= timezone.now():
        raise ClinicError(_("That slot has already begun; choose a later one."), code="past")
    if topic not in slot.consultant.topics:
        raise ClinicError(
            _("%(name)s does not consult on that topic; choose a slot of another consultant.")
            % {"name": slot.consultant.name},
            code="topic",
        )
    if not slot_is_free(slot):
        raise ClinicError(_("That slot was just taken; choose another."), code="taken")
    try:
        with transaction.atomic():
            booking = ClinicBooking.objects.create(
                slot=slot, sme=sme, topic=topic, question=question.strip(), booked_by=actor
            )
    except IntegrityError:
        raise ClinicError(_("That slot was just taken; choose another."), code="taken") from None
    log_action(
        actor=actor,
        verb="programs.clinic.booked",
        obj=booking,
        action=AuditEntry.Action.CREATE,
        changes={"slot": [None, str(slot)], "topic": [None, topic]},
    )
    return booking


@transaction.atomic
def cancel_booking(*, booking: ClinicBooking, actor, reason: str) -> ClinicBooking:
    if booking.status != ClinicBooking.Status.BOOKED:
        raise ClinicError(_("Only a booking still to come can be cancelled."), code="status")
    booking.status = ClinicBooking.Status.CANCELLED
    booking.save(update_fields=["status"])
    log_action(
        actor=actor,
        verb="programs.clinic.cancelled",
        obj=booking,
        changes={"status": [ClinicBooking.Status.BOOKED, ClinicBooking.Status.CANCELLED]},
        note=reason.strip(),
    )
    return booking


@transaction.atomic
def record_consultation(
    *,
    booking: ClinicBooking,
    actor,
    status: str,
    advice: str,
    outcome: str = "",
    referrals: Iterable[dict] = (),
) -> ClinicBooking:
    """The consultant's record of a consultation; a changed outcome waits for verification again."""
    if status not in (ClinicBooking.Status.DONE, ClinicBooking.Status.NO_SHOW):
        raise ClinicError(_("Say whether the consultation took place."), code="status")
    if status == ClinicBooking.Status.DONE and not advice.strip():
        raise ClinicError(_("Write the advice given."), code="advice")
    booking = ClinicBooking.objects.select_for_update().get(pk=booking.pk)
    before = {"status": booking.status, "advice": booking.advice, "outcome": booking.outcome}
    booking.status, booking.advice = status, advice.strip()
    outcome = outcome.strip()
    if outcome != booking.outcome:
        booking.outcome = outcome
        booking.outcome_recorded_by = actor if outcome else None
        booking.outcome_recorded_at = timezone.now() if outcome else None
        booking.outcome_verified_by, booking.outcome_verified_at = None, None
    booking.save()
    added = [
        Referral.objects.create(booking=booking, **referral)
        for referral in referrals
        if any(referral.values())
    ]
    after = {"status": booking.status, "advice": booking.advice, "outcome": booking.outcome}
    changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    if added:
        changes["referrals"] = [None, [str(r) for r in added]]
    log_action(actor=actor, verb="programs.clinic.consulted", obj=booking, changes=changes)
    return booking


def can_verify(booking: ClinicBooking, user) -> bool:
    return bool(
        user.is_dinas
        and booking.outcome
        and booking.outcome_verified_at is None
        and user.pk not in (booking.outcome_recorded_by_id, booking.slot.consultant.user_id)
    )


@transaction.atomic
def verify_outcome(*, booking: ClinicBooking, actor) -> ClinicBooking:
    booking = ClinicBooking.objects.select_for_update().select_related("slot__consultant").get(pk=booking.pk)
    if not booking.outcome:
        raise ClinicError(_("There is no outcome to verify."), code="no_outcome")
    if booking.outcome_verified_at is not None:
        raise ClinicError(_("The outcome is already verified."), code="repeat")
    if actor.pk in (booking.outcome_recorded_by_id, booking.slot.consultant.user_id):
        raise ClinicError(
            _("A second officer verifies an outcome: not the consultant, nor whoever recorded it."),
            code="own",
        )
    if not actor.is_dinas:
        raise ClinicError(_("Only a Dinas officer verifies outcomes."), code="role")
    booking.outcome_verified_by, booking.outcome_verified_at = actor, timezone.now()
    booking.save(update_fields=["outcome_verified_by", "outcome_verified_at"])
    log_action(
        actor=actor,
        verb="programs.clinic.outcome_verified",
        obj=booking,
        changes={"outcome_verified": [None, booking.outcome]},
    )
    return booking

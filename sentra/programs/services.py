"""Programmes, their sessions and participants: plain functions, one transaction each, audited.

Who takes part is decided here. An officer enrols an SME from the registry: it becomes a participant
while places are left, and goes to the waiting list when the programme is full. An owner's
application waits for the officer's selection, which takes participants in the order chosen until
the places run out and puts the rest on the waiting list. A participant who withdraws frees a place
that the longest-waiting SME on the list moves up into.
"""

import datetime as dt
import random
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.audit import diff, log_action, snapshot
from sentra.core.models import AuditEntry
from sentra.registry.models import Forum, Scale, Sme

from .models import AttendanceCard, Enrolment, Programme, Session

_NOT_AUDITED = {"public_id", "created_at", "updated_at", "regency", "code"}


def _audited(obj) -> dict[str, Any]:
    return {k: v for k, v in snapshot(obj).items() if k not in _NOT_AUDITED}


class EnrolmentError(ValidationError):
    """An enrolment, application or change of it that the programme's rules do not allow."""


# --- programmes --------------------------------------------------------------------------------


def code_for(programme: Programme) -> str:
    return f"PRG-{programme.starts_on:%Y}-{programme.pk:04d}"


def _eligibility_snapshot(programme: Programme) -> dict[str, list[str]]:
    return {
        "eligible_kecamatan": sorted(programme.eligible_kecamatan.values_list("name", flat=True)),
        "eligible_forums": sorted(programme.eligible_forums.values_list("name", flat=True)),
    }


@transaction.atomic
def create_programme(
    *, actor, data: dict[str, Any], kecamatan: Iterable = (), forums: Iterable = ()
) -> Programme:
    programme = Programme(**data, created_by=actor if getattr(actor, "pk", None) else None)
    programme.save()
    programme.code = code_for(programme)
    Programme.objects.filter(pk=programme.pk).update(code=programme.code)
    programme.eligible_kecamatan.set(kecamatan)
    programme.eligible_forums.set(forums)
    created = {**_audited(programme), **_eligibility_snapshot(programme)}
    changes = diff(
        {}, {k: v for k, v in created.items() if v not in (None, "", [], "[]") and k != "created_by"}
    )
    log_action(
        actor=actor,
        verb="programs.programme.created",
        obj=programme,
        action=AuditEntry.Action.CREATE,
        changes=changes,
    )
    return programme


@transaction.atomic
def update_programme(
    *, programme: Programme, actor, data: dict[str, Any], kecamatan: Iterable = (), forums: Iterable = ()
) -> Programme:
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    before = {**_audited(locked), **_eligibility_snapshot(locked)}
    for field, value in data.items():
        setattr(locked, field, value)
    locked.save()
    locked.eligible_kecamatan.set(kecamatan)
    locked.eligible_forums.set(forums)
    changes = diff(before, {**_audited(locked), **_eligibility_snapshot(locked)})
    if changes:
        log_action(actor=actor, verb="programs.programme.updated", obj=locked, changes=changes)
    # More places let the waiting list move up.
    _fill_from_waiting_list(locked, actor=actor)
    return locked


# --- sessions ----------------------------------------------------------------------------------


@transaction.atomic
def save_session(*, actor, data: dict[str, Any], session: Session | None = None, **owner) -> Session:
    """Add a session to a programme (owner: programme=…) or a forum (forum=…), or edit one."""
    created = session is None
    session = session or Session(**owner, created_by=actor if getattr(actor, "pk", None) else None)
    before = {} if created else _audited(session)
    for field, value in data.items():
        setattr(session, field, value)
    if session.forum_id and session.kind == Session.Kind.SESSION:
        session.kind = Session.Kind.MEETING
    session.full_clean(exclude=["created_by"])
    session.save()
    changes = diff(before, _audited(session))
    if created or changes:
        log_action(
            actor=actor,
            verb="programs.session.created" if created else "programs.session.updated",
            obj=session,
            action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
            changes=changes,
        )
    return session


# --- eligibility -------------------------------------------------------------------------------


def sector_labels() -> dict[str, str]:
    """KBLI category letter -> "C — Industri Pengolahan" (in the active language)."""
    from sentra.registry.forms import kbli_category_choices

    return dict(kbli_category_choices())


# A business submitted for verification may take part: facilitation (an NIB, a P-IRT) is often what
# completes its record. Drafts, rejected and inactive records may not.
TAKING_PART = (Sme.Status.VERIFIED, Sme.Status.SUBMITTED)


def eligibility_problems(programme: Programme, sme: Sme) -> list[str]:
    """Why an SME cannot take part, in words for the officer or owner; empty when it can."""
    problems = []
    if sme.merged_into_id or sme.status not in TAKING_PART:
        problems.append(
            _("Only businesses verified in the registry, or submitted for verification, can take part.")
        )
    if programme.eligible_sectors and sme.kbli_category not in programme.eligible_sectors:
        problems.append(
            _("The programme is for KBLI categories %(wanted)s; this business is in %(actual)s.")
            % {"wanted": ", ".join(programme.eligible_sectors), "actual": sme.kbli_category or "—"}
        )
    if programme.eligible_scales and sme.scale not in programme.eligible_scales:
        wanted = ", ".join(str(Scale(s).label).lower() for s in programme.eligible_scales)
        problems.append(
            _("The programme is for %(wanted)s businesses; this one is %(actual)s.")
            % {"wanted": wanted, "actual": (sme.get_scale_display() or "—").lower()}
        )
    kecamatan = [k.pk for k in programme.eligible_kecamatan.all()]
    if kecamatan and sme.kecamatan_id not in kecamatan:
        problems.append(_("The programme is for businesses in other kecamatan."))
    forums = [f.pk for f in programme.eligible_forums.all()]
    if forums and sme.forum_id not in forums:
        problems.append(_("The programme is for members of other forums."))
    return problems


def eligible_smes(programme: Programme, smes: QuerySet) -> QuerySet:
    """`smes` narrowed to those the programme's eligibility admits (the officer's picker)."""
    smes = smes.filter(status__in=TAKING_PART, merged_into__isnull=True)
    if programme.eligible_sectors:
        smes = smes.filter(kbli_category__in=programme.eligible_sectors)
    if programme.eligible_scales:
        smes = smes.filter(scale__in=programme.eligible_scales)
    kecamatan = [k.pk for k in programme.eligible_kecamatan.all()]
    if kecamatan:
        smes = smes.filter(kecamatan_id__in=kecamatan)
    forums = [f.pk for f in programme.eligible_forums.all()]
    if forums:
        smes = smes.filter(forum_id__in=forums)
    return smes


# --- enrolment ---------------------------------------------------------------------------------


def places_left(programme: Programme) -> int:
    taken = Enrolment.objects.filter(programme=programme, status=Enrolment.Status.ACCEPTED).count()
    return max(programme.quota - taken, 0)


def _lock(programme: Programme) -> Programme:
    # Every change of who takes part locks the programme row first, so two officers enrolling at
    # once cannot both take the last place.
    return Programme.objects.select_for_update().get(pk=programme.pk)


def _set_status(enrolment: Enrolment, status: str, *, actor, verb: str, note: str = "", now=None) -> None:
    old = enrolment.status
    enrolment.status = status
    if status == Enrolment.Status.WAITLISTED:
        enrolment.waitlisted_at = now or timezone.now()
    enrolment.decided_by = actor if getattr(actor, "pk", None) else None
    if note:
        enrolment.reason = note
    enrolment.save()
    log_action(actor=actor, verb=verb, obj=enrolment, changes={"status": [old, status]}, note=note)


def _place_or_wait(programme: Programme, enrolment: Enrolment, *, actor, verb: str) -> None:
    if places_left(programme) > 0:
        _set_status(enrolment, Enrolment.Status.ACCEPTED, actor=actor, verb=verb)
        ensure_card(sme=enrolment.sme, programme=programme)
    else:
        _set_status(enrolment, Enrolment.Status.WAITLISTED, actor=actor, verb=verb)


_ALREADY = {
    Enrolment.Status.ACCEPTED: lambda: _("%(sme)s is already a participant."),
    Enrolment.Status.WAITLISTED: lambda: _("%(sme)s is already on the waiting list."),
    Enrolment.Status.APPLIED: lambda: _("%(sme)s has already applied."),
    Enrolment.Status.DECLINED: lambda: _("%(sme)s was not selected for this programme."),
}


def _refuse_repeat(existing: Enrolment | None, sme: Sme, *, allow: Sequence[str] = ()) -> None:
    if existing is not None and existing.status not in (Enrolment.Status.WITHDRAWN, *allow):
        raise EnrolmentError(_ALREADY[existing.status]() % {"sme": sme.name}, code="repeat")


def _refuse_ineligible(programme: Programme, sme: Sme) -> None:
    problems = eligibility_problems(programme, sme)
    if problems:
        raise EnrolmentError(" ".join(problems), code="ineligible")


@transaction.atomic
def enrol_sme(*, programme: Programme, sme: Sme, actor) -> Enrolment:
    """An officer enrols an SME (or selects its application): a participant, or waiting when full."""
    programme = _lock(programme)
    if programme.status == Programme.Status.COMPLETED:
        raise EnrolmentError(_("The programme is completed; nobody can join it now."), code="completed")
    existing = Enrolment.objects.filter(programme=programme, sme=sme).first()
    _refuse_repeat(existing, sme, allow=(Enrolment.Status.APPLIED, Enrolment.Status.DECLINED))
    _refuse_ineligible(programme, sme)
    if existing is None:
        enrolment = Enrolment(
            programme=programme,
            sme=sme,
            status=Enrolment.Status.APPLIED,
            source=Enrolment.Source.OFFICER,
            created_by=actor,
        )
        enrolment.save()
        log_action(
            actor=actor,
            verb="programs.enrolment.created",
            obj=enrolment,
            action=AuditEntry.Action.CREATE,
            changes={"programme": [None, programme.title], "sme": [None, sme.name]},
        )
    else:
        enrolment = existing
    _place_or_wait(programme, enrolment, actor=actor, verb="programs.enrolment.selected")
    return enrolment


@transaction.atomic
def apply_for_programme(*, programme: Programme, sme: Sme, actor, motivation: str = "") -> Enrolment:
    """An owner applies for one of their businesses; an officer selects among the applications."""
    programme = _lock(programme)
    if programme.status != Programme.Status.OPEN:
        raise EnrolmentError(_("The programme is not open for applications."), code="closed")
    existing = Enrolment.objects.filter(programme=programme, sme=sme).first()
    _refuse_repeat(existing, sme)
    _refuse_ineligible(programme, sme)
    enrolment = existing or Enrolment(programme=programme, sme=sme, created_by=actor)
    old = enrolment.status if existing else None
    enrolment.status, enrolment.source = Enrolment.Status.APPLIED, Enrolment.Source.OWNER
    enrolment.motivation, enrolment.reason = motivation.strip(), ""
    enrolment.save()
    log_action(
        actor=actor,
        verb="programs.enrolment.applied",
        obj=enrolment,
        action=AuditEntry.Action.CREATE if existing is None else AuditEntry.Action.UPDATE,
        changes={"status": [old, enrolment.status]},
        note=enrolment.motivation,
    )
    return enrolment


@transaction.atomic
def select_applicants(*, programme: Programme, enrolments: Sequence[Enrolment], actor) -> dict[str, int]:
    """Take applicants in the order given while places are left; the rest go to the waiting list."""
    programme = _lock(programme)
    counts = {"accepted": 0, "waitlisted": 0}
    ids = [e.pk for e in enrolments]
    pending = Enrolment.objects.filter(
        pk__in=ids, programme=programme, status=Enrolment.Status.APPLIED
    ).select_related("sme")
    by_id = {e.pk: e for e in pending}
    for pk in ids:
        enrolment = by_id.get(pk)
        if enrolment is None:
            continue
        _place_or_wait(programme, enrolment, actor=actor, verb="programs.enrolment.selected")
        counts[enrolment.status] += 1
    return counts


@transaction.atomic
def decline_application(*, enrolment: Enrolment, actor, reason: str) -> Enrolment:
    if not reason.strip():
        raise EnrolmentError(_("Give the reason, for the applicant to read."), code="reason_required")
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status not in (Enrolment.Status.APPLIED, Enrolment.Status.WAITLISTED):
        raise EnrolmentError(_("Only an application or a place on the waiting list can be declined."))
    _set_status(
        enrolment,
        Enrolment.Status.DECLINED,
        actor=actor,
        verb="programs.enrolment.declined",
        note=reason.strip(),
    )
    return enrolment


@transaction.atomic
def withdraw_enrolment(*, enrolment: Enrolment, actor, reason: str) -> Enrolment | None:
    """Withdraw a participant, applicant or waiting SME; returns the SME that moved up, if any."""
    if not reason.strip():
        raise EnrolmentError(_("Give the reason for withdrawing."), code="reason_required")
    programme = _lock(enrolment.programme)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status in (Enrolment.Status.WITHDRAWN, Enrolment.Status.DECLINED):
        raise EnrolmentError(_("%(sme)s is not taking part any more.") % {"sme": enrolment.sme.name})
    was_participant = enrolment.status == Enrolment.Status.ACCEPTED
    _set_status(
        enrolment,
        Enrolment.Status.WITHDRAWN,
        actor=actor,
        verb="programs.enrolment.withdrawn",
        note=reason.strip(),
    )
    promoted = _fill_from_waiting_list(programme, actor=actor) if was_participant else []
    return promoted[0] if promoted else None


def can_withdraw(enrolment: Enrolment) -> bool:
    return enrolment.programme.status != Programme.Status.COMPLETED and enrolment.status in (
        Enrolment.Status.ACCEPTED,
        Enrolment.Status.WAITLISTED,
        Enrolment.Status.APPLIED,
    )


def waiting_list(programme: Programme) -> QuerySet:
    return Enrolment.objects.filter(programme=programme, status=Enrolment.Status.WAITLISTED).order_by(
        "waitlisted_at", "id"
    )


def _fill_from_waiting_list(programme: Programme, *, actor) -> list[Enrolment]:
    promoted = []
    free = places_left(programme)
    if free <= 0:
        return promoted
    for enrolment in waiting_list(programme).select_related("sme")[:free]:
        _set_status(enrolment, Enrolment.Status.ACCEPTED, actor=actor, verb="programs.enrolment.moved_up")
        ensure_card(sme=enrolment.sme, programme=programme)
        promoted.append(enrolment)
    return promoted


# --- attendance cards --------------------------------------------------------------------------

# No 0/O, 1/I: a code read out at the door or typed on a phone cannot be mistaken.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_code(rng: random.Random | None = None) -> str:
    choice = rng.choice if rng is not None else secrets.choice
    return "".join(choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What was typed or scanned ("abc-234", "ABC 234") as stored ("ABC234")."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def ensure_card(
    *, sme: Sme, programme: Programme | None = None, forum: Forum | None = None
) -> AttendanceCard:
    return ensure_cards(smes=[sme], programme=programme, forum=forum)[sme.pk]


def ensure_cards(
    *,
    smes: Iterable[Sme],
    programme: Programme | None = None,
    forum: Forum | None = None,
    rng: random.Random | None = None,
) -> dict[int, AttendanceCard]:
    """The attendance card of each SME for a programme or a forum, making those that are missing."""
    roll = {"programme": programme} if programme is not None else {"forum": forum}
    ids = [s.pk for s in smes]
    cards = {c.sme_id: c for c in AttendanceCard.objects.filter(sme_id__in=ids, **roll)}
    missing = [pk for pk in ids if pk not in cards]
    while missing:
        codes = {pk: new_code(rng) for pk in missing}
        taken = set(AttendanceCard.objects.filter(code__in=codes.values()).values_list("code", flat=True))
        fresh = [
            AttendanceCard(sme_id=pk, code=code, **roll)
            for pk, code in codes.items()
            if code not in taken and list(codes.values()).count(code) == 1
        ]
        try:
            with transaction.atomic():
                AttendanceCard.objects.bulk_create(fresh)
        except IntegrityError:
            pass  # a code taken meanwhile, or a card made by another request: read again and retry
        cards.update({c.sme_id: c for c in AttendanceCard.objects.filter(sme_id__in=missing, **roll)})
        missing = [pk for pk in ids if pk not in cards]
    return cards


def roll_filter(session: Session) -> Q:
    """The SMEs expected at a session: a programme's participants, or a forum's members."""
    if session.programme_id:
        return Q(enrolments__programme_id=session.programme_id, enrolments__status=Enrolment.Status.ACCEPTED)
    return Q(forum_id=session.forum_id, merged_into__isnull=True)


def held_sessions(programme: Programme, *, now: dt.datetime | None = None) -> QuerySet:
    return programme.sessions.filter(starts_at__lte=now or timezone.now())

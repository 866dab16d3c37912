"""Partnership services: partners, agreements and their activities, foster parents, consent, offers.

Plain functions, one transaction each, every change audited (`log_action`) inside it.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sentra.core.audit import diff, log_action, snapshot
from sentra.core.models import AuditEntry
from sentra.regions.models import RegencyOwned, home_regency_id
from sentra.registry.models import Sme

from . import consent
from .models import (
    Activity,
    Agreement,
    ConsentEvent,
    ConsentGrant,
    Evidence,
    FosterAssignment,
    FosterGoal,
    Offer,
    Partner,
)

# Bookkeeping, and the stored file's path (the audit names the uploaded file instead).
_NOT_AUDITED = {"public_id", "created_at", "updated_at", "regency", "signed_file"}


def _audited(obj) -> dict[str, Any]:
    return {k: v for k, v in snapshot(obj).items() if k not in _NOT_AUDITED}


def _names(objects: Iterable) -> list[str]:
    return sorted(str(o) for o in objects)


def _apply(obj, data: dict[str, Any]) -> None:
    for field, value in data.items():
        setattr(obj, field, value)


def _check(obj, *, exclude: Iterable[str] = ()) -> None:
    """Model validation, constraints included (an end before the start is refused here too)."""
    if isinstance(obj, RegencyOwned) and obj.regency_id is None:
        # Set before validating: the agreement number is unique within its regency.
        obj.regency_id = home_regency_id()
    obj.full_clean(exclude=[*exclude])


# --- partners ----------------------------------------------------------------------------------


@transaction.atomic
def create_partner(*, actor, data: dict[str, Any], users: Iterable = ()) -> Partner:
    partner = Partner(**data)
    _check(partner)
    partner.save()
    partner.users.set(users)
    changes = diff({}, _audited(partner))
    if usernames := _names(u.username for u in partner.users.all()):
        changes["users"] = [None, usernames]
    log_action(
        actor=actor,
        verb="partners.partner.created",
        obj=partner,
        action=AuditEntry.Action.CREATE,
        changes=changes,
    )
    return partner


@transaction.atomic
def update_partner(
    *, partner: Partner, actor, data: dict[str, Any], users: Iterable | None = None
) -> Partner:
    locked = Partner.objects.select_for_update().get(pk=partner.pk)
    before = _audited(locked)
    users_before = _names(u.username for u in locked.users.all())
    _apply(locked, data)
    _check(locked)
    locked.save()
    changes = diff(before, _audited(locked))
    if users is not None:
        locked.users.set(users)
        users_after = _names(u.username for u in locked.users.all())
        if users_after != users_before:
            changes["users"] = [users_before, users_after]
    if changes:
        log_action(actor=actor, verb="partners.partner.updated", obj=locked, changes=changes)
    return locked


# --- agreements --------------------------------------------------------------------------------


def _check_agreement(agreement: Agreement, partners: list[Partner]) -> None:
    errors = {}
    if not partners:
        errors["partners"] = _("Name at least one partner.")
    if agreement.status == Agreement.Status.SIGNED and agreement.signed_on is None:
        errors["signed_on"] = _("Give the date it was signed.")
    if errors:
        raise ValidationError(errors)
    _check(agreement, exclude=["signed_file"])


def _store_signed_file(agreement: Agreement, upload: UploadedFile | None) -> None:
    if upload is not None:
        agreement.signed_file.save(f"{agreement.public_id}.pdf", upload, save=False)


@transaction.atomic
def create_agreement(
    *, actor, data: dict[str, Any], partners: Iterable[Partner], signed_file: UploadedFile | None = None
) -> Agreement:
    partners = list(partners)
    agreement = Agreement(**data)
    _check_agreement(agreement, partners)
    _store_signed_file(agreement, signed_file)
    agreement.save()
    agreement.partners.set(partners)
    changes = diff({}, _audited(agreement))
    changes["partners"] = [None, _names(partners)]
    if signed_file is not None:
        changes["signed copy"] = [None, signed_file.name]
    log_action(
        actor=actor,
        verb="partners.agreement.created",
        obj=agreement,
        action=AuditEntry.Action.CREATE,
        changes=changes,
    )
    return agreement


@transaction.atomic
def update_agreement(
    *,
    agreement: Agreement,
    actor,
    data: dict[str, Any],
    partners: Iterable[Partner],
    signed_file: UploadedFile | None = None,
) -> Agreement:
    partners = list(partners)
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    before, partners_before = _audited(locked), _names(locked.partners.all())
    _apply(locked, data)
    _check_agreement(locked, partners)
    _store_signed_file(locked, signed_file)
    locked.save()
    locked.partners.set(partners)
    changes = diff(before, _audited(locked))
    if _names(partners) != partners_before:
        changes["partners"] = [partners_before, _names(partners)]
    if signed_file is not None:
        changes["signed copy"] = [None, signed_file.name]
    if changes:
        log_action(actor=actor, verb="partners.agreement.updated", obj=locked, changes=changes)
    return locked


@transaction.atomic
def end_agreement(*, agreement: Agreement, actor, note: str) -> Agreement:
    """Close an agreement: expired and not continued, or terminated early. Its reminders stop."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say why the agreement ends.")})
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.status == Agreement.Status.ENDED:
        raise ValidationError(_("This agreement has already ended."))
    before = _audited(locked)
    locked.status, locked.end_note = Agreement.Status.ENDED, note
    locked.save(update_fields=["status", "end_note", "updated_at"])
    log_action(
        actor=actor,
        verb="partners.agreement.ended",
        obj=locked,
        changes=diff(before, _audited(locked)),
        note=note,
    )
    return locked


# --- activities --------------------------------------------------------------------------------


def _check_activity(activity: Activity) -> None:
    parent = activity.parent
    last_day = activity.ends_on or activity.starts_on
    if activity.starts_on < parent.starts_on or last_day > parent.ends_on:
        raise ValidationError(
            {
                "starts_on": _("The activity must fall within the period, %(start)s to %(end)s.")
                % {"start": parent.starts_on.strftime("%d-%m-%Y"), "end": parent.ends_on.strftime("%d-%m-%Y")}
            }
        )
    _check(activity, exclude=["agreement", "foster", "created_by"])


@transaction.atomic
def record_activity(*, actor, parent: Agreement | FosterAssignment, data: dict[str, Any]) -> Activity:
    activity = Activity(**data, created_by=actor)
    if isinstance(parent, Agreement):
        activity.agreement = parent
    else:
        activity.foster = parent
    _check_activity(activity)
    activity.save()
    log_action(
        actor=actor,
        verb="partners.activity.recorded",
        obj=activity,
        action=AuditEntry.Action.CREATE,
        changes=diff({}, _audited(activity)),
    )
    return activity


@transaction.atomic
def update_activity(*, activity: Activity, actor, data: dict[str, Any]) -> Activity:
    locked = Activity.objects.select_for_update().select_related("agreement", "foster").get(pk=activity.pk)
    before = _audited(locked)
    _apply(locked, data)
    _check_activity(locked)
    changes = diff(before, _audited(locked))
    if changes:
        locked.save()
        log_action(actor=actor, verb="partners.activity.updated", obj=locked, changes=changes)
    return locked


def _add_smes(*, obj: Activity | FosterAssignment, actor, smes: list[Sme], verb: str) -> int:
    present = set(obj.smes.filter(pk__in=[sme.pk for sme in smes]).values_list("pk", flat=True))
    new = [sme for sme in smes if sme.pk not in present]
    if new:
        obj.smes.add(*new)
        log_action(actor=actor, verb=verb, obj=obj, changes={"smes": [None, _names(new)]})
    return len(new)


def _remove_sme(*, obj: Activity | FosterAssignment, actor, sme: Sme, verb: str) -> None:
    if obj.smes.filter(pk=sme.pk).exists():
        obj.smes.remove(sme)
        log_action(actor=actor, verb=verb, obj=obj, changes={"smes": [sme.name, None]})


@transaction.atomic
def add_activity_smes(*, activity: Activity, actor, smes: Iterable[Sme]) -> int:
    return _add_smes(obj=activity, actor=actor, smes=list(smes), verb="partners.activity.smes_added")


@transaction.atomic
def remove_activity_sme(*, activity: Activity, actor, sme: Sme) -> None:
    _remove_sme(obj=activity, actor=actor, sme=sme, verb="partners.activity.sme_removed")


@transaction.atomic
def add_evidence(
    *, activity: Activity, actor, upload: UploadedFile, kind: str, caption: str = ""
) -> Evidence:
    evidence = Evidence(activity=activity, kind=kind, caption=caption.strip(), uploaded_by=actor)
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    log_action(
        actor=actor,
        verb="partners.activity.evidence_added",
        obj=activity,
        changes={"evidence": [None, evidence.caption or evidence.get_kind_display()]},
    )
    return evidence


# --- foster parents ----------------------------------------------------------------------------


def _save_goals(assignment: FosterAssignment, goals: dict[str, int | None]) -> dict[str, list]:
    """Set the targets ({measure: target or None}); returns the audit changes."""
    existing = {g.measure: g for g in assignment.targets.all()}
    changes = {}
    for measure, target in goals.items():
        goal = existing.get(measure)
        old = goal.target if goal else None
        if target in (None, 0):
            if goal is not None:
                goal.delete()
        elif goal is None:
            FosterGoal.objects.create(assignment=assignment, measure=measure, target=target)
        elif goal.target != target:
            goal.target = target
            goal.save(update_fields=["target"])
        new = target or None
        if old != new:
            changes[f"goal: {FosterGoal.Measure(measure).label}"] = [old, new]
    return changes


@transaction.atomic
def create_foster(
    *, actor, data: dict[str, Any], goals: dict[str, int | None] | None = None
) -> FosterAssignment:
    assignment = FosterAssignment(**data)
    _check(assignment)
    assignment.save()
    changes = diff({}, _audited(assignment))
    changes.update(_save_goals(assignment, goals or {}))
    log_action(
        actor=actor,
        verb="partners.foster.created",
        obj=assignment,
        action=AuditEntry.Action.CREATE,
        changes=changes,
    )
    return assignment


@transaction.atomic
def update_foster(
    *, assignment: FosterAssignment, actor, data: dict[str, Any], goals: dict[str, int | None] | None = None
) -> FosterAssignment:
    locked = FosterAssignment.objects.select_for_update().get(pk=assignment.pk)
    before = _audited(locked)
    _apply(locked, data)
    _check(locked)
    if locked.kecamatan_id and locked.smes.exclude(kecamatan_id=locked.kecamatan_id).exists():
        raise ValidationError(
            {
                "kecamatan": _(
                    "Some adopted SMEs are in another kecamatan: remove them first, or leave this empty."
                )
            }
        )
    locked.save()
    changes = diff(before, _audited(locked))
    changes.update(_save_goals(locked, goals or {}))
    if changes:
        log_action(actor=actor, verb="partners.foster.updated", obj=locked, changes=changes)
    return locked


@transaction.atomic
def add_foster_smes(*, assignment: FosterAssignment, actor, smes: Iterable[Sme]) -> int:
    smes = list(smes)
    if assignment.kecamatan_id and any(sme.kecamatan_id != assignment.kecamatan_id for sme in smes):
        raise ValidationError(
            _("Only SMEs of Kecamatan %(name)s can be adopted under this assignment.")
            % {"name": assignment.kecamatan.name}
        )
    return _add_smes(obj=assignment, actor=actor, smes=smes, verb="partners.foster.smes_added")


@transaction.atomic
def remove_foster_sme(*, assignment: FosterAssignment, actor, sme: Sme) -> None:
    _remove_sme(obj=assignment, actor=actor, sme=sme, verb="partners.foster.sme_removed")


# --- consent -----------------------------------------------------------------------------------


@transaction.atomic
def set_consent(*, sme: Sme, actor, kinds: Iterable[str], fields: Iterable[str]) -> ConsentEvent | None:
    """Replace the SME's consent: the kinds of partner that may find it and the fields they see.

    No kinds withdraws it. Open offers from partners of a kind no longer consented are closed in the
    same transaction: the partner can no longer reach the SME, so it cannot wait for an answer
    either. Returns the history entry, or None when nothing changed.
    """
    kinds, fields = consent.clean_kinds(kinds), consent.clean_fields(fields)
    if not kinds:
        fields = []
    # Locking the SME serialises two changes to its consent (two phones, one owner).
    Sme.objects.select_for_update(of=("self",)).filter(pk=sme.pk).first()
    grants = {g.kind: g for g in ConsentGrant.objects.filter(sme=sme)}
    old_kinds = consent.clean_kinds(grants)
    old_fields = consent.clean_fields(next(iter(grants.values())).fields) if grants else []
    if (old_kinds, old_fields) == (kinds, fields):
        return None
    withdrawn = [kind for kind in grants if kind not in kinds]
    ConsentGrant.objects.filter(sme=sme, kind__in=withdrawn).delete()
    ConsentGrant.objects.filter(sme=sme, kind__in=kinds).exclude(fields=fields).update(
        fields=fields, updated_at=timezone.now()
    )
    ConsentGrant.objects.bulk_create(
        [ConsentGrant(sme=sme, kind=k, fields=fields) for k in kinds if k not in grants]
    )
    closed = Offer.objects.filter(sme=sme, status=Offer.Status.OPEN, partner__kind__in=withdrawn).update(
        status=Offer.Status.CLOSED
    )
    action = (
        ConsentEvent.Action.WITHDRAWN
        if not kinds
        else ConsentEvent.Action.GIVEN
        if not grants
        else ConsentEvent.Action.CHANGED
    )
    event = ConsentEvent.objects.create(sme=sme, by=actor, action=action, kinds=kinds, fields=fields)
    log_action(
        actor=actor,
        verb=f"partners.consent.{action}",
        obj=sme,
        changes={
            "consent: kinds of partner": [old_kinds or None, kinds or None],
            "consent: shared fields": [old_fields or None, fields or None],
        },
        note=ngettext("%(count)s open offer closed", "%(count)s open offers closed", closed)
        % {"count": closed}
        if closed
        else "",
    )
    return event


# --- offers ------------------------------------------------------------------------------------


class NoConsent(Exception):
    """The SME does not (or no longer) consent to this partner's kind: to the partner it does not exist."""


def _consents(sme: Sme, partner: Partner) -> bool:
    """Whether the SME consents to the partner's kind, the SME's row locked until the transaction ends.

    The SME's row is the one lock both this and `set_consent` take, first: an offer and a withdrawal
    at the same moment take turns (a lock on the consent row instead would deadlock with the
    withdrawal, which locks the SME and then deletes that row while the offer's insert waits on the
    SME). Whichever comes second sees what the first did.
    """
    locked = (
        Sme.objects.select_for_update(of=("self",))
        .active()
        .verified()
        .filter(pk=sme.pk)
        .values_list("pk", flat=True)
    )
    return bool(list(locked)) and ConsentGrant.objects.filter(sme=sme, kind=partner.kind).exists()


@transaction.atomic
def send_offer(*, partner: Partner, sme: Sme, actor, data: dict[str, Any]) -> Offer:
    if not _consents(sme, partner):
        raise NoConsent
    valid_until = data.get("valid_until")
    if valid_until is not None and valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("The answer-by date has already passed.")})
    offer = Offer(partner=partner, sme=sme, sent_by=actor, **data)
    _check(offer, exclude=["partner", "sme", "sent_by"])
    if Offer.objects.filter(partner=partner, sme=sme, kind=offer.kind, status=Offer.Status.OPEN).exists():
        raise ValidationError(_("Your organisation already has an open offer of this kind to this SME."))
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError:
        # A colleague's offer of the same kind got in first.
        raise ValidationError(
            _("Your organisation already has an open offer of this kind to this SME.")
        ) from None
    log_action(
        actor=actor,
        verb="partners.offer.sent",
        obj=offer,
        action=AuditEntry.Action.CREATE,
        changes={
            "partner": [None, partner.name],
            "sme": [None, sme.name],
            "kind": [None, offer.kind],
            "title": [None, offer.title],
            "amount": [None, offer.amount],
            "valid_until": [None, offer.valid_until.isoformat() if offer.valid_until else None],
        },
    )
    return offer


def _locked_open_offer(offer: Offer, today: dt.date) -> Offer:
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    if locked.status != Offer.Status.OPEN:
        raise ValidationError(_("This offer is no longer open."))
    if not locked.is_open(today):
        raise ValidationError(_("The answer-by date of this offer has passed."))
    return locked


@transaction.atomic
def answer_offer(*, offer: Offer, actor, accept: bool, answer: str = "") -> Offer:
    """The SME accepts or declines; the partner then sees the answer (and only what is consented)."""
    locked = _locked_open_offer(offer, timezone.localdate())
    locked.status = Offer.Status.ACCEPTED if accept else Offer.Status.DECLINED
    locked.answer, locked.answered_at, locked.answered_by = answer.strip(), timezone.now(), actor
    locked.save(update_fields=["status", "answer", "answered_at", "answered_by"])
    log_action(
        actor=actor,
        verb="partners.offer.accepted" if accept else "partners.offer.declined",
        obj=locked,
        changes={"status": [Offer.Status.OPEN, locked.status]},
        note=locked.answer,
    )
    return locked


@transaction.atomic
def withdraw_offer(*, offer: Offer, actor, reason: str) -> Offer:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the offer is withdrawn.")})
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    if locked.status != Offer.Status.OPEN:
        raise ValidationError(_("This offer is no longer open."))
    locked.status = Offer.Status.WITHDRAWN
    locked.save(update_fields=["status"])
    log_action(
        actor=actor,
        verb="partners.offer.withdrawn",
        obj=locked,
        changes={"status": [Offer.Status.OPEN, locked.status]},
        note=reason,
    )
    return locked

"""Registry services: plain functions, one transaction each, every change audited."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.core.audit import diff, log_action, snapshot
from sentra.core.models import AuditEntry
from sentra.regions.models import Region

from .kbli import category_for
from .models import Cooperative, CooperativeManager, Forum, Owner, Permit, ScaleRecord, Sme
from .normalize import classify_scale
from .search import search_text_for

# Derived or bookkeeping columns: an audit entry lists what a person changed, not these.
_NOT_AUDITED = {"search_text", "name_key", "public_id", "created_at", "updated_at", "regency"}
DEFAULT_KBLI_VERSION = 2020


def dashboard_figures(*, user) -> dict:
    """Headline counts for a Dinas home page, within the user's scope, in one query per table."""
    smes = Sme.objects.for_user(user).aggregate(
        smes=Count("id"),
        verified=Count("id", filter=Q(status=Sme.Status.VERIFIED)),
        submitted=Count("id", filter=Q(status=Sme.Status.SUBMITTED)),
    )
    cooperatives = Cooperative.objects.all()
    scope = user.kecamatan_scope()
    if scope is not None:
        cooperatives = cooperatives.filter(kecamatan_id__in=scope)
    return {**smes, "cooperatives": cooperatives.count(), "as_of": timezone.now()}


def _audited(obj) -> dict[str, Any]:
    return {k: v for k, v in snapshot(obj).items() if k not in _NOT_AUDITED}


# --- status ------------------------------------------------------------------------------------


class StatusError(ValidationError):
    """A status change the SME's current status does not allow."""


# Which statuses each action may start from. Verifying again is how an inactive business returns.
_FROM = {
    "verify": {Sme.Status.DRAFT, Sme.Status.SUBMITTED, Sme.Status.REJECTED, Sme.Status.INACTIVE},
    "reject": {Sme.Status.DRAFT, Sme.Status.SUBMITTED, Sme.Status.VERIFIED},
    "deactivate": {Sme.Status.DRAFT, Sme.Status.SUBMITTED, Sme.Status.VERIFIED, Sme.Status.REJECTED},
}
_REFUSALS = {
    "verify": _("An SME that is %(status)s cannot be verified."),
    "reject": _("An SME that is %(status)s cannot be rejected."),
    "deactivate": _("An SME that is %(status)s cannot be deactivated."),
}


def _change_status(*, sme: Sme, actor, action: str, status: str, note: str, verb: str) -> Sme:
    locked = Sme.objects.select_for_update().get(pk=sme.pk)
    if locked.status not in _FROM[action]:
        raise StatusError(
            _REFUSALS[action], code="status", params={"status": locked.get_status_display().lower()}
        )
    before = _audited(locked)
    locked.status = status
    locked.status_note = note
    if status == Sme.Status.VERIFIED:
        locked.verified_at = timezone.now()
        locked.verified_by = actor
    locked.save(update_fields=["status", "status_note", "verified_at", "verified_by", "updated_at"])
    changes = diff(before, _audited(locked))
    log_action(actor=actor, verb=verb, obj=locked, changes=changes, note=note)
    return locked


@transaction.atomic
def verify_sme(*, sme: Sme, officer, note: str = "") -> Sme:
    return _change_status(
        sme=sme,
        actor=officer,
        action="verify",
        status=Sme.Status.VERIFIED,
        note=note.strip(),
        verb="registry.sme.verified",
    )


@transaction.atomic
def reject_sme(*, sme: Sme, officer, reason: str) -> Sme:
    if not reason.strip():
        raise ValidationError(_("Give the reason for rejecting."), code="reason_required")
    return _change_status(
        sme=sme,
        actor=officer,
        action="reject",
        status=Sme.Status.REJECTED,
        note=reason.strip(),
        verb="registry.sme.rejected",
    )


@transaction.atomic
def deactivate_sme(*, sme: Sme, officer, reason: str) -> Sme:
    if not reason.strip():
        raise ValidationError(_("Give the reason for deactivating."), code="reason_required")
    return _change_status(
        sme=sme,
        actor=officer,
        action="deactivate",
        status=Sme.Status.INACTIVE,
        note=reason.strip(),
        verb="registry.sme.deactivated",
    )


# --- legality ----------------------------------------------------------------------------------

# An officer gets this much warning to help the owner renew a halal certificate or P-IRT in time.
EXPIRY_WARNING_DAYS = 90


def permit_state(permit, *, today: dt.date) -> str:
    """valid, expiring (within EXPIRY_WARNING_DAYS), expired, or no_expiry."""
    if permit.expires_on is None:
        return "no_expiry"
    if permit.expires_on < today:
        return "expired"
    if permit.expires_on <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS):
        return "expiring"
    return "valid"


@transaction.atomic
def record_permit(
    *,
    sme: Sme,
    actor,
    kind: str,
    number: str,
    issued_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    note: str = "",
) -> tuple[Permit, bool]:
    """Add a legality document to an SME, or update the dates of the one with that number.

    For the areas through which an SME obtains a certificate (programme facilitation); returns the
    permit and whether it is new. The entry goes on the SME's history, where its permits are read.
    """
    number = number.strip()
    if kind not in Permit.Kind.values or not number:
        raise ValidationError(_("A permit needs a known kind and a number."), code="permit")
    permit = Permit.objects.select_for_update().filter(sme=sme, kind=kind, number=number).first()
    created = permit is None
    before = {} if created else {"issued_on": permit.issued_on, "expires_on": permit.expires_on}
    if created:
        permit = Permit(sme=sme, kind=kind, number=number)
    permit.issued_on = issued_on or permit.issued_on
    if expires_on:
        # An entered date replaces one read from a P-IRT number.
        permit.expires_on, permit.expiry_derived = expires_on, False
    after = {"issued_on": permit.issued_on, "expires_on": permit.expires_on}
    if not created and before == after:
        return permit, False
    permit.save()
    label = f"permit.{kind}"
    changes = {label: [None, number]} if created else {}
    for field in ("issued_on", "expires_on"):
        if before.get(field) != after[field]:
            old, new = before.get(field), after[field]
            changes[f"{label}.{field}"] = [old and old.isoformat(), new and new.isoformat()]
    log_action(actor=actor, verb="registry.permit.recorded", obj=sme, changes=changes, note=note)
    return permit, created


def pirt_expiry_year(permit) -> int | None:
    """The expiry year a P-IRT number carries, for a P-IRT whose expiry was read from it.

    Only the year is in the number, not the day: the expiry is kept as 31 December of that year (so
    the badge, "P-IRT expired" and the counts agree) and the page shows it as a year, "(from the number)".
    """
    if permit.kind != "pirt" or not permit.expiry_derived or permit.expires_on is None:
        return None
    return permit.expires_on.year


# --- create and edit ---------------------------------------------------------------------------


def _derive(sme: Sme) -> ScaleRecord | None:
    """Fill the columns computed from others; returns a new scale record when the scale changed."""
    from .claims import name_key_for

    if sme.kbli_code:
        sme.kbli_version = sme.kbli_version or DEFAULT_KBLI_VERSION
        sme.kbli_category = category_for(sme.kbli_code, sme.kbli_version).letter
    else:
        sme.kbli_version, sme.kbli_category = None, ""
    sme.name_key = name_key_for(sme.name)
    sme.search_text = search_text_for(sme)
    scale, basis = classify_scale(capital=sme.capital, turnover=sme.turnover)
    if scale is None:
        # Without either measure the last known class stays: it is still the best information.
        return None
    changed = scale != sme.scale
    sme.scale, sme.scale_basis = scale, basis
    if not changed:
        return None
    return ScaleRecord(sme=sme, scale=scale, basis=basis, capital=sme.capital, turnover=sme.turnover)


def _save_owner(*, owner: Owner | None, actor, data: dict[str, Any] | None) -> Owner | None:
    """Create or update the owner.

    A new business whose NIK the registry already holds belongs to that same person: the form only
    fills what the record lacks, so a half-filled form cannot erase what another business told us.
    """
    if not data:
        return owner
    data = dict(data)
    if owner is None and data.get("nik"):
        owner = Owner.objects.select_for_update().filter(nik=data["nik"]).first()
        if owner is not None:
            data = {k: v for k, v in data.items() if v not in (None, "") and getattr(owner, k) in (None, "")}
    if owner is None:
        owner = Owner(**data)
        owner.save()
        log_action(
            actor=actor,
            verb="registry.owner.created",
            obj=owner,
            action=AuditEntry.Action.CREATE,
            changes=diff({}, _audited(owner)),
        )
        return owner
    before = _audited(owner)
    for field, value in data.items():
        setattr(owner, field, value)
    changes = diff(before, _audited(owner))
    if changes:
        owner.save()
        log_action(actor=actor, verb="registry.owner.updated", obj=owner, changes=changes)
        # The owner's name is part of every one of their businesses' search words.
        if "name" in changes:
            from .search import refresh_search_text

            refresh_search_text(owner.smes.select_related("owner"))
    return owner


@transaction.atomic
def create_sme(*, actor, data: dict[str, Any], owner_data: dict[str, Any] | None = None) -> Sme:
    """A new SME entered by an officer; it starts as a draft until someone verifies it."""
    owner = _save_owner(owner=None, actor=actor, data=owner_data)
    sme = Sme(**data, owner=owner, source=Sme.Source.MANUAL, status=Sme.Status.DRAFT)
    record = _derive(sme)
    sme.save()
    if record is not None:
        record.save()
    log_action(
        actor=actor,
        verb="registry.sme.created",
        obj=sme,
        action=AuditEntry.Action.CREATE,
        changes=diff({}, _audited(sme)),
    )
    return sme


@transaction.atomic
def update_sme(*, sme: Sme, actor, data: dict[str, Any], owner_data: dict[str, Any] | None = None) -> Sme:
    """Apply an officer's edit; the scale is recomputed and a change of class is kept in its history."""
    # Only the SME row is locked: FOR UPDATE cannot reach across the outer join to a missing owner.
    locked = Sme.objects.select_for_update(of=("self",)).select_related("owner").get(pk=sme.pk)
    before = _audited(locked)
    owner = _save_owner(owner=locked.owner, actor=actor, data=owner_data)
    locked.owner = owner
    for field, value in data.items():
        setattr(locked, field, value)
    record = _derive(locked)
    changes = diff(before, _audited(locked))
    if changes:
        locked.save()
        if record is not None:
            record.save()
        log_action(actor=actor, verb="registry.sme.updated", obj=locked, changes=changes)
    return locked


# --- cooperatives ------------------------------------------------------------------------------


def _manager_list(cooperative: Cooperative) -> list[str]:
    return [str(m) for m in cooperative.managers.order_by("id")]


def _save_managers(cooperative: Cooperative, managers: Iterable[dict[str, Any]]) -> None:
    """Apply rows of {"id", "name", "position", "delete"}: no id adds, delete removes, else edits."""
    existing = {m.pk: m for m in cooperative.managers.all()}
    for row in managers:
        manager = existing.get(row.get("id")) if row.get("id") else None
        if row.get("delete"):
            if manager is not None:
                manager.delete()
            continue
        if manager is None:
            CooperativeManager.objects.create(
                cooperative=cooperative, name=row["name"], position=row["position"]
            )
        elif (manager.name, manager.position) != (row["name"], row["position"]):
            manager.name, manager.position = row["name"], row["position"]
            manager.save()


@transaction.atomic
def create_cooperative(
    *, actor, data: dict[str, Any], managers: Iterable[dict[str, Any]] = ()
) -> Cooperative:
    cooperative = Cooperative(**data)
    cooperative.save()
    _save_managers(cooperative, managers)
    changes = diff({}, _audited(cooperative))
    if board := _manager_list(cooperative):
        changes["managers"] = [None, board]
    log_action(
        actor=actor,
        verb="registry.cooperative.created",
        obj=cooperative,
        action=AuditEntry.Action.CREATE,
        changes=changes,
    )
    return cooperative


@transaction.atomic
def update_cooperative(
    *, cooperative: Cooperative, actor, data: dict[str, Any], managers: Iterable[dict[str, Any]] = ()
) -> Cooperative:
    locked = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    before, board_before = _audited(locked), _manager_list(locked)
    for field, value in data.items():
        setattr(locked, field, value)
    locked.save()
    _save_managers(locked, managers)
    changes = diff(before, _audited(locked))
    board_after = _manager_list(locked)
    if board_after != board_before:
        changes["managers"] = [board_before, board_after]
    if changes:
        log_action(actor=actor, verb="registry.cooperative.updated", obj=locked, changes=changes)
    return locked


def rat_overdue_since(today: dt.date) -> dt.date:
    """A cooperative whose last RAT is before this date has not held one in the last 12 months."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


# --- forums ------------------------------------------------------------------------------------


@transaction.atomic
def update_forum(*, forum: Forum, actor, data: dict[str, Any]) -> Forum:
    locked = Forum.objects.select_for_update().get(pk=forum.pk)
    before = _audited(locked)
    for field, value in data.items():
        setattr(locked, field, value)
    changes = diff(before, _audited(locked))
    if changes:
        locked.save()
        log_action(actor=actor, verb="registry.forum.updated", obj=locked, changes=changes)
    return locked


def default_forum_name(kecamatan: Region) -> str:
    # A proper name, kept in Indonesian whatever the interface language.
    return f"Forum UMKM Kecamatan {kecamatan.name}"


@transaction.atomic
def ensure_default_forums(*, regency: Region, actor=None) -> list[Forum]:
    """One "Forum UMKM Kecamatan <name>" for every kecamatan of `regency` that has no forum yet.

    Running it again creates nothing: a kecamatan that has any forum, renamed or not, is left alone.
    """
    kecamatan = Region.objects.kecamatan().within(regency).order_by("code")
    missing = kecamatan.exclude(pk__in=Forum.objects.filter(kecamatan__isnull=False).values("kecamatan_id"))
    created = []
    for region in missing:
        forum = Forum.objects.create(name=default_forum_name(region), kecamatan=region, regency=regency)
        log_action(
            actor=actor,
            verb="registry.forum.created",
            obj=forum,
            action=AuditEntry.Action.CREATE,
            changes=diff({}, _audited(forum)),
        )
        created.append(forum)
    return created

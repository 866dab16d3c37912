"""What SME owners do with their own records, and the officer decisions those actions wait for.

An owner registers a business (a draft), edits it, submits it for verification, or claims a record
the Dinas already holds (imported before they signed up). Once a record is verified its values are
the Dinas's: an owner's edit becomes a ChangeRequest that an officer approves or rejects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.core.audit import log_action, snapshot
from sentra.core.masking import mask_value
from sentra.core.models import AuditEntry
from sentra.regions.models import Region

from .kbli import category_for
from .models import ChangeRequest, ClaimRequest, Decision, Owner, ScaleRecord, Sme
from .normalize import classify_scale, name_key_for  # noqa: F401 - name_key_for is used from here too
from .search import search_text_for

# What an owner may set on their own record; everything else (status, scale, forum, source) is the Dinas's.
OWNER_FIELDS = (
    "name",
    "brand",
    "phone",
    "email",
    "address",
    "kecamatan",
    "desa",
    "kbli_code",
    "products",
    "start_year",
    "employees",
    "capital",
    "turnover",
    "nib",
    "npwp",
)
REGION_FIELDS = frozenset({"kecamatan", "desa"})
MONEY_FIELDS = frozenset({"capital", "turnover"})
# CharFields stored as NULL when empty, because NULL does not collide under their index.
NULL_WHEN_EMPTY = frozenset({"nib"})
KBLI_VERSION = 2020
CLAIM_ATTEMPTS_PER_HOUR = 10


class OwnerActionError(Exception):
    """An action that the record's state does not allow; `message` is for the user."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


# --- fields derived from others ----------------------------------------------------------------


def reclassify_scale(sme: Sme) -> bool:
    """Set the scale from capital or turnover (PP 7/2021); True when the class changed.

    The caller appends a ScaleRecord after saving when this returns True.
    """
    scale, basis = classify_scale(capital=sme.capital, turnover=sme.turnover)
    changed = (scale or "") != sme.scale
    sme.scale, sme.scale_basis = scale or "", basis or ""
    return changed and bool(scale)


def record_scale(sme: Sme) -> ScaleRecord:
    return ScaleRecord.objects.create(
        sme=sme, scale=sme.scale, basis=sme.scale_basis, capital=sme.capital, turnover=sme.turnover
    )


def _refresh_derived(sme: Sme, changed: Iterable[str]) -> bool:
    """Keep the fields computed from others in step; True when a ScaleRecord is due after saving."""
    changed = set(changed)
    if "name" in changed or not sme.name_key:
        sme.name_key = name_key_for(sme.name)
    if "kbli_code" in changed:
        if sme.kbli_code:
            sme.kbli_version = KBLI_VERSION
            sme.kbli_category = category_for(sme.kbli_code, KBLI_VERSION).letter
        else:
            sme.kbli_version, sme.kbli_category = None, ""
    sme.search_text = search_text_for(sme)
    return reclassify_scale(sme) if changed & MONEY_FIELDS else False


# --- values as owners enter them ----------------------------------------------------------------


def plain_value(name: str, value: Any) -> Any:
    """The JSON-safe form of an owner field's value: a region by its Kemendagri code."""
    if name in REGION_FIELDS:
        return value.code if value is not None else None
    if name in NULL_WHEN_EMPTY:
        return value or None
    if value is None and name not in MONEY_FIELDS and name not in {"start_year", "employees"}:
        return ""
    return value


def current_values(sme: Sme) -> dict[str, Any]:
    return {name: plain_value(name, getattr(sme, name)) for name in OWNER_FIELDS}


def changed_values(sme: Sme, data: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of `data` whose value differs from the record's, in JSON-safe form."""
    current = current_values(sme)
    proposed = {name: plain_value(name, data[name]) for name in OWNER_FIELDS if name in data}
    return {name: value for name, value in proposed.items() if value != current[name]}


def _regions_by_code(codes: Iterable[str | None]) -> dict[str, Region]:
    codes = {c for c in codes if c}
    return {r.code: r for r in Region.objects.filter(code__in=codes)} if codes else {}


def _apply(sme: Sme, changes: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Write JSON-safe `changes` onto the record and save; returns the audit diff."""
    derived = ["name_key", "kbli_version", "kbli_category", "scale", "scale_basis"]
    watched = [*changes, *derived]
    before = snapshot(sme, watched)
    regions = _regions_by_code(changes[name] for name in REGION_FIELDS if name in changes)
    for name, value in changes.items():
        if name in REGION_FIELDS:
            if value and value not in regions:
                raise OwnerActionError(_("That kecamatan or desa no longer exists; edit the record again."))
            setattr(sme, name, regions.get(value))
        else:
            setattr(sme, name, value)
    scale_changed = _refresh_derived(sme, changes)
    sme.save()
    if scale_changed:
        record_scale(sme)
    after = snapshot(sme, watched)
    return {name: [before[name], after[name]] for name in watched if before[name] != after[name]}


# --- owners' own records -----------------------------------------------------------------------


def _owner_person(user) -> Owner:
    """The person record behind this account's businesses; created from the account the first time."""
    existing = Owner.objects.filter(smes__accounts=user).order_by("pk").first()
    if existing is not None:
        return existing
    owner = Owner.objects.create(
        name=user.get_full_name() or user.username,
        phone=user.phone or "",
        email=user.email,
        regency_id=user.regency_id,
    )
    log_action(
        actor=user,
        verb="registry.owner.created_by_owner",
        obj=owner,
        action=AuditEntry.Action.CREATE,
        changes={name: [None, value] for name, value in snapshot(owner, ["name", "phone"]).items() if value},
    )
    return owner


@transaction.atomic
def create_own_sme(*, user, data: Mapping[str, Any]) -> Sme:
    """A new record by its owner: a draft until they submit it for verification."""
    sme = Sme(owner=_owner_person(user), status=Sme.Status.DRAFT, source=Sme.Source.MANUAL)
    if user.regency_id:
        sme.regency_id = user.regency_id
    for name in OWNER_FIELDS:
        if name in data:
            setattr(sme, name, data[name] if name not in NULL_WHEN_EMPTY else (data[name] or None))
    scale_changed = _refresh_derived(sme, OWNER_FIELDS)
    sme.save()
    sme.accounts.add(user)
    if scale_changed:
        record_scale(sme)
    log_action(
        actor=user,
        verb="registry.sme.created_by_owner",
        obj=sme,
        action=AuditEntry.Action.CREATE,
        changes={name: [None, value] for name, value in snapshot(sme, OWNER_FIELDS).items() if value},
    )
    return sme


class EditOutcome(StrEnum):
    APPLIED = "applied"
    REQUESTED = "requested"
    UNCHANGED = "unchanged"


def pending_change_request(sme: Sme) -> ChangeRequest | None:
    return sme.change_requests.filter(status=Decision.PENDING).order_by("-created_at").first()


@transaction.atomic
def edit_own_sme(*, sme: Sme, user, data: Mapping[str, Any]) -> EditOutcome:
    """An owner's edit: applied at once to an unverified record, held for review on a verified one."""
    sme = Sme.objects.select_for_update().get(pk=sme.pk)
    if sme.status == Sme.Status.INACTIVE:
        raise OwnerActionError(_("This business is inactive. Contact the Dinas to reopen it."))
    changes = changed_values(sme, data)
    if sme.status == Sme.Status.VERIFIED:
        return _request_changes(sme=sme, user=user, changes=changes)
    if not changes:
        return EditOutcome.UNCHANGED
    diff = _apply(sme, changes)
    log_action(actor=user, verb="registry.sme.edited_by_owner", obj=sme, changes=diff)
    return EditOutcome.APPLIED


def _request_changes(*, sme: Sme, user, changes: dict[str, Any]) -> EditOutcome:
    # One pending request per record: a second edit revises it rather than queueing a rival.
    pending = pending_change_request(sme)
    if pending is None and not changes:
        return EditOutcome.UNCHANGED
    if pending is not None and not changes:
        # The owner put every value back: nothing is left for an officer to review.
        pending.delete()
        log_action(
            actor=user, verb="registry.change_request.withdrawn", obj=sme, action=AuditEntry.Action.OTHER
        )
        return EditOutcome.UNCHANGED
    if pending is None:
        pending = ChangeRequest.objects.create(sme=sme, requested_by=user, changes=changes)
        verb = "registry.change_request.created"
    else:
        pending.changes, pending.requested_by = changes, user
        pending.save(update_fields=["changes", "requested_by"])
        verb = "registry.change_request.revised"
    current = current_values(sme)
    log_action(
        actor=user,
        verb=verb,
        obj=sme,
        action=AuditEntry.Action.OTHER,
        changes={name: [current[name], value] for name, value in changes.items()},
        note=_("Waiting for an officer's review."),
    )
    return EditOutcome.REQUESTED


SUBMITTABLE = (Sme.Status.DRAFT, Sme.Status.REJECTED)


@transaction.atomic
def submit_sme(*, sme: Sme, user) -> Sme:
    """Draft (or rejected and corrected) → submitted: it joins the officers' verification queue."""
    sme = Sme.objects.select_for_update().get(pk=sme.pk)
    if sme.status not in SUBMITTABLE:
        raise OwnerActionError(_("Only a draft or a rejected record can be submitted for verification."))
    old = sme.status
    sme.status = Sme.Status.SUBMITTED
    sme.save(update_fields=["status", "updated_at"])
    log_action(actor=user, verb="registry.sme.submitted", obj=sme, changes={"status": [old, sme.status]})
    return sme


# --- officers' decisions on change requests ----------------------------------------------------


def _lock_pending(model, obj):
    locked = model.objects.select_for_update().get(pk=obj.pk)
    if locked.status != Decision.PENDING:
        raise OwnerActionError(_("Someone has already decided on this request."))
    return locked


def _decide(request, *, officer, status: str, reason: str = "") -> None:
    request.status, request.reason = status, reason
    request.decided_by, request.decided_at = officer, timezone.now()
    request.save(update_fields=["status", "reason", "decided_by", "decided_at"])


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise OwnerActionError(_("Give a reason for the rejection."))
    return reason


@transaction.atomic
def approve_change_request(*, change_request: ChangeRequest, officer) -> Sme:
    change_request = _lock_pending(ChangeRequest, change_request)
    sme = Sme.objects.select_for_update().get(pk=change_request.sme_id)
    known = {name: value for name, value in change_request.changes.items() if name in OWNER_FIELDS}
    diff = _apply(sme, known)
    _decide(change_request, officer=officer, status=Decision.APPROVED)
    log_action(
        actor=officer,
        verb="registry.change_request.approved",
        obj=sme,
        changes=diff,
        note=_("Change requested by %(user)s approved.") % {"user": change_request.requested_by},
    )
    return sme


@transaction.atomic
def reject_change_request(*, change_request: ChangeRequest, officer, reason: str) -> ChangeRequest:
    reason = _required_reason(reason)
    change_request = _lock_pending(ChangeRequest, change_request)
    _decide(change_request, officer=officer, status=Decision.REJECTED, reason=reason)
    log_action(
        actor=officer,
        verb="registry.change_request.rejected",
        obj=change_request.sme,
        action=AuditEntry.Action.OTHER,
        note=reason,
    )
    return change_request


@dataclass
class ChangeRow:
    field: str
    label: str
    current: Any
    proposed: Any
    is_money: bool


def describe_changes(
    change_requests: Iterable[ChangeRequest], *, masked: bool = False
) -> dict[int, list[ChangeRow]]:
    """Field, current value and proposed value of each request, for people to read.

    The requests' SMEs must come with kecamatan and desa loaded; regions named by code in the
    proposals are fetched in one query. `masked` hides personal data (phone) for screens that do
    not need it in clear.
    """
    change_requests = list(change_requests)
    regions = _regions_by_code(
        value
        for cr in change_requests
        for name, value in cr.changes.items()
        if name in REGION_FIELDS and isinstance(value, str)
    )
    personal = set(Sme.PERSONAL_FIELDS)

    def shown(name: str, value: Any) -> Any:
        if name in REGION_FIELDS:
            region = regions.get(value) if isinstance(value, str) else value
            return region.name if region is not None else value
        if masked and name in personal:
            return mask_value(name, value)
        return value

    rows = {}
    for cr in change_requests:
        rows[cr.pk] = [
            ChangeRow(
                field=name,
                label=str(Sme._meta.get_field(name).verbose_name),
                current=shown(name, getattr(cr.sme, name)),
                proposed=shown(name, value),
                is_money=name in MONEY_FIELDS,
            )
            for name, value in cr.changes.items()
            if name in OWNER_FIELDS
        ]
    return rows


# --- claims ------------------------------------------------------------------------------------


class ClaimStatus(StrEnum):
    LINKED = "linked"
    PENDING = "pending"
    ALREADY_LINKED = "already_linked"
    NOT_FOUND = "not_found"


@dataclass
class ClaimResult:
    status: ClaimStatus
    # Only what the claimant may learn before an officer links them: business name and kecamatan.
    businesses: list[tuple[str, str]] = field(default_factory=list)


class ClaimLimitReached(OwnerActionError):
    pass


def _count_attempt(user, proof: str) -> None:
    """Refuse an 11th claim in an hour, else record this one (the audit log is the counter)."""
    since = timezone.now() - timedelta(hours=1)
    recent = AuditEntry.objects.filter(actor=user, verb="registry.claim.attempted", at__gte=since).count()
    if recent >= CLAIM_ATTEMPTS_PER_HOUR:
        raise ClaimLimitReached(
            _("Too many claim attempts. Try again in an hour, or ask the Dinas to link your business.")
        )
    log_action(
        actor=user, verb="registry.claim.attempted", obj=user, action=AuditEntry.Action.OTHER, note=proof
    )


def _summary(smes: Iterable[Sme]) -> list[tuple[str, str]]:
    return [(sme.name, sme.kecamatan.name if sme.kecamatan_id else "") for sme in smes]


def _request_claim(*, sme: Sme, user, proof: str) -> ClaimRequest:
    claim = ClaimRequest.objects.filter(sme=sme, user=user, status=Decision.PENDING).first()
    if claim is None:
        claim = ClaimRequest.objects.create(sme=sme, user=user, proof=proof)
        log_action(
            actor=user,
            verb="registry.claim.requested",
            obj=sme,
            action=AuditEntry.Action.OTHER,
            note=str(ClaimRequest.Proof(proof).label),
        )
    return claim


def _link(*, sme: Sme, user, actor, verb: str, note: str = "") -> None:
    sme.accounts.add(user)
    log_action(
        actor=actor,
        verb=verb,
        obj=sme,
        action=AuditEntry.Action.OTHER,
        changes={"accounts": [None, user.username]},
        note=note,
    )


@transaction.atomic
def claim_by_nib(*, user, nib: str) -> ClaimResult:
    """A matching NIB on an unclaimed record is proof enough: the account is linked at once.

    A record another account already holds waits for an officer instead.
    """
    _count_attempt(user, ClaimRequest.Proof.NIB)
    smes = list(
        Sme.objects.active()
        .filter(nib=nib)
        .select_related("kecamatan")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if not smes:
        return ClaimResult(ClaimStatus.NOT_FOUND)
    held = set(Sme.accounts.through.objects.filter(sme__in=smes).values_list("sme_id", "user_id"))
    holders = {sme_id for sme_id, _user in held}
    free = [s for s in smes if s.pk not in holders]
    taken = [s for s in smes if s.pk in holders and (s.pk, user.pk) not in held]
    if not free and not taken:
        return ClaimResult(ClaimStatus.ALREADY_LINKED)
    for sme in free:
        ClaimRequest.objects.create(
            sme=sme,
            user=user,
            proof=ClaimRequest.Proof.NIB,
            status=Decision.APPROVED,
            decided_at=timezone.now(),
        )
        _link(sme=sme, user=user, actor=user, verb="registry.sme.claimed", note=_("NIB matches"))
    for sme in taken:
        _request_claim(sme=sme, user=user, proof=ClaimRequest.Proof.NIB)
    if free:
        return ClaimResult(ClaimStatus.LINKED, _summary(free))
    return ClaimResult(ClaimStatus.PENDING, _summary(taken))


@transaction.atomic
def claim_by_nik(*, user, nik: str) -> ClaimResult:
    """A NIK matching a record's owner is weaker proof (NIKs circulate on photocopies): an officer decides."""
    _count_attempt(user, ClaimRequest.Proof.NIK)
    smes = list(
        Sme.objects.active().filter(owner__nik=nik).select_related("kecamatan").order_by("name", "pk")
    )
    if not smes:
        return ClaimResult(ClaimStatus.NOT_FOUND)
    linked = set(
        Sme.accounts.through.objects.filter(sme__in=smes, user=user).values_list("sme_id", flat=True)
    )
    wanted = [s for s in smes if s.pk not in linked]
    if not wanted:
        return ClaimResult(ClaimStatus.ALREADY_LINKED)
    for sme in wanted:
        _request_claim(sme=sme, user=user, proof=ClaimRequest.Proof.NIK)
    return ClaimResult(ClaimStatus.PENDING, _summary(wanted))


@transaction.atomic
def approve_claim(*, claim: ClaimRequest, officer) -> ClaimRequest:
    claim = _lock_pending(ClaimRequest, claim)
    _decide(claim, officer=officer, status=Decision.APPROVED)
    _link(
        sme=claim.sme,
        user=claim.user,
        actor=officer,
        verb="registry.claim.approved",
        note=str(claim.get_proof_display()),
    )
    return claim


@transaction.atomic
def reject_claim(*, claim: ClaimRequest, officer, reason: str) -> ClaimRequest:
    reason = _required_reason(reason)
    claim = _lock_pending(ClaimRequest, claim)
    _decide(claim, officer=officer, status=Decision.REJECTED, reason=reason)
    log_action(
        actor=officer,
        verb="registry.claim.rejected",
        obj=claim.sme,
        action=AuditEntry.Action.OTHER,
        note=reason,
    )
    return claim


def owner_form_initial(sme: Sme, pending: ChangeRequest | None) -> dict[str, Any]:
    """The owner's form as they last left it: the record's values, with any pending proposal on top."""
    initial = {name: getattr(sme, name) for name in OWNER_FIELDS}
    if pending is not None:
        proposed = {name: value for name, value in pending.changes.items() if name in OWNER_FIELDS}
        regions = _regions_by_code(proposed.get(name) for name in REGION_FIELDS)
        for name, value in proposed.items():
            initial[name] = regions.get(value) if name in REGION_FIELDS else value
    return initial

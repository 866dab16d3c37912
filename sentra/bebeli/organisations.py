"""Buyer organisations as Dinas officers keep them: the unit, its yearly budget, its buyer users.

Accounts are not made here: a buyer user is an existing account with the buyer role, chosen the way
partner users and outlet cashiers are (the accounts themselves are opened in the back office). An
organisation is deactivated, never deleted: its purchases stay in every report, its users can no
longer order for it, and a reason is kept in the audit trail. Each function is one transaction with
its audit entry; a refused change raises ValidationError with a translated reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sentra.accounts.models import Role
from sentra.core.audit import diff, log_action, snapshot
from sentra.core.models import AuditEntry
from sentra.regions.models import home_regency_id

from .models import BuyerBudget, BuyerOrganisation

FIELDS = ("name", "kind", "code", "kecamatan", "address", "is_active")


@dataclass(frozen=True)
class Budget:
    """One year's goods and services budget and, optionally, the target for local purchases in it."""

    year: int
    goods_services: int | None
    local_target: int | None = None


def _check(organisation: BuyerOrganisation) -> None:
    if organisation.regency_id is None:
        # Set before validating: the code is unique within the regency.
        organisation.regency_id = home_regency_id()
    organisation.code = organisation.code.strip()
    organisation.name = organisation.name.strip()
    try:
        organisation.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.messages) from None


def _budget_values(organisation: BuyerOrganisation, year: int) -> dict[str, Any]:
    found = BuyerBudget.objects.filter(organisation=organisation, year=year).first()
    if found is None:
        return {}
    values = {f"budget {year}": found.goods_services}
    if found.local_target is not None:
        values[f"local target {year}"] = found.local_target
    return values


def _set_budget(organisation: BuyerOrganisation, budget: Budget | None) -> dict[str, list[Any]]:
    """Write the year's budget; no amount leaves the year as it was. Returns the audit changes."""
    if budget is None or (budget.goods_services is None and budget.local_target is None):
        return {}
    if budget.goods_services is None:
        raise ValidationError(_("Give the year's budget the local purchase target is part of."))
    if budget.goods_services <= 0:
        raise ValidationError(_("The budget must be more than zero."))
    if budget.local_target is not None and budget.local_target > budget.goods_services:
        raise ValidationError(_("The target for local purchases cannot be more than the budget."))
    if not 2000 <= budget.year <= 2100:
        raise ValidationError(_("Give a year between 2000 and 2100."))
    before = _budget_values(organisation, budget.year)
    BuyerBudget.objects.update_or_create(
        organisation=organisation,
        year=budget.year,
        defaults={"goods_services": budget.goods_services, "local_target": budget.local_target},
    )
    return diff(before, _budget_values(organisation, budget.year))


@transaction.atomic
def create_organisation(*, actor, data: dict[str, Any], budget: Budget | None = None) -> BuyerOrganisation:
    organisation = BuyerOrganisation(**data)
    _check(organisation)
    organisation.save()
    changes = {**diff({}, snapshot(organisation, FIELDS)), **_set_budget(organisation, budget)}
    log_action(
        actor=actor,
        verb="bebeli.organisation.created",
        obj=organisation,
        action=AuditEntry.Action.CREATE,
        changes=changes,
    )
    return organisation


@transaction.atomic
def update_organisation(
    *, organisation: BuyerOrganisation, actor, data: dict[str, Any], budget: Budget | None = None
) -> BuyerOrganisation:
    locked = BuyerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    before = snapshot(locked, FIELDS)
    for name, value in data.items():
        setattr(locked, name, value)
    _check(locked)
    locked.save()
    changes = {**diff(before, snapshot(locked, FIELDS)), **_set_budget(locked, budget)}
    if changes:
        log_action(actor=actor, verb="bebeli.organisation.updated", obj=locked, changes=changes)
    return locked


def _usernames(organisation: BuyerOrganisation) -> list[str]:
    return sorted(organisation.members.values_list("username", flat=True))


@transaction.atomic
def add_member(*, organisation: BuyerOrganisation, user, actor) -> bool:
    """Let a buyer account order for the organisation; False when it already may."""
    locked = BuyerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    if user.role != Role.BUYER or not user.is_active:
        raise ValidationError(_("Only an active account with the buyer role can buy for an organisation."))
    if locked.members.filter(pk=user.pk).exists():
        return False
    before = _usernames(locked)
    locked.members.add(user)
    log_action(
        actor=actor,
        verb="bebeli.organisation.member_added",
        obj=locked,
        changes={"members": [before, _usernames(locked)]},
    )
    return True


@transaction.atomic
def remove_member(*, organisation: BuyerOrganisation, user, actor) -> bool:
    """The account no longer orders for the organisation (its past purchases stay); False if it did not."""
    locked = BuyerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    if not locked.members.filter(pk=user.pk).exists():
        return False
    before = _usernames(locked)
    locked.members.remove(user)
    log_action(
        actor=actor,
        verb="bebeli.organisation.member_removed",
        obj=locked,
        changes={"members": [before, _usernames(locked)]},
    )
    return True


@transaction.atomic
def set_active(
    *, organisation: BuyerOrganisation, active: bool, actor, reason: str = ""
) -> BuyerOrganisation:
    """Deactivate (with a reason) or reactivate an organisation."""
    locked = BuyerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    reason = reason.strip()
    if not active and not reason:
        raise ValidationError(_("Say why the organisation is deactivated."))
    if locked.is_active == active:
        return locked
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    log_action(
        actor=actor,
        verb="bebeli.organisation.reactivated" if active else "bebeli.organisation.deactivated",
        obj=locked,
        changes={"is_active": [not active, active]},
        note=reason,
    )
    return locked

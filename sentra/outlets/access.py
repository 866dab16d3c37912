"""Scope: every outlet, sale and statement a user reaches comes through here (404 out of scope)."""

from django.shortcuts import get_object_or_404

from sentra.registry.models import Sme

from .models import Outlet, Sale, Statement


def get_outlet_for_user(user, public_id) -> Outlet:
    return get_object_or_404(
        Outlet.objects.for_user(user).select_related("kecamatan", "partner"), public_id=public_id
    )


def get_sale_for_user(user, outlet: Outlet, public_id) -> Sale:
    return get_object_or_404(
        Sale.objects.select_related("outlet", "cashier"), outlet=outlet, public_id=public_id
    )


def statements_for_user(user):
    """Statements an SME owner may read (their own SMEs'), or Dinas staff by their outlets' scope."""
    if user.is_dinas:
        return Statement.objects.filter(outlet__in=Outlet.objects.for_user(user))
    return Statement.objects.filter(sme__in=Sme.objects.for_user(user))


def get_statement_for_user(user, public_id) -> Statement:
    return get_object_or_404(statements_for_user(user).select_related("outlet", "sme"), public_id=public_id)

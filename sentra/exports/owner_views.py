"""An SME owner's export page: how ready each of their businesses is, their deals and sales."""

from django.shortcuts import render
from django.utils import timezone

from sentra.accounts.models import Role
from sentra.core.permissions import role_required
from sentra.registry.models import Sme

from . import readiness
from .models import DomesticSale, ExportDeal


@role_required(Role.SME_OWNER)
def my_exports(request):
    smes = list(Sme.objects.for_user(request.user).order_by("name"))
    scores = readiness.assess_many(smes, today=timezone.localdate())
    context = {
        "rows": [(sme, scores[sme.pk]) for sme in smes],
        "deals": ExportDeal.objects.for_user(request.user).select_related("sme", "buyer", "order")[:50],
        "domestic": DomesticSale.objects.for_user(request.user).select_related("sme")[:50],
    }
    return render(request, "exports/my_exports.html", context)

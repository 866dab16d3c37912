from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from sentra.accounts.models import Role

from .permissions import public
from .reminders import due_for

HOME_TEMPLATES = {
    Role.ADMIN: "core/home_dinas.html",
    Role.OFFICER: "core/home_dinas.html",
    Role.SME_OWNER: "core/home_sme_owner.html",
    Role.CASHIER: "core/home_cashier.html",
    Role.PARTNER: "core/home_partner.html",
    Role.BUYER: "core/home_buyer.html",
}


@public
def home(request):
    """The public catalogue's home for visitors; each role's own home page once signed in."""
    if not request.user.is_authenticated:
        from sentra.catalog.public_views import home as public_home

        return public_home(request)
    template = HOME_TEMPLATES.get(request.user.role, "core/home_norole.html")
    context = home_context(request.user)
    if request.user.role == Role.PARTNER:
        from sentra.partners.partner_views import home_context as partner_home

        context.update(partner_home(request))
    return render(request, template, context)


def home_context(user) -> dict:
    from sentra.registry.services import dashboard_figures

    context = {"reminders": due_for(user)}
    if user.is_dinas:
        context["figures"] = dashboard_figures(user=user)
    elif user.role == Role.SME_OWNER:
        from sentra.registry.models import Sme

        context["smes"] = Sme.objects.for_user(user).select_related("kecamatan")
    return context


@public
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")

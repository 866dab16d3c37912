from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from sentra.accounts.models import Role

from .permissions import public

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
    return render(request, template, home_context(request.user))


def home_context(user) -> dict:
    from sentra.registry.services import dashboard_figures

    if user.is_dinas:
        return {"figures": dashboard_figures(user=user)}
    if user.role == Role.SME_OWNER:
        from sentra.registry.models import Sme

        return {"smes": Sme.objects.for_user(user).select_related("kecamatan")}
    return {}


@public
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")

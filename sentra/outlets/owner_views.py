"""/my/outlets/: an SME owner's outlet statements on the phone, this month's as it stands and the
closed months', each downloadable as a PDF."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sentra.accounts.models import Role
from sentra.core.pdf import render_pdf
from sentra.core.permissions import role_required
from sentra.registry.models import Sme

from . import services
from .access import get_statement_for_user, statements_for_user
from .models import Outlet, SaleLine


@role_required(Role.SME_OWNER)
def statements(request):
    today = timezone.localdate()
    smes = list(Sme.objects.for_user(request.user).values_list("pk", flat=True))
    start, end = services.month_bounds(today.year, today.month)
    outlet_ids = (
        SaleLine.objects.filter(sme_id__in=smes, sale__sold_on__range=(start, end))
        .values_list("sale__outlet_id", flat=True)
        .distinct()
    )
    outlets = list(Outlet.objects.filter(pk__in=list(outlet_ids)).order_by("name"))
    figures = services.month_figures_by_outlet(outlets, today.year, today.month, sme_ids=smes)
    current = [{"outlet": outlet, "line": line} for outlet in outlets for line in figures.get(outlet.pk, [])]
    closed = statements_for_user(request.user).select_related("outlet", "sme").prefetch_related("corrections")
    recent = (
        SaleLine.objects.filter(sme_id__in=smes, sale__sold_on__range=(start, end), sale__status="completed")
        .select_related("product", "sale__outlet")
        .order_by("-sale__sold_at")[:30]
    )
    return render(
        request,
        "outlets/owner/statements.html",
        {"current": current, "closed": closed, "recent": recent, "today": today, "as_of": timezone.now()},
    )


@role_required(Role.SME_OWNER, Role.ADMIN, Role.OFFICER)
def statement_pdf(request, statement):
    statement = get_statement_for_user(request.user, statement)
    start, end = services.month_bounds(statement.year, statement.month)
    lines = (
        SaleLine.objects.filter(
            sme=statement.sme,
            sale__outlet=statement.outlet,
            sale__status="completed",
            sale__sold_on__range=(start, end),
        )
        .select_related("product", "sale")
        .order_by("sale__sold_at")
    )
    pdf = render_pdf(
        "outlets/statement_pdf.html",
        {"statement": statement, "lines": lines, "corrections": statement.corrections.all()},
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="statement-{statement.outlet.code}-{statement.year}-{statement.month:02d}.pdf"'
    )
    return response

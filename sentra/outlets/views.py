"""/outlets/: the Dinas' outlets — stock on consignment, settlement of each month, cooperation turnover,
reports. Partners reach their cooperation outlets' turnover pages."""

import datetime as dt

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.accounts.models import Role, User
from sentra.catalog.models import Product
from sentra.core.permissions import DINAS, role_required

from . import services
from .access import get_outlet_for_user
from .forms import OutletForm, TurnoverForm
from .models import CooperationTurnover, Outlet, SaleLine, Statement, StockBalance, StockMovement, StockNote
from .pos_views import parse_int
from .services import OutletError, StockInLine


def _month_param(year, month) -> tuple[int, int]:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    return year, month


@role_required(*DINAS)
def outlet_list(request):
    today = timezone.localdate()
    start = today.replace(day=1)
    outlets = (
        Outlet.objects.for_user(request.user)
        .select_related("kecamatan", "partner")
        .annotate(
            month_sales=Coalesce(
                Sum("sales__total", filter=Q(sales__status="completed", sales__sold_on__gte=start)), 0
            ),
            month_count=Count("sales", filter=Q(sales__status="completed", sales__sold_on__gte=start)),
        )
    )
    return render(request, "outlets/outlet_list.html", {"outlets": outlets, "month": start})


@role_required(*DINAS)
def outlet_form(request, outlet=None):
    instance = get_outlet_for_user(request.user, outlet) if outlet else None
    form = OutletForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        from sentra.core.audit import log_action

        saved = form.save()
        log_action(
            actor=request.user, verb="outlets.outlet.saved", obj=saved, changes={"name": [None, saved.name]}
        )
        return redirect("outlets:detail", saved.public_id)
    return render(request, "outlets/outlet_form.html", {"form": form, "outlet": instance})


@role_required(*DINAS)
def outlet_detail(request, outlet):
    outlet = get_outlet_for_user(request.user, outlet)
    balances = (
        StockBalance.objects.filter(outlet=outlet)
        .select_related("product", "product__sme")
        .order_by("product__name_id")
    )
    today = timezone.localdate()
    months = [(today.year, today.month)]
    for _i in range(5):
        first = dt.date(*months[-1], 1) - dt.timedelta(days=1)
        months.append((first.year, first.month))
    return render(
        request,
        "outlets/outlet_detail.html",
        {
            "outlet": outlet,
            "balances": balances,
            "alerts": services.stock_alerts(outlet),
            "cashiers": outlet.cashiers.select_related("user"),
            "free_cashiers": User.objects.filter(role=Role.CASHIER, is_active=True).order_by("username"),
            "notes": StockNote.objects.filter(outlet=outlet).select_related("outlet", "sme", "to_outlet")[
                :10
            ],
            "months": months,
            "others": Outlet.objects.for_user(request.user)
            .exclude(pk=outlet.pk)
            .filter(agreement=Outlet.Agreement.COMMISSION),
            # The Perda 30% reports of the outlet's host that name it (the host's space given to SMEs).
            "perda_reports": outlet.perda_reports.select_related("obligation__partner").order_by(
                "-period_start", "-id"
            )[:8],
        },
    )


@role_required(*DINAS)
@require_POST
def assign_cashier(request, outlet):
    outlet = get_outlet_for_user(request.user, outlet)
    user = get_object_or_404(
        User, pk=parse_int(request.POST.get("user"), _("The cashier")), role=Role.CASHIER
    )
    services.assign_cashier(outlet=outlet, user=user, actor=request.user)
    messages.success(
        request,
        _("%(user)s now works at this outlet's till.") % {"user": user.get_full_name() or user.username},
    )
    return redirect("outlets:detail", outlet.public_id)


def _product(code: str) -> Product:
    product = (
        Product.objects.filter(Q(code__iexact=code.strip()) | Q(barcode=code.strip()))
        .select_related("sme")
        .first()
        if code.strip()
        else None
    )
    if product is None:
        raise OutletError(_("No product has the code %(code)s.") % {"code": code})
    return product


STOCK_IN_LINES = 5
STOCK_IN_FIELDS = ("code", "qty", "consignment", "retail", "expires")
# Products offered as the code field is typed (a datalist): those the outlet holds or has held.
STOCK_IN_SUGGESTIONS = 500


@role_required(*DINAS)
def stock_in(request, outlet):
    outlet = get_outlet_for_user(request.user, outlet)
    rows = range(STOCK_IN_LINES)
    if request.method == "POST":
        try:
            lines = []
            for i in rows:
                code = request.POST.get(f"code-{i}", "").strip()
                if not code:
                    continue
                product = _product(code)
                expiry = request.POST.get(f"expires-{i}") or None
                lines.append(
                    StockInLine(
                        product=product,
                        quantity=parse_int(request.POST.get(f"qty-{i}"), _("The quantity")),
                        consignment_price=parse_int(
                            request.POST.get(f"consignment-{i}"), _("The consignment price")
                        ),
                        retail_price=parse_int(request.POST.get(f"retail-{i}"), _("The retail price")),
                        expires_on=dt.date.fromisoformat(expiry) if expiry else None,
                    )
                )
            if not lines:
                raise OutletError(_("Add at least one product."))
            sme = lines[0].product.sme
            note = services.receive_stock(outlet=outlet, sme=sme, lines=lines, actor=request.user)
            return redirect("outlets:note", outlet.public_id, note.public_id)
        except ValueError:
            messages.error(request, _("The expiry date could not be read."))
        except OutletError as error:
            messages.error(request, str(error))
    # A refused note shows every line again as it was typed: nothing is lost to one bad cell.
    lines = [
        {field: request.POST.get(f"{field}-{i}", "") for field in STOCK_IN_FIELDS} | {"i": i} for i in rows
    ]
    suggestions = (
        Product.objects.filter(outlet_balances__outlet=outlet)
        .select_related("sme")
        .only("code", "name_id", "name_en", "sme__name")
        .order_by("sme__name", "name_id")
        .distinct()[:STOCK_IN_SUGGESTIONS]
    )
    return render(
        request, "outlets/stock_in.html", {"outlet": outlet, "lines": lines, "suggestions": suggestions}
    )


@role_required(*DINAS)
def note(request, outlet, note):
    outlet = get_outlet_for_user(request.user, outlet)
    note = get_object_or_404(
        StockNote.objects.select_related("outlet", "sme", "to_outlet", "created_by"),
        outlet=outlet,
        public_id=note,
    )
    movements = note.movements.select_related("product").order_by("id")
    return render(request, "outlets/note.html", {"outlet": outlet, "note": note, "movements": movements})


@role_required(*DINAS)
@require_POST
def move(request, outlet):
    """A return to the SME, a transfer to another outlet, or a count, from the outlet's page."""
    outlet = get_outlet_for_user(request.user, outlet)
    action = request.POST.get("action")
    try:
        product = _product(request.POST.get("code", ""))
        reason = request.POST.get("reason", "")
        if action == "return":
            services.return_to_sme(
                outlet=outlet,
                product=product,
                quantity=parse_int(request.POST.get("quantity"), _("The quantity")),
                reason=reason,
                actor=request.user,
            )
        elif action == "transfer":
            target = (
                get_outlet_for_user(request.user, request.POST.get("to_outlet") or None)
                if request.POST.get("to_outlet")
                else None
            )
            if target is None:
                raise OutletError(_("Pick the outlet to transfer to."))
            services.transfer_stock(
                outlet=outlet,
                to_outlet=target,
                product=product,
                quantity=parse_int(request.POST.get("quantity"), _("The quantity")),
                reason=reason,
                actor=request.user,
            )
        elif action == "count":
            services.count_stock(
                outlet=outlet,
                product=product,
                counted=parse_int(request.POST.get("quantity"), _("The counted quantity")),
                reason=reason,
                actor=request.user,
            )
        else:
            raise OutletError(_("Pick what to record."))
        messages.success(request, _("Recorded."))
    except OutletError as error:
        messages.error(request, str(error))
    return redirect("outlets:detail", outlet.public_id)


@role_required(*DINAS)
def ledger(request, outlet):
    outlet = get_outlet_for_user(request.user, outlet)
    movements = StockMovement.objects.filter(outlet=outlet).select_related("product", "created_by")[:200]
    return render(request, "outlets/ledger.html", {"outlet": outlet, "movements": movements})


@role_required(*DINAS)
def settlement(request, outlet, year, month):
    outlet = get_outlet_for_user(request.user, outlet)
    year, month = _month_param(year, month)
    closing = outlet.month_closings.filter(year=year, month=month).first()
    if request.method == "POST" and closing is None:
        try:
            services.close_month(outlet=outlet, year=year, month=month, actor=request.user)
            messages.success(request, _("The month is closed; its statements are fixed."))
        except OutletError as error:
            messages.error(request, str(error))
        return redirect("outlets:settlement", outlet.public_id, year, month)
    statements = (
        Statement.objects.filter(outlet=outlet, year=year, month=month)
        .select_related("sme")
        .prefetch_related("corrections")
        if closing
        else None
    )
    return render(
        request,
        "outlets/settlement.html",
        {
            "outlet": outlet,
            "year": year,
            "month": month,
            "closing": closing,
            "statements": statements,
            "lines": None if closing else services.month_figures(outlet, year, month),
            "today": timezone.localdate(),
        },
    )


@role_required(*DINAS)
@require_POST
def statement_action(request, outlet, statement):
    outlet = get_outlet_for_user(request.user, outlet)
    statement = get_object_or_404(Statement, outlet=outlet, public_id=statement)
    try:
        if request.POST.get("action") == "paid":
            raw = request.POST.get("paid_on", "")
            try:
                paid_on = dt.date.fromisoformat(raw)
            except ValueError:
                raise OutletError(_("The payment date could not be read.")) from None
            services.mark_paid(
                statement=statement,
                paid_on=paid_on,
                reference=request.POST.get("reference", ""),
                actor=request.user,
            )
        else:
            raw = (request.POST.get("amount") or "").strip()
            sign = -1 if raw.startswith("-") else 1
            amount = sign * parse_int(raw.lstrip("-+"), _("The amount"))
            services.correct_statement(
                statement=statement, amount=amount, reason=request.POST.get("reason", ""), actor=request.user
            )
        messages.success(request, _("Recorded."))
    except OutletError as error:
        messages.error(request, str(error))
    return redirect("outlets:settlement", outlet.public_id, statement.year, statement.month)


@role_required(*DINAS, Role.PARTNER)
def turnover(request, outlet):
    outlet = get_outlet_for_user(request.user, outlet)
    if not outlet.is_cooperation:
        raise Http404
    form = TurnoverForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_turnover(
                outlet=outlet,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                turnover=data["turnover"],
                dinas_share=data["dinas_share"],
                evidence=data["evidence"],
                evidence_kind=form.evidence_kind,
                note=data["note"],
                actor=request.user,
            )
            messages.success(request, _("The turnover is recorded."))
            return redirect("outlets:turnover", outlet.public_id)
        except OutletError as error:
            form.add_error(None, str(error))
    reports = CooperationTurnover.objects.filter(outlet=outlet).select_related("recorded_by")
    return render(request, "outlets/turnover.html", {"outlet": outlet, "form": form, "reports": reports})


@role_required(*DINAS, Role.PARTNER)
def turnover_evidence(request, outlet, report):
    outlet = get_outlet_for_user(request.user, outlet)
    report = get_object_or_404(CooperationTurnover, outlet=outlet, public_id=report)
    content_type = "application/pdf" if report.evidence_kind == "pdf" else "image/jpeg"
    with report.evidence.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=content_type)
    response["Content-Disposition"] = "inline"
    return response


@role_required(Role.PARTNER)
def partner_outlets(request):
    outlets = Outlet.objects.for_user(request.user).filter(agreement=Outlet.Agreement.REVENUE_SHARE)
    return render(request, "outlets/partner_outlets.html", {"outlets": outlets})


@role_required(*DINAS)
def reports(request):
    today = timezone.localdate()
    year = parse_int(request.GET.get("year"), "year", required=False, default=today.year)
    outlets = Outlet.objects.for_user(request.user)
    lines = SaleLine.objects.filter(
        sale__outlet__in=outlets, sale__status="completed", sale__sold_on__year=year
    )
    by_month = (
        lines.values("sale__outlet__name", "sale__sold_on__month")
        .annotate(total=Sum("amount"))
        .order_by("sale__outlet__name", "sale__sold_on__month")
    )
    table: dict[str, list[int]] = {}
    for row in by_month:
        table.setdefault(row["sale__outlet__name"], [0] * 13)[row["sale__sold_on__month"] - 1] += row["total"]
    for row in (
        CooperationTurnover.objects.filter(outlet__in=outlets, ends_on__year=year)
        .values("outlet__name", "ends_on__month")
        .annotate(total=Sum("turnover"))
    ):
        table.setdefault(row["outlet__name"], [0] * 13)[row["ends_on__month"] - 1] += row["total"]
    for values in table.values():
        values[12] = sum(values[:12])
    movers = (
        lines.values("product__name_id", "sme__name")
        .annotate(units=Sum("quantity"), total=Sum("amount"))
        .order_by("-units")
    )
    waiting = services.awaiting_payment(Statement.objects.filter(outlet__in=outlets)).order_by(
        "year", "month"
    )
    return render(
        request,
        "outlets/reports.html",
        {
            "year": year,
            "table": sorted(table.items()),
            "months": range(1, 13),
            "top": movers[:10],
            "slow": _slow_movers(outlets, year),
            "waiting": waiting,
            "today": today,
            "as_of": timezone.now(),
        },
    )


def _slow_movers(outlets, year):
    """Products in stock that sold least this year (units sold per unit held)."""
    sold = {
        (row["sale__outlet_id"], row["product_id"]): row["units"]
        for row in SaleLine.objects.filter(
            sale__outlet__in=outlets, sale__status="completed", sale__sold_on__year=year
        )
        .values("sale__outlet_id", "product_id")
        .annotate(units=Sum("quantity"))
    }
    rows = [
        {
            "product": b.product.name,
            "outlet": b.outlet.name,
            "on_hand": b.on_hand,
            "sold": sold.get((b.outlet_id, b.product_id), 0),
        }
        for b in StockBalance.objects.filter(outlet__in=outlets, on_hand__gt=0).select_related(
            "product", "outlet"
        )
    ]
    return sorted(rows, key=lambda r: (r["sold"], -r["on_hand"]))[:10]

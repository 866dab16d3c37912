"""/pos/: the till of a cashier's outlet, on a phone, a tablet or a desktop with a scanner.

The sale screen carries the outlet's stock (code, barcode, name, price, on hand) in the page, so a scan
is answered without a request; the cart is posted once, as one request with its idempotency key, through
the offline outbox (`sentra/outbox.js`), which keeps an unsent sale and sends it again with the same key.
"""

import datetime as dt
import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.accounts.models import Role
from sentra.core.permissions import role_required
from sentra.programs.attendance import when_taken

from . import services
from .access import get_outlet_for_user, get_sale_for_user
from .models import Cashier, Sale, StockBalance
from .services import OutletError

TILL = (Role.CASHIER, Role.ADMIN, Role.OFFICER)


GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def parse_int(value, what: str, *, required: bool = True, default: int | None = None) -> int | None:
    """A whole number typed by a person ("15.000" and "15000" alike; "1.5" is refused, never read as 15)."""
    text = (value or "").strip()
    if not text:
        if required:
            raise OutletError(_("%(what)s is required.") % {"what": what})
        return default
    if GROUPED.match(text):
        text = text.replace(".", "").replace(",", "")
    if not text.isdigit():
        raise OutletError(_("%(what)s must be a positive whole number.") % {"what": what})
    return int(text)


@role_required(Role.CASHIER)
def my_till(request, then: str = "pos:sell"):
    """The cashier's own outlet: the menu's entries lead here, whichever outlet the cashier works at."""
    post = Cashier.objects.filter(user=request.user).select_related("outlet").first()
    if post is None:
        raise Http404
    return redirect(then, post.outlet.public_id)


def stock_items(outlet) -> list[dict]:
    balances = (
        StockBalance.objects.filter(outlet=outlet, on_hand__gt=0)
        .select_related("product")
        .order_by("product__name_id")
    )
    return [
        {
            "id": b.product_id,
            "code": b.product.code or "",
            "barcode": b.product.barcode,
            "name": b.product.name,
            "price": b.retail_price,
            "on_hand": b.on_hand,
        }
        for b in balances
    ]


@role_required(*TILL)
def sell(request, outlet):
    outlet = get_outlet_for_user(request.user, outlet)
    return render(
        request,
        "outlets/pos/sell.html",
        {"outlet": outlet, "items": stock_items(outlet), "payments": Sale.Payment.choices},
    )


def _queued_at(request) -> dt.datetime | None:
    try:
        at = dt.datetime.fromisoformat(request.headers.get("X-Outbox-At", ""))
    except ValueError:
        return None
    return when_taken(at if timezone.is_aware(at) else None, now=timezone.now())


def _cart(request, outlet) -> list:
    from sentra.catalog.models import Product

    ids = request.POST.getlist("product")
    quantities = request.POST.getlist("qty")
    if len(ids) != len(quantities):
        raise OutletError(_("The cart could not be read; try again."))
    numbers = [parse_int(pk, _("The product")) for pk in ids]
    products = Product.objects.in_bulk(numbers)
    lines = []
    for pk, qty in zip(numbers, quantities, strict=True):
        if pk not in products:
            raise OutletError(_("A product in the cart is not in stock at this outlet."))
        lines.append((products[pk], parse_int(qty, _("The quantity"))))
    return lines


@role_required(*TILL)
@require_POST
def record(request, outlet):
    outlet = get_outlet_for_user(request.user, outlet)
    payment = request.POST.get("payment", "")
    try:
        result = services.record_sale(
            outlet=outlet,
            cashier=request.user,
            lines=_cart(request, outlet),
            payment=payment,
            client_key=request.POST.get("client_key", ""),
            cash_received=parse_int(
                request.POST.get("cash_received"), _("The cash received"), required=payment == "cash"
            ),
            discount=parse_int(request.POST.get("discount"), _("The discount"), required=False, default=0),
            discount_reason=request.POST.get("discount_reason", ""),
            at=_queued_at(request),
        )
    except OutletError as error:
        if request.headers.get("X-Outbox"):
            return render(request, "outlets/pos/_result.html", {"error": str(error)}, status=409)
        messages.error(request, str(error))
        return redirect("pos:sell", outlet.public_id)
    sale = result.sale
    if request.headers.get("X-Outbox"):
        return render(
            request, "outlets/pos/_result.html", {"sale": sale, "outlet": outlet, "again": not result.created}
        )
    return redirect("pos:receipt", outlet.public_id, sale.public_id)


@role_required(*TILL)
def receipt(request, outlet, sale):
    outlet = get_outlet_for_user(request.user, outlet)
    sale = get_sale_for_user(request.user, outlet, sale)
    paper = "58" if request.GET.get("paper") == "58" else "80"
    return render(
        request,
        "outlets/pos/receipt.html",
        {"outlet": outlet, "sale": sale, "lines": sale.lines.select_related("product"), "paper": paper},
    )


@role_required(*TILL)
def sales(request, outlet):
    outlet = get_outlet_for_user(request.user, outlet)
    day = timezone.localdate()
    rows = (
        Sale.objects.filter(outlet=outlet, sold_on=day)
        .select_related("outlet")
        .prefetch_related("lines__product")
        .order_by("-sold_at")
    )
    return render(request, "outlets/pos/sales.html", {"outlet": outlet, "sales": rows, "day": day})


@role_required(*TILL)
@require_POST
def void(request, outlet, sale):
    outlet = get_outlet_for_user(request.user, outlet)
    sale = get_sale_for_user(request.user, outlet, sale)
    try:
        services.void_sale(sale=sale, reason=request.POST.get("reason", ""), actor=request.user)
        messages.success(
            request, _("Sale %(number)s is voided; its goods are back in stock.") % {"number": sale.number}
        )
    except OutletError as error:
        messages.error(request, str(error))
    return redirect("pos:sales", outlet.public_id)


@role_required(*TILL)
@require_POST
def return_goods(request, outlet, sale):
    outlet = get_outlet_for_user(request.user, outlet)
    sale = get_sale_for_user(request.user, outlet, sale)
    try:
        line = sale.lines.filter(pk=parse_int(request.POST.get("line"), _("The line"))).first()
        if line is None:
            raise OutletError(_("Pick a product of this receipt."))
        returned = services.return_items(
            line=line,
            quantity=parse_int(request.POST.get("quantity"), _("The quantity")),
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
        messages.success(
            request,
            _("Returned; refund %(amount)s.") % {"amount": f"Rp {returned.amount:,}".replace(",", ".")},
        )
    except OutletError as error:
        messages.error(request, str(error))
    return redirect("pos:sales", outlet.public_id)


@role_required(*TILL)
def closing(request, outlet):
    outlet = get_outlet_for_user(request.user, outlet)
    day = timezone.localdate()
    done = outlet.closings.filter(day=day).first()
    if request.method == "POST" and done is None:
        try:
            done = services.close_day(
                outlet=outlet,
                day=day,
                counted_cash=parse_int(request.POST.get("counted_cash"), _("The counted cash")),
                opening_float=parse_int(
                    request.POST.get("opening_float"), _("The opening float"), required=False, default=0
                ),
                note=request.POST.get("note", ""),
                actor=request.user,
            )
            messages.success(request, _("The day is closed."))
            return redirect("pos:closing", outlet.public_id)
        except OutletError as error:
            messages.error(request, str(error))
    return render(
        request,
        "outlets/pos/closing.html",
        {
            "outlet": outlet,
            "day": day,
            "figures": services.day_figures(outlet, day),
            "done": done,
            "form": request.POST,
        },
    )


@role_required(*TILL)
def stock(request, outlet):
    outlet = get_outlet_for_user(request.user, outlet)
    balances = (
        StockBalance.objects.filter(outlet=outlet)
        .select_related("product", "product__sme")
        .order_by("product__name_id")
    )
    return render(
        request,
        "outlets/pos/stock.html",
        {
            "outlet": outlet,
            "balances": balances,
            "alerts": services.stock_alerts(outlet),
            "back": reverse("pos:sell", args=[outlet.public_id]),
        },
    )

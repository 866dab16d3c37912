"""Outlet services: every change of stock, sales, closings and settlement goes through here.

Stock: `move_stock` is the only writer of `StockBalance`, always with the `StockMovement` it adds, in
one transaction. A decrease is `UPDATE … SET on_hand = on_hand - q WHERE … AND on_hand >= q`: the
database decides, under its own row lock, whether the units are still there, so two cashiers selling
the last unit at once get one sale and one "sold out", on SQLite (one writer at a time) and on
PostgreSQL (the second UPDATE waits for the first and then re-checks the condition).

Settlement rounding rule: an SME's commission for one outlet and month is computed once, on that
month's gross (what customers paid for its goods there, less customers' returns), as
gross × rate / 10,000 rounded half up to the whole Rupiah (`commission_for`). The SME's net is gross
less that commission, so net + commission always equals gross, to the Rupiah.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.catalog.models import Product
from sentra.core.audit import log_action
from sentra.core.models import AuditEntry
from sentra.registry.models import Sme

from .models import (
    Cashier,
    CooperationTurnover,
    CustomerReturn,
    DayClosing,
    MonthClosing,
    Outlet,
    Sale,
    SaleLine,
    Statement,
    StatementCorrection,
    StockBalance,
    StockMovement,
    StockNote,
)

K = StockMovement.Kind


class OutletError(Exception):
    """A request the outlet rules refuse; the message says why, for the person at the screen."""


class SoldOut(OutletError):
    def __init__(self, product: Product, on_hand: int):
        self.product = product
        self.on_hand = on_hand
        if on_hand <= 0:
            message = _("%(product)s just sold out at this outlet.") % {"product": product.name}
        else:
            message = _("Only %(count)s of %(product)s left at this outlet.") % {
                "count": on_hand,
                "product": product.name,
            }
        super().__init__(message)


def commission_for(gross: int, rate_bp: int) -> int:
    """gross × rate_bp / 10,000, rounded half up (away from zero) to the whole Rupiah."""
    sign = -1 if gross < 0 else 1
    return sign * ((abs(gross) * rate_bp + 5000) // 10000)


def _whole_positive(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise OutletError(_("%(what)s must be a positive whole number.") % {"what": what})
    return value


def _need_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise OutletError(_("Give a reason."))
    return reason[:300]


# --- the ledger ---------------------------------------------------------------------------------


def move_stock(
    *,
    outlet: Outlet,
    product: Product,
    quantity: int,
    kind: str,
    actor=None,
    note: StockNote | None = None,
    sale_line: SaleLine | None = None,
    reason: str = "",
    retail_price: int | None = None,
    consignment_price: int | None = None,
    expires_on: dt.date | None = None,
) -> StockMovement:
    """Add one movement to the ledger and apply it to the balance; a decrease beyond stock is refused."""
    if quantity == 0:
        raise OutletError(_("A stock movement needs a quantity."))
    with transaction.atomic():
        if quantity < 0:
            changed = StockBalance.objects.filter(
                outlet=outlet, product=product, on_hand__gte=-quantity
            ).update(on_hand=F("on_hand") + quantity)
            if not changed:
                held = StockBalance.objects.filter(outlet=outlet, product=product).values_list(
                    "on_hand", flat=True
                )
                raise SoldOut(product, next(iter(held), 0))
        else:
            balance, _created = StockBalance.objects.get_or_create(outlet=outlet, product=product)
            updates = {"on_hand": F("on_hand") + quantity}
            if retail_price:
                updates["retail_price"] = retail_price
            if consignment_price:
                updates["consignment_price"] = consignment_price
            if expires_on and (balance.nearest_expiry is None or expires_on < balance.nearest_expiry):
                updates["nearest_expiry"] = expires_on
            StockBalance.objects.filter(pk=balance.pk).update(**updates)
        return StockMovement.objects.create(
            outlet=outlet,
            product=product,
            quantity=quantity,
            kind=kind,
            note=note,
            sale_line=sale_line,
            reason=reason,
            retail_price=retail_price,
            consignment_price=consignment_price,
            expires_on=expires_on,
            created_by=actor if getattr(actor, "pk", None) else None,
        )


def on_hand(outlet: Outlet, product: Product) -> int:
    return (
        StockBalance.objects.filter(outlet=outlet, product=product).values_list("on_hand", flat=True).first()
        or 0
    )


def ledger_sum(outlet: Outlet, product: Product) -> int:
    return StockMovement.objects.filter(outlet=outlet, product=product).aggregate(
        total=Coalesce(Sum("quantity"), 0)
    )["total"]


@dataclass(frozen=True)
class StockInLine:
    product: Product
    quantity: int
    consignment_price: int
    retail_price: int
    expires_on: dt.date | None = None


def _check_open(outlet: Outlet) -> None:
    if outlet.status == Outlet.Status.CLOSED:
        raise OutletError(_("This outlet is closed."))


@transaction.atomic
def receive_stock(*, outlet: Outlet, sme: Sme, lines: list[StockInLine], actor) -> StockNote:
    """A stock-in note: the SME's goods arrive on consignment, with the prices agreed for them."""
    _check_open(outlet)
    if outlet.is_cooperation:
        raise OutletError(_("A cooperation outlet records turnover, not stock."))
    if not lines:
        raise OutletError(_("Add at least one product."))
    note = StockNote.objects.create(kind=StockNote.Kind.STOCK_IN, outlet=outlet, sme=sme, created_by=actor)
    for line in lines:
        if line.product.sme_id != sme.pk:
            raise OutletError(
                _("%(product)s is not a product of %(sme)s.") % {"product": line.product, "sme": sme}
            )
        _whole_positive(line.quantity, _("The quantity"))
        _whole_positive(line.consignment_price, _("The consignment price"))
        _whole_positive(line.retail_price, _("The retail price"))
        if line.consignment_price > line.retail_price:
            raise OutletError(_("The consignment price cannot be above the retail price."))
        move_stock(
            outlet=outlet,
            product=line.product,
            quantity=line.quantity,
            kind=K.STOCK_IN,
            actor=actor,
            note=note,
            retail_price=line.retail_price,
            consignment_price=line.consignment_price,
            expires_on=line.expires_on,
        )
    log_action(
        actor=actor,
        verb="outlets.stock.received",
        obj=outlet,
        action=AuditEntry.Action.CREATE,
        changes={"note": [None, note.number], "units": [None, sum(x.quantity for x in lines)]},
    )
    return note


@transaction.atomic
def return_to_sme(*, outlet: Outlet, product: Product, quantity: int, reason: str, actor) -> StockNote:
    _whole_positive(quantity, _("The quantity"))
    reason = _need_reason(reason)
    note = StockNote.objects.create(
        kind=StockNote.Kind.RETURN, outlet=outlet, sme=product.sme, reason=reason, created_by=actor
    )
    move_stock(
        outlet=outlet,
        product=product,
        quantity=-quantity,
        kind=K.RETURN_TO_SME,
        actor=actor,
        note=note,
        reason=reason,
    )
    log_action(
        actor=actor,
        verb="outlets.stock.returned",
        obj=outlet,
        changes={"returned": [None, f"{quantity} × {product}"]},
        note=reason,
    )
    return note


@transaction.atomic
def transfer_stock(
    *, outlet: Outlet, to_outlet: Outlet, product: Product, quantity: int, actor, reason: str = ""
) -> StockNote:
    _whole_positive(quantity, _("The quantity"))
    if to_outlet.pk == outlet.pk:
        raise OutletError(_("Pick another outlet to transfer to."))
    _check_open(to_outlet)
    if to_outlet.is_cooperation:
        raise OutletError(_("A cooperation outlet records turnover, not stock."))
    note = StockNote.objects.create(
        kind=StockNote.Kind.TRANSFER,
        outlet=outlet,
        to_outlet=to_outlet,
        sme=product.sme,
        reason=reason,
        created_by=actor,
    )
    balance = StockBalance.objects.filter(outlet=outlet, product=product).first()
    move_stock(
        outlet=outlet, product=product, quantity=-quantity, kind=K.TRANSFER_OUT, actor=actor, note=note
    )
    move_stock(
        outlet=to_outlet,
        product=product,
        quantity=quantity,
        kind=K.TRANSFER_IN,
        actor=actor,
        note=note,
        retail_price=balance.retail_price or None,
        consignment_price=balance.consignment_price or None,
        expires_on=balance.nearest_expiry,
    )
    log_action(
        actor=actor,
        verb="outlets.stock.transferred",
        obj=outlet,
        changes={"transferred": [None, f"{quantity} × {product} → {to_outlet}"]},
    )
    return note


def count_stock(
    *, outlet: Outlet, product: Product, counted: int, reason: str, actor
) -> StockMovement | None:
    """A stock count: the ledger gets the adjustment from what it says to what was counted."""
    if isinstance(counted, bool) or not isinstance(counted, int) or counted < 0:
        raise OutletError(_("The counted quantity must be a whole number, zero or more."))
    reason = _need_reason(reason)
    for _attempt in range(5):
        with transaction.atomic():
            seen = on_hand(outlet, product)
            delta = counted - seen
            if delta == 0:
                return None
            # Applied only if nothing moved since it was read: a sale at that moment makes it read again.
            if delta < 0:
                changed = StockBalance.objects.filter(outlet=outlet, product=product, on_hand=seen).update(
                    on_hand=counted
                )
            else:
                StockBalance.objects.get_or_create(outlet=outlet, product=product)
                changed = StockBalance.objects.filter(outlet=outlet, product=product, on_hand=seen).update(
                    on_hand=counted
                )
            if not changed:
                continue
            note = StockNote.objects.create(
                kind=StockNote.Kind.COUNT, outlet=outlet, sme=product.sme, reason=reason, created_by=actor
            )
            movement = StockMovement.objects.create(
                outlet=outlet,
                product=product,
                quantity=delta,
                kind=K.ADJUSTMENT,
                note=note,
                reason=reason,
                created_by=actor,
            )
            log_action(
                actor=actor,
                verb="outlets.stock.counted",
                obj=outlet,
                changes={str(product): [seen, counted]},
                note=reason,
            )
            return movement
    raise OutletError(_("The stock kept changing while it was counted; count again."))


# --- point of sale ------------------------------------------------------------------------------


def month_is_closed(outlet: Outlet, day: dt.date) -> bool:
    return MonthClosing.objects.filter(outlet=outlet, year=day.year, month=day.month).exists()


def _check_till_open(outlet: Outlet, day: dt.date) -> None:
    if month_is_closed(outlet, day):
        raise OutletError(_("The month %(month)s is closed for this outlet.") % {"month": f"{day:%m/%Y}"})
    if DayClosing.objects.filter(outlet=outlet, day=day).exists():
        raise OutletError(_("The till of %(day)s is already closed.") % {"day": f"{day:%d/%m/%Y}"})


def share_discount(discount: int, grosses: list[int]) -> list[int]:
    """The discount over the lines in proportion to their gross (largest remainders get the odd Rupiah)."""
    subtotal = sum(grosses)
    if not discount:
        return [0] * len(grosses)
    shares = [discount * g // subtotal for g in grosses]
    remainders = sorted(range(len(grosses)), key=lambda i: (-(discount * grosses[i] % subtotal), i))
    for i in remainders[: discount - sum(shares)]:
        shares[i] += 1
    return shares


@dataclass(frozen=True)
class Recorded:
    sale: Sale
    created: bool


def record_sale(
    *,
    outlet: Outlet,
    cashier,
    lines: list[tuple[Product, int]],
    payment: str,
    client_key: str,
    cash_received: int | None = None,
    discount: int = 0,
    discount_reason: str = "",
    at: dt.datetime | None = None,
) -> Recorded:
    """One sale, posted whole. The same client_key again returns the sale it recorded the first time."""
    client_key = (client_key or "").strip()[:64]
    if not client_key:
        raise OutletError(_("The sale has no key; reload the page and try again."))
    sent = Sale.objects.filter(client_key=client_key).first()
    if sent is not None:
        if sent.outlet_id != outlet.pk:
            raise OutletError(_("This sale key was used at another outlet."))
        return Recorded(sent, False)
    try:
        sale = _record_new_sale(
            outlet=outlet,
            cashier=cashier,
            lines=lines,
            payment=payment,
            client_key=client_key,
            cash_received=cash_received,
            discount=discount,
            discount_reason=discount_reason,
            at=at,
        )
    except IntegrityError:
        # The same request arrived twice at once: the other one recorded it.
        sent = Sale.objects.filter(client_key=client_key, outlet=outlet).first()
        if sent is None:
            raise
        return Recorded(sent, False)
    return Recorded(sale, True)


@transaction.atomic
def _record_new_sale(
    *, outlet, cashier, lines, payment, client_key, cash_received, discount, discount_reason, at
) -> Sale:
    _check_open(outlet)
    if outlet.is_cooperation:
        raise OutletError(_("A cooperation outlet records turnover, not sales."))
    if payment not in Sale.Payment.values:
        raise OutletError(_("Pick how the customer pays."))
    wanted: dict[int, int] = {}
    products: dict[int, Product] = {}
    for product, quantity in lines:
        _whole_positive(quantity, _("The quantity"))
        wanted[product.pk] = wanted.get(product.pk, 0) + quantity
        products[product.pk] = product
    if not wanted:
        raise OutletError(_("The cart is empty."))
    at = at or timezone.now()
    day = timezone.localdate(at)
    _check_till_open(outlet, day)
    balances = {b.product_id: b for b in StockBalance.objects.filter(outlet=outlet, product_id__in=wanted)}
    ids = sorted(wanted)  # always the same order of row locks: two carts never deadlock
    for pk in ids:
        if pk not in balances:
            raise OutletError(
                _("%(product)s is not in stock at this outlet.") % {"product": products[pk].name}
            )
    grosses = [wanted[pk] * balances[pk].retail_price for pk in ids]
    subtotal = sum(grosses)
    if isinstance(discount, bool) or not isinstance(discount, int) or discount < 0:
        raise OutletError(_("The discount must be a whole number of Rupiah, zero or more."))
    if discount > subtotal:
        raise OutletError(_("The discount cannot be more than the sale."))
    discount_reason = (discount_reason or "").strip()
    if discount and not discount_reason:
        raise OutletError(_("Give the reason for the discount."))
    total = subtotal - discount
    change = 0
    if payment == Sale.Payment.CASH:
        if isinstance(cash_received, bool) or not isinstance(cash_received, int) or cash_received < total:
            raise OutletError(_("The cash received must cover the total."))
        change = cash_received - total
    else:
        cash_received = None
    sale = Sale.objects.create(
        client_key=client_key,
        outlet=outlet,
        cashier=cashier if getattr(cashier, "pk", None) else None,
        sold_at=at,
        sold_on=day,
        subtotal=subtotal,
        discount=discount,
        discount_reason=discount_reason[:200],
        total=total,
        payment=payment,
        cash_received=cash_received,
        change=change,
    )
    for pk, gross, share in zip(ids, grosses, share_discount(discount, grosses), strict=True):
        product = products[pk]
        line = SaleLine.objects.create(
            sale=sale,
            product=product,
            sme_id=product.sme_id,
            quantity=wanted[pk],
            unit_price=balances[pk].retail_price,
            discount=share,
            amount=gross - share,
        )
        move_stock(
            outlet=outlet, product=product, quantity=-wanted[pk], kind=K.SALE, actor=cashier, sale_line=line
        )
    log_action(
        actor=cashier,
        verb="outlets.sale.recorded",
        obj=sale,
        action=AuditEntry.Action.CREATE,
        changes={"total": [None, total], "payment": [None, payment]}
        | ({"discount": [None, discount]} if discount else {}),
        note=discount_reason,
    )
    return sale


@transaction.atomic
def void_sale(*, sale: Sale, reason: str, actor) -> Sale:
    """A sale rung up by mistake: its goods go back on the shelf; only before the day is closed."""
    reason = _need_reason(reason)
    sale = Sale.objects.select_for_update().select_related("outlet").get(pk=sale.pk)
    if sale.status == Sale.Status.VOIDED:
        raise OutletError(_("This sale is already voided."))
    _check_till_open(sale.outlet, sale.sold_on)
    for line in sale.lines.select_related("product"):
        back = line.quantity - line.returned_quantity
        if back:
            move_stock(
                outlet=sale.outlet,
                product=line.product,
                quantity=back,
                kind=K.VOID,
                actor=actor,
                sale_line=line,
                reason=reason,
            )
    sale.status = Sale.Status.VOIDED
    sale.void_reason = reason
    sale.voided_by = actor
    sale.voided_at = timezone.now()
    sale.save(update_fields=["status", "void_reason", "voided_by", "voided_at"])
    log_action(
        actor=actor,
        verb="outlets.sale.voided",
        obj=sale,
        changes={"status": ["completed", "voided"]},
        note=reason,
    )
    return sale


@transaction.atomic
def return_items(*, line: SaleLine, quantity: int, reason: str, actor) -> CustomerReturn:
    """A customer brings goods back: into stock again, refunded at what was paid per unit."""
    _whole_positive(quantity, _("The quantity"))
    reason = _need_reason(reason)
    line = SaleLine.objects.select_for_update().select_related("sale__outlet", "product").get(pk=line.pk)
    sale = line.sale
    if sale.status == Sale.Status.VOIDED:
        raise OutletError(_("This sale is voided; nothing can be returned from it."))
    if quantity > line.quantity - line.returned_quantity:
        raise OutletError(
            _("Only %(count)s of %(product)s were sold on this receipt and not yet returned.")
            % {"count": line.quantity - line.returned_quantity, "product": line.product.name}
        )
    today = timezone.localdate()
    _check_till_open(sale.outlet, today)
    remaining_qty = line.quantity - line.returned_quantity
    remaining_amount = line.amount - line.returned_amount
    amount = remaining_amount if quantity == remaining_qty else line.amount * quantity // line.quantity
    changed = SaleLine.objects.filter(pk=line.pk, returned_quantity__lte=line.quantity - quantity).update(
        returned_quantity=F("returned_quantity") + quantity, returned_amount=F("returned_amount") + amount
    )
    if not changed:
        raise OutletError(_("A return beyond what was sold is refused."))
    move_stock(
        outlet=sale.outlet,
        product=line.product,
        quantity=quantity,
        kind=K.CUSTOMER_RETURN,
        actor=actor,
        sale_line=line,
        reason=reason,
    )
    returned = CustomerReturn.objects.create(
        line=line, quantity=quantity, amount=amount, returned_on=today, reason=reason, created_by=actor
    )
    log_action(
        actor=actor,
        verb="outlets.sale.returned",
        obj=sale,
        changes={"returned": [None, f"{quantity} × {line.product}"], "refund": [None, amount]},
        note=reason,
    )
    return returned


def day_figures(outlet: Outlet, day: dt.date) -> dict:
    """The day's sales by payment method and the cash refunded, in two aggregate queries."""
    rows = (
        Sale.objects.filter(outlet=outlet, sold_on=day, status=Sale.Status.COMPLETED)
        .values("payment")
        .annotate(total=Sum("total"), count=Count("id"))
        .order_by()
    )
    by_payment = {row["payment"]: row for row in rows}
    refunds = CustomerReturn.objects.filter(line__sale__outlet=outlet, returned_on=day).aggregate(
        total=Coalesce(Sum("amount"), 0)
    )["total"]
    cash = by_payment.get(Sale.Payment.CASH, {}).get("total") or 0
    return {
        "by_payment": [
            {
                "label": label,
                "total": by_payment.get(code, {}).get("total") or 0,
                "count": by_payment.get(code, {}).get("count") or 0,
            }
            for code, label in Sale.Payment.choices
        ],
        "count": sum(r["count"] for r in by_payment.values()),
        "total": sum(r["total"] for r in by_payment.values()),
        "cash_sales": cash,
        "refunds": refunds,
        "expected_cash": cash - refunds,
    }


def close_day(
    *, outlet: Outlet, day: dt.date, counted_cash: int, actor, opening_float: int = 0, note: str = ""
) -> DayClosing:
    for value, what in ((counted_cash, _("The counted cash")), (opening_float, _("The opening float"))):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise OutletError(_("%(what)s must be a whole number of Rupiah, zero or more.") % {"what": what})
    figures = day_figures(outlet, day)
    expected = opening_float + figures["expected_cash"]
    difference = counted_cash - expected
    if difference and not (note or "").strip():
        raise OutletError(_("The counted cash differs from what is expected: say why in the note."))
    try:
        with transaction.atomic():
            closing = DayClosing.objects.create(
                outlet=outlet,
                day=day,
                opening_float=opening_float,
                expected_cash=expected,
                counted_cash=counted_cash,
                difference=difference,
                sales_count=figures["count"],
                sales_total=figures["total"],
                note=(note or "").strip()[:300],
                closed_by=actor,
            )
            log_action(
                actor=actor,
                verb="outlets.day.closed",
                obj=outlet,
                changes={"day": [None, day.isoformat()], "difference": [None, difference]},
                note=note,
            )
    except IntegrityError:
        raise OutletError(_("The till of %(day)s is already closed.") % {"day": f"{day:%d/%m/%Y}"}) from None
    return closing


# --- settlement ---------------------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass
class MonthLine:
    sme_id: int
    quantity: int
    gross: int
    commission: int
    net: int
    sme: Sme | None = None


def month_figures(outlet: Outlet, year: int, month: int, *, sme_ids=None) -> list[MonthLine]:
    """Each SME's quantity, gross, commission and net at an outlet for a month, as they stand now."""
    return month_figures_by_outlet([outlet], year, month, sme_ids=sme_ids).get(outlet.pk, [])


def month_figures_by_outlet(outlets, year: int, month: int, *, sme_ids=None) -> dict[int, list[MonthLine]]:
    """`month_figures` of several outlets in a fixed number of queries, keyed by outlet id (an SME owner
    consigns at several outlets; their page must not run a query per outlet)."""
    by_pk = {outlet.pk: outlet for outlet in outlets}
    start, end = month_bounds(year, month)
    sold = SaleLine.objects.filter(
        sale__outlet_id__in=list(by_pk), sale__status=Sale.Status.COMPLETED, sale__sold_on__range=(start, end)
    )
    back = CustomerReturn.objects.filter(
        line__sale__outlet_id__in=list(by_pk), returned_on__range=(start, end)
    )
    if sme_ids is not None:
        sold = sold.filter(sme_id__in=sme_ids)
        back = back.filter(line__sme_id__in=sme_ids)
    totals: dict[tuple[int, int], list[int]] = {}
    for row in (
        sold.values("sale__outlet_id", "sme_id").annotate(q=Sum("quantity"), g=Sum("amount")).order_by()
    ):
        totals[row["sale__outlet_id"], row["sme_id"]] = [row["q"], row["g"]]
    returned = back.values("line__sale__outlet_id", "line__sme_id").annotate(
        q=Sum("quantity"), g=Sum("amount")
    )
    for row in returned.order_by():
        entry = totals.setdefault((row["line__sale__outlet_id"], row["line__sme_id"]), [0, 0])
        entry[0] -= row["q"]
        entry[1] -= row["g"]
    smes = Sme.objects.in_bulk({sme_id for _outlet, sme_id in totals})
    result: dict[int, list[MonthLine]] = {}
    for (outlet_id, sme_id), (quantity, gross) in sorted(totals.items(), key=lambda kv: smes[kv[0][1]].name):
        commission = commission_for(gross, by_pk[outlet_id].rate_bp)
        line = MonthLine(sme_id, quantity, gross, commission, gross - commission, smes[sme_id])
        result.setdefault(outlet_id, []).append(line)
    return result


@transaction.atomic
def close_month(*, outlet: Outlet, year: int, month: int, actor) -> MonthClosing:
    """Fix the month's statements; after this the month takes no sales, voids or returns."""
    start, end = month_bounds(year, month)
    if end >= timezone.localdate():
        raise OutletError(_("A month can be closed once it has ended."))
    try:
        with transaction.atomic():
            closing = MonthClosing.objects.create(outlet=outlet, year=year, month=month, closed_by=actor)
    except IntegrityError:
        raise OutletError(_("This month is already closed.")) from None
    Statement.objects.bulk_create(
        Statement(
            closing=closing,
            outlet=outlet,
            sme_id=line.sme_id,
            year=year,
            month=month,
            quantity=line.quantity,
            gross=line.gross,
            commission=line.commission,
            net=line.net,
            rate_bp=outlet.rate_bp,
        )
        for line in month_figures(outlet, year, month)
    )
    log_action(
        actor=actor, verb="outlets.month.closed", obj=outlet, changes={"month": [None, f"{year}-{month:02d}"]}
    )
    return closing


@transaction.atomic
def correct_statement(*, statement: Statement, amount: int, reason: str, actor) -> StatementCorrection:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount == 0:
        raise OutletError(_("A correction is a whole number of Rupiah, not zero."))
    reason = _need_reason(reason)
    if statement.paid_on:
        raise OutletError(_("This statement is paid; record the correction on next month's statement."))
    if statement.payable + amount < 0:
        raise OutletError(_("The correction would make the amount payable negative."))
    correction = StatementCorrection.objects.create(
        statement=statement, amount=amount, reason=reason, created_by=actor
    )
    log_action(
        actor=actor,
        verb="outlets.statement.corrected",
        obj=statement.outlet,
        changes={"correction": [None, amount]},
        note=reason,
    )
    return correction


@transaction.atomic
def mark_paid(*, statement: Statement, paid_on: dt.date, reference: str, actor) -> Statement:
    reference = (reference or "").strip()
    if not reference:
        raise OutletError(_("Give the payment reference (transfer number)."))
    if paid_on > timezone.localdate():
        raise OutletError(_("The payment date cannot be in the future."))
    changed = Statement.objects.filter(pk=statement.pk, paid_on__isnull=True).update(
        paid_on=paid_on, paid_reference=reference[:100], paid_by=actor
    )
    if not changed:
        raise OutletError(_("This statement is already paid."))
    statement.refresh_from_db()
    log_action(
        actor=actor,
        verb="outlets.statement.paid",
        obj=statement.outlet,
        changes={"paid": [None, f"{statement.sme_id} {paid_on} {reference}"]},
    )
    return statement


# --- cooperation outlets and cashiers -----------------------------------------------------------


@transaction.atomic
def record_turnover(
    *,
    outlet: Outlet,
    starts_on: dt.date,
    ends_on: dt.date,
    turnover: int,
    evidence,
    evidence_kind: str,
    actor,
    dinas_share: int | None = None,
    note: str = "",
) -> CooperationTurnover:
    if not outlet.is_cooperation:
        raise OutletError(_("Turnover is recorded for cooperation outlets; this outlet records its sales."))
    _whole_positive(turnover, _("The turnover"))
    if ends_on < starts_on:
        raise OutletError(_("The period ends before it starts."))
    if ends_on > timezone.localdate():
        raise OutletError(_("The period has not ended yet."))
    if dinas_share is None:
        dinas_share = commission_for(turnover, outlet.rate_bp)
    if isinstance(dinas_share, bool) or not isinstance(dinas_share, int) or not 0 <= dinas_share <= turnover:
        raise OutletError(_("The Dinas' share must be a whole number between zero and the turnover."))
    if outlet.turnovers.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).exists():
        raise OutletError(_("Turnover for part of this period is already recorded."))
    report = CooperationTurnover(
        outlet=outlet,
        starts_on=starts_on,
        ends_on=ends_on,
        turnover=turnover,
        dinas_share=dinas_share,
        evidence_kind=evidence_kind,
        note=(note or "").strip()[:300],
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    report.evidence.save(evidence.name, evidence, save=False)
    report.save()
    log_action(
        actor=actor,
        verb="outlets.turnover.recorded",
        obj=outlet,
        action=AuditEntry.Action.CREATE,
        changes={"turnover": [None, turnover], "share": [None, dinas_share]},
    )
    return report


@transaction.atomic
def assign_cashier(*, outlet: Outlet, user, actor) -> Cashier:
    from sentra.accounts.models import Role

    if user.role != Role.CASHIER:
        raise OutletError(_("Only a cashier account can work at an outlet's till."))
    post, created = Cashier.objects.update_or_create(user=user, defaults={"outlet": outlet})
    log_action(
        actor=actor, verb="outlets.cashier.assigned", obj=outlet, changes={"cashier": [None, user.username]}
    )
    return post


def stock_alerts(outlet: Outlet, *, today: dt.date | None = None, expiry_days: int = 14):
    today = today or timezone.localdate()
    balances = StockBalance.objects.filter(outlet=outlet).select_related("product")
    return {
        "low": balances.filter(on_hand__lte=outlet.low_stock_at).order_by("on_hand"),
        "expiring": balances.filter(
            on_hand__gt=0, nearest_expiry__lte=today + dt.timedelta(days=expiry_days)
        ).order_by("nearest_expiry"),
    }


def awaiting_payment(statements=None):
    qs = statements if statements is not None else Statement.objects.all()
    return qs.filter(paid_on__isnull=True, net__gt=0).select_related("outlet", "sme", "closing")


def consignors(outlet: Outlet):
    """The SMEs consigning at an outlet now: verified, active SMEs with goods on its shelves."""
    stocked = StockBalance.objects.filter(outlet=outlet, on_hand__gt=0).values("product__sme")
    return Sme.objects.active().verified().filter(pk__in=stocked)

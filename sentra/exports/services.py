"""Changes to export records: plain functions, one transaction each, every step audited on its deal.

The deal's stage follows what has been recorded, never the other way round:

    inquiry ─▶ quoted ─▶ ordered ─▶ production ─▶ shipped ─▶ paid
       └─────────┴──────────┴──────────┴── cancelled (before shipment, with a reason)

A purchase order may open a deal directly (most exports start there); production may be skipped;
payments may arrive before the shipment (payment in advance), but a deal is "paid" only once it is
shipped and its payments reach the purchase order's value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.catalog.models import Product
from sentra.core.audit import diff, log_action, snapshot
from sentra.core.models import AuditEntry
from sentra.registry.models import Sme

from . import currencies, documents
from .models import (
    BuyerContact,
    DealDocument,
    DomesticSale,
    ExportDeal,
    ForeignBuyer,
    OrderLine,
    Payment,
    ProductReadiness,
    PurchaseOrder,
    Quotation,
    Shipment,
    SmeReadiness,
)

Stage = ExportDeal.Stage
OPEN_STAGES = (Stage.INQUIRY, Stage.QUOTED, Stage.ORDERED, Stage.PRODUCTION, Stage.SHIPPED)


class StepError(ValidationError):
    """A step the deal's stage or dates do not allow."""


class OverpaymentError(ValidationError):
    """A payment that takes the total above the purchase order's value: it needs confirming."""


def _refuse(message, **params):
    raise StepError(message, params=params or None)


def _not_in_future(day: dt.date, what) -> None:
    if day > timezone.localdate():
        _refuse(_("A date in the future is not allowed here (%(what)s)."), what=what)


def _log(actor, verb: str, deal: ExportDeal, changes: dict | None = None, *, note: str = "", action=None):
    log_action(
        actor=actor,
        verb=verb,
        obj=deal,
        action=action or AuditEntry.Action.UPDATE,
        changes=changes or {},
        note=note,
    )


def _set_stage(deal: ExportDeal, stage: str, changes: dict) -> None:
    if deal.stage != stage:
        changes["stage"] = [deal.stage, stage]
        deal.stage = stage


# --- buyers ----------------------------------------------------------------------------------------

BUYER_FIELDS = ("name", "country", "city", "address", "website", "note")
CONTACT_FIELDS = ("name", "position", "email", "phone")


@transaction.atomic
def save_buyer(*, actor, data: dict, contacts: list[dict], buyer: ForeignBuyer | None = None) -> ForeignBuyer:
    """Create or update a buyer and its contacts. `contacts` are dicts of CONTACT_FIELDS, with "id"
    for an existing contact and "delete" to remove one."""
    created = buyer is None
    buyer = buyer or ForeignBuyer()
    before = {} if created else snapshot(buyer, BUYER_FIELDS)
    for name in BUYER_FIELDS:
        setattr(buyer, name, data.get(name, getattr(buyer, name)))
    buyer.full_clean(exclude=["regency"])  # the home regency, set on save
    buyer.save()
    changes = diff(before, snapshot(buyer, BUYER_FIELDS))
    if changes or created:
        log_action(
            actor=actor,
            verb="exports.buyer.created" if created else "exports.buyer.updated",
            obj=buyer,
            action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
            changes=changes,
        )
    existing = {c.pk: c for c in buyer.contacts.all()}
    for row in contacts:
        contact = existing.get(row.get("id")) or BuyerContact(buyer=buyer)
        if row.get("delete"):
            if contact.pk:
                log_action(
                    actor=actor, verb="exports.contact.removed", obj=contact, action=AuditEntry.Action.DELETE
                )
                contact.delete()
            continue
        was = {} if contact.pk is None else snapshot(contact, CONTACT_FIELDS)
        for name in CONTACT_FIELDS:
            setattr(contact, name, row.get(name, ""))
        contact.full_clean()
        contact.save()
        # The audit masks the contact's phone and email (BuyerContact.PERSONAL_FIELDS).
        contact_changes = diff(was, snapshot(contact, CONTACT_FIELDS))
        if contact_changes:
            log_action(actor=actor, verb="exports.contact.saved", obj=contact, changes=contact_changes)
    return buyer


# --- readiness -------------------------------------------------------------------------------------


@transaction.atomic
def save_sme_readiness(*, actor, sme: Sme, prior_exports: bool, prior_exports_note: str) -> SmeReadiness:
    readiness, _created = SmeReadiness.objects.get_or_create(sme=sme)
    before = snapshot(readiness, ("prior_exports", "prior_exports_note"))
    readiness.prior_exports, readiness.prior_exports_note = prior_exports, prior_exports_note
    readiness.updated_by = actor
    readiness.save()
    changes = diff(before, snapshot(readiness, ("prior_exports", "prior_exports_note")))
    if changes:
        log_action(actor=actor, verb="exports.readiness.sme_saved", obj=sme, changes=changes)
    return readiness


PRODUCT_READINESS_FIELDS = ("monthly_capacity", "english_label", "usd_price_minor", "samples", "note")


@transaction.atomic
def save_product_readiness(*, actor, product: Product, data: dict) -> ProductReadiness:
    """Save a product's export facts. An officer's save marks them checked; an owner's is a declaration."""
    readiness, _created = ProductReadiness.objects.get_or_create(product=product)
    before = snapshot(readiness, PRODUCT_READINESS_FIELDS)
    for name in PRODUCT_READINESS_FIELDS:
        setattr(readiness, name, data.get(name, getattr(readiness, name)))
    readiness.updated_by = actor
    if getattr(actor, "is_dinas", False):
        readiness.checked_by, readiness.checked_at = actor, timezone.now()
    else:
        readiness.checked_by, readiness.checked_at = None, None
    readiness.full_clean()
    readiness.save()
    changes = diff(before, snapshot(readiness, PRODUCT_READINESS_FIELDS))
    if changes:
        log_action(actor=actor, verb="exports.readiness.product_saved", obj=product, changes=changes)
    return readiness


# --- the pipeline ----------------------------------------------------------------------------------


@transaction.atomic
def open_deal(
    *,
    actor,
    sme: Sme,
    buyer: ForeignBuyer,
    inquiry_on: dt.date,
    inquiry_text: str = "",
    source: str = "officer",
) -> ExportDeal:
    """A buyer's inquiry, entered by an officer (or taken from a catalogue inquiry)."""
    _not_in_future(inquiry_on, _("inquiry date"))
    deal = ExportDeal(
        sme=sme, regency_id=sme.regency_id, buyer=buyer, stage=Stage.INQUIRY, source=source,
        inquiry_on=inquiry_on, inquiry_text=inquiry_text, created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    # The SME and buyer were fetched by the caller: no need to look them up again.
    deal.full_clean(exclude=["sme", "buyer", "regency", "created_by"])
    deal.save()
    _log(
        actor, "exports.deal.opened", deal,
        {"buyer": [None, str(buyer)], "inquiry_on": [None, inquiry_on.isoformat()], "source": [None, source]},
        action=AuditEntry.Action.CREATE,
    )  # fmt: skip
    return deal


def _lock(deal: ExportDeal) -> ExportDeal:
    """The deal re-read under a row lock: two officers recording steps at once wait for each other."""
    return ExportDeal.objects.select_for_update().get(pk=deal.pk)


def _not_before(day: dt.date, earlier: dt.date | None, message) -> None:
    if earlier is not None and day < earlier:
        _refuse(message, date=earlier.isoformat())


@transaction.atomic
def add_quotation(
    *, actor, deal: ExportDeal, quoted_on: dt.date, currency: str, amount_minor: int,
    valid_until: dt.date | None = None, note: str = "",
) -> Quotation:  # fmt: skip
    deal = _lock(deal)
    if deal.stage not in (Stage.INQUIRY, Stage.QUOTED):
        _refuse(_("A quotation can only be added before the purchase order."))
    currencies.get(currency)
    _not_in_future(quoted_on, _("quotation date"))
    _not_before(quoted_on, deal.inquiry_on, _("The quotation cannot be dated before the inquiry (%(date)s)."))
    if valid_until is not None and valid_until < quoted_on:
        _refuse(_("A quotation cannot expire before its own date."))
    quotation = Quotation.objects.create(
        deal=deal,
        quoted_on=quoted_on,
        currency=currency,
        amount_minor=amount_minor,
        valid_until=valid_until,
        note=note,
    )
    changes = {"quotation": [None, f"{currencies.format_amount(amount_minor, currency, 'en')} ({quoted_on})"]}
    _set_stage(deal, Stage.QUOTED, changes)
    deal.save()
    _log(actor, "exports.quotation.added", deal, changes, note=note)
    return quotation


@dataclass(frozen=True)
class LineInput:
    product: Product
    quantity: int
    unit_price_minor: int


@transaction.atomic
def record_purchase_order(
    *,
    actor,
    number: str,
    ordered_on: dt.date,
    currency: str,
    rate: Decimal | None,
    incoterm: str,
    payment_terms: str,
    lines: list[LineInput],
    deal: ExportDeal | None = None,
    sme: Sme | None = None,
    buyer: ForeignBuyer | None = None,
    incoterm_place: str = "",
    payment_terms_note: str = "",
) -> PurchaseOrder:
    """The buyer's purchase order, on an existing deal or opening one (then `sme` and `buyer`)."""
    if not currency:
        _refuse(_("A purchase order needs the currency the buyer pays in."))
    info = currencies.get(currency)
    if rate is None or rate <= 0:
        _refuse(_("A purchase order needs the exchange rate used (Rupiah per %(code)s)."), code=currency)
    if not lines:
        _refuse(_("A purchase order needs at least one product."))
    number = number.strip()
    if not number:
        _refuse(_("A purchase order needs its number."))
    _not_in_future(ordered_on, _("PO date"))
    if deal is not None:
        deal = _lock(deal)
        sme, buyer = deal.sme, deal.buyer
        if deal.stage not in (Stage.INQUIRY, Stage.QUOTED):
            _refuse(_("This deal already has its purchase order."))
        _not_before(ordered_on, deal.inquiry_on, _("The PO cannot be dated before the inquiry (%(date)s)."))
        last_quote = deal.quotations.order_by("-quoted_on").values_list("quoted_on", flat=True).first()
        _not_before(ordered_on, last_quote, _("The PO cannot be dated before the quotation (%(date)s)."))
    elif sme is None or buyer is None:
        _refuse(_("A purchase order needs its SME and its buyer."))
    if any(line.product.sme_id != sme.pk for line in lines):
        _refuse(_("Every product of a purchase order must be of the same SME."))
    if PurchaseOrder.objects.filter(deal__buyer=buyer, number__iexact=number).exists():
        _refuse(
            _("%(buyer)s already has a purchase order numbered %(number)s."), buyer=buyer.name, number=number
        )
    if deal is None:
        deal = ExportDeal.objects.create(
            sme=sme, regency_id=sme.regency_id, buyer=buyer, stage=Stage.ORDERED,
            source=ExportDeal.Source.OFFICER, created_by=actor if getattr(actor, "pk", None) else None,
        )  # fmt: skip
        _log(
            actor, "exports.deal.opened", deal, {"buyer": [None, str(buyer)]}, action=AuditEntry.Action.CREATE
        )
    value_minor = sum(line.quantity * line.unit_price_minor for line in lines)
    order = PurchaseOrder(
        deal=deal, number=number, ordered_on=ordered_on, currency=currency, rate=rate,
        value_minor=value_minor, value_idr=currencies.to_rupiah(value_minor, info, rate),
        incoterm=incoterm, incoterm_place=incoterm_place, payment_terms=payment_terms,
        payment_terms_note=payment_terms_note,
    )  # fmt: skip
    order.full_clean(exclude=["deal"])
    order.save()
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order, product=line.product, quantity=line.quantity,
            unit_price_minor=line.unit_price_minor, total_minor=line.quantity * line.unit_price_minor,
        )
        for line in lines
    )  # fmt: skip
    changes = {
        "order": [None, number],
        "ordered_on": [None, ordered_on.isoformat()],
        "value": [None, currencies.format_amount(value_minor, currency, "en")],
        "rate": [None, str(rate)],
        "value_idr": [None, order.value_idr],
        "incoterm": [None, incoterm],
        "lines": [None, "; ".join(f"{line.quantity} × {line.product.name_id}" for line in lines)],
    }
    _set_stage(deal, Stage.ORDERED, changes)
    deal.save()
    _log(actor, "exports.order.recorded", deal, changes)
    return order


def _order_of(deal: ExportDeal) -> PurchaseOrder:
    order = PurchaseOrder.objects.filter(deal=deal).first()
    if order is None:
        _refuse(_("Record the purchase order first."))
    return order


@transaction.atomic
def start_production(*, actor, deal: ExportDeal, started_on: dt.date, note: str = "") -> ExportDeal:
    deal = _lock(deal)
    order = _order_of(deal)
    if deal.stage != Stage.ORDERED:
        _refuse(_("Production can only start on a purchase order not yet shipped."))
    _not_in_future(started_on, _("production start"))
    _not_before(started_on, order.ordered_on, _("Production cannot start before the PO date (%(date)s)."))
    changes = {"production_started_on": [None, started_on.isoformat()]}
    deal.production_started_on, deal.production_note = started_on, note
    _set_stage(deal, Stage.PRODUCTION, changes)
    deal.save()
    _log(actor, "exports.production.started", deal, changes, note=note)
    return deal


def paid_minor(order: PurchaseOrder) -> int:
    return order.payments.aggregate(total=Sum("amount_minor"))["total"] or 0


def _maybe_paid(deal: ExportDeal, order: PurchaseOrder, changes: dict) -> None:
    if deal.stage != Stage.SHIPPED:
        return
    payments = list(order.payments.order_by("received_on", "id").values_list("received_on", "amount_minor"))
    running = 0
    for received_on, amount in payments:
        running += amount
        if running >= order.value_minor:
            deal.paid_on = max(received_on, order.shipment.shipped_on)
            changes["paid_on"] = [None, deal.paid_on.isoformat()]
            _set_stage(deal, Stage.PAID, changes)
            return


@transaction.atomic
def record_shipment(
    *, actor, deal: ExportDeal, shipped_on: dt.date, port: str, destination_country: str = "",
    peb_number: str = "", transport: str = Shipment.Transport.SEA, customs_facilitation: bool = False,
    dinas_facilitation: bool = False, facilitation_note: str = "",
) -> Shipment:  # fmt: skip
    deal = _lock(deal)
    order = _order_of(deal)
    if deal.stage not in (Stage.ORDERED, Stage.PRODUCTION):
        _refuse(_("This purchase order is already shipped."))
    _not_in_future(shipped_on, _("shipment date"))
    if shipped_on < order.ordered_on:
        _refuse(
            _("The shipment cannot be dated before its purchase order (%(date)s)."),
            date=order.ordered_on.isoformat(),
        )
    _not_before(
        shipped_on,
        deal.production_started_on,
        _("The shipment cannot be dated before production started (%(date)s)."),
    )
    shipment = Shipment(
        order=order, shipped_on=shipped_on, port=port.strip(),
        destination_country=destination_country or deal.buyer.country.code, peb_number=peb_number.strip(),
        transport=transport, customs_facilitation=customs_facilitation, dinas_facilitation=dinas_facilitation,
        facilitation_note=facilitation_note,
    )  # fmt: skip
    shipment.full_clean(exclude=["order"])
    shipment.save()
    changes = {
        "shipped_on": [None, shipped_on.isoformat()],
        "peb_number": [None, shipment.peb_number],
        "port": [None, shipment.port],
        "destination_country": [None, str(shipment.destination_country.code)],
        "facilitation": [None, ", ".join(
            name for name, on in (("customs", customs_facilitation), ("dinas", dinas_facilitation)) if on
        ) or "none"],
    }  # fmt: skip
    _set_stage(deal, Stage.SHIPPED, changes)
    _maybe_paid(deal, order, changes)
    deal.save()
    _log(actor, "exports.shipment.recorded", deal, changes, note=facilitation_note)
    return shipment


@transaction.atomic
def record_payment(
    *, actor, deal: ExportDeal, received_on: dt.date, amount_minor: int, credited_idr: int | None = None,
    note: str = "", confirm_over: bool = False,
) -> Payment:  # fmt: skip
    """A payment in the PO's currency. One that takes the total above the PO value is refused with
    OverpaymentError unless `confirm_over` (a buyer may pay bank charges or a later order ahead)."""
    deal = _lock(deal)
    order = _order_of(deal)
    if deal.stage in (Stage.PAID, Stage.CANCELLED):
        _refuse(_("This deal takes no more payments."))
    if amount_minor <= 0:
        _refuse(_("The amount must be greater than zero."))
    _not_in_future(received_on, _("payment date"))
    _not_before(received_on, order.ordered_on, _("A payment cannot be dated before the PO date (%(date)s)."))
    already = paid_minor(order)
    if already + amount_minor > order.value_minor and not confirm_over:
        raise OverpaymentError(
            _(
                "With this payment %(total)s would be received, more than the PO's %(value)s. Confirm to record it."
            ),
            code="overpayment",
            params={
                "total": currencies.format_amount(already + amount_minor, order.currency),
                "value": currencies.format_amount(order.value_minor, order.currency),
            },
        )
    payment = Payment.objects.create(
        order=order, received_on=received_on, amount_minor=amount_minor, credited_idr=credited_idr, note=note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    changes = {
        "payment": [None, f"{currencies.format_amount(amount_minor, order.currency, 'en')} ({received_on})"],
        "paid": [
            currencies.format_amount(already, order.currency, "en"),
            currencies.format_amount(already + amount_minor, order.currency, "en"),
        ],
    }
    if already + amount_minor > order.value_minor:
        changes["over_value_confirmed"] = [None, True]
    _maybe_paid(deal, order, changes)
    deal.save()
    _log(actor, "exports.payment.recorded", deal, changes, note=note)
    return payment


@transaction.atomic
def cancel_deal(*, actor, deal: ExportDeal, reason: str, on: dt.date | None = None) -> ExportDeal:
    deal = _lock(deal)
    if deal.stage not in (Stage.INQUIRY, Stage.QUOTED, Stage.ORDERED, Stage.PRODUCTION):
        _refuse(_("A shipped or cancelled deal cannot be cancelled."))
    if not reason.strip():
        _refuse(_("Say why the deal is cancelled."))
    deal.cancelled_on, deal.cancel_reason = on or timezone.localdate(), reason.strip()
    changes = {"cancelled_on": [None, deal.cancelled_on.isoformat()]}
    _set_stage(deal, Stage.CANCELLED, changes)
    deal.save()
    _log(actor, "exports.deal.cancelled", deal, changes, note=deal.cancel_reason)
    return deal


@transaction.atomic
def attach_document(*, actor, deal: ExportDeal, step: str, kind: str, upload) -> DealDocument:
    content_type, stored_name = documents.check_upload(upload)
    document = DealDocument(
        deal=deal, step=step, kind=kind, original_name=(upload.name or "")[:200], content_type=content_type,
        size=upload.size, uploaded_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    document.full_clean(exclude=["file"])
    document.file.save(stored_name, upload, save=False)
    document.save()
    _log(actor, "exports.document.attached", deal, {"document": [None, f"{kind}: {document.original_name}"]})
    return document


# --- domestic sales --------------------------------------------------------------------------------

DOMESTIC_FIELDS = ("product", "buyer_name", "province", "city", "sold_on", "quantity", "amount",
                   "invoice_number", "verified", "note")  # fmt: skip


@transaction.atomic
def record_domestic_sale(*, actor, sme: Sme, data: dict) -> DomesticSale:
    sale = DomesticSale(
        sme=sme, regency_id=sme.regency_id, recorded_by=actor if getattr(actor, "pk", None) else None
    )
    for name in DOMESTIC_FIELDS:
        if name in data:
            setattr(sale, name, data[name])
    if sale.product_id and sale.product.sme_id != sme.pk:
        _refuse(_("The product must be of the same SME."))
    _not_in_future(sale.sold_on, _("sale date"))
    sale.full_clean()
    sale.save()
    log_action(
        actor=actor,
        verb="exports.domestic_sale.recorded",
        obj=sale,
        action=AuditEntry.Action.CREATE,
        changes={
            k: [None, v] for k, v in snapshot(sale, DOMESTIC_FIELDS).items() if v not in (None, "", False)
        },
    )
    return sale


@transaction.atomic
def verify_domestic_sale(*, actor, sale: DomesticSale) -> DomesticSale:
    if not sale.verified:
        sale.verified = True
        sale.save(update_fields=["verified"])
        log_action(
            actor=actor, verb="exports.domestic_sale.verified", obj=sale, changes={"verified": [False, True]}
        )
    return sale

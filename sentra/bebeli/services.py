"""Every change to a Bebeli purchase: checked against `states`, dated, audited, told to the other side.

Each service locks the purchase row, checks the move in the state table for the side the user is on,
writes the change and its audit entry in one transaction, recomputes the flags, and — once the
transaction has committed — emails the other side (the SME's accounts, or the buyer's users). A
purchase from an SME that is not verified, or no longer active, is refused. Amounts are positive
whole Rupiah. After the SME has confirmed a payment only an officer may change the purchase, with a
reason, and both versions stay in its revisions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.models import Role
from sentra.catalog.models import Product
from sentra.core.audit import diff, log_action, snapshot
from sentra.core.models import AuditEntry
from sentra.exports.documents import check_upload
from sentra.registry.models import Sme

from . import flags, states, summaries
from .models import BuyerOrganisation, Delivery, Purchase, PurchaseLine

S = Purchase.Status


def side_of(user, purchase: Purchase) -> str | None:
    """Which side of a purchase a user is on: its buyer's users, or its SME's accounts."""
    if not (user.is_authenticated and user.is_active):
        return None
    if user.role == Role.BUYER and purchase.organisation.members.filter(pk=user.pk).exists():
        return states.BUYER
    if user.role == Role.SME_OWNER and purchase.sme.accounts.filter(pk=user.pk).exists():
        return states.SME
    return None


def check_sme_can_sell(sme: Sme) -> None:
    if sme.merged_into_id is not None or sme.status != Sme.Status.VERIFIED:
        raise ValidationError(
            _("%(sme)s is not a verified, active SME: Bebeli purchases from it are refused."),
            code="sme",
            params={"sme": sme.name},
        )


def check_member(user, organisation: BuyerOrganisation) -> None:
    if user.role != Role.BUYER or not organisation.members.filter(pk=user.pk).exists():
        raise ValidationError(_("You may only buy for an organisation you belong to."), code="member")
    if not organisation.is_active:
        raise ValidationError(
            _("%(name)s is deactivated: it can no longer buy."),
            code="inactive",
            params={"name": organisation.name},
        )


def _amount(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(_("Amounts are positive whole Rupiah."), code="amount")
    return value


def _quantity(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(_("Quantities are positive whole numbers."), code="quantity")
    return value


def _locked(purchase: Purchase) -> Purchase:
    return Purchase.objects.select_for_update().select_related("organisation", "sme").get(pk=purchase.pk)


def refresh_flags(purchase: Purchase) -> None:
    """Recompute a purchase's flags (and those of others sharing its invoice number)."""
    same_invoice = []
    if purchase.invoice_number:
        same_invoice = list(
            Purchase.objects.filter(sme_id=purchase.sme_id, invoice_number=purchase.invoice_number)
            .exclude(pk=purchase.pk)
            .exclude(status__in=[S.CANCELLED, S.DECLINED, S.DISPUTED])
        )
    purchase.flags = flags.compute(purchase, list(purchase.lines.all()), duplicate_invoice=bool(same_invoice))
    Purchase.objects.filter(pk=purchase.pk).update(flags=purchase.flags)
    for other in same_invoice:
        if "duplicate_invoice" not in other.flags:
            Purchase.objects.filter(pk=other.pk).update(flags=[*other.flags, "duplicate_invoice"])


# --- telling the other side -------------------------------------------------------------------------


def _emails(purchase: Purchase, side: str) -> list[str]:
    if side == states.BUYER:
        return [u.email for u in purchase.organisation.members.all() if u.email]
    emails = [u.email for u in purchase.sme.accounts.all() if u.email]
    return emails or ([purchase.sme.email] if purchase.sme.email else [])


def _notify(purchase: Purchase, *, to: str, what: str) -> None:
    """Email the other side once the change is committed (a rolled-back change tells nobody)."""
    recipients = _emails(purchase, to)
    if not recipients:
        return
    link = settings.SENTRA_BASE_URL.rstrip("/") + reverse("bebeli:purchase_detail", args=[purchase.public_id])
    subject = _("Bebeli: %(what)s — %(purchase)s") % {"what": what, "purchase": purchase}
    body = _("%(what)s\n\nBuyer: %(buyer)s\nSME: %(sme)s\nTotal: Rp %(total)s\n\n%(link)s") % {
        "what": what,
        "buyer": purchase.organisation.name,
        "sme": purchase.sme.name,
        "total": f"{purchase.total:,}".replace(",", "."),
        "link": link,
    }
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients, fail_silently=True))


def _step(purchase: Purchase, *, actor, verb: str, before: dict, note: str = "", tell: str | None, what: str):
    purchase.save()
    log_action(actor=actor, verb=verb, obj=purchase, changes=diff(before, snapshot(purchase)), note=note)
    refresh_flags(purchase)
    if tell:
        _notify(purchase, to=tell, what=what)
    return purchase


# --- ordering ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CartLine:
    product: Product
    quantity: int


def place_order(
    *,
    user,
    organisation: BuyerOrganisation,
    sme: Sme,
    lines: list[CartLine],
    po_number: str,
    delivery_address: str,
    delivery_due: dt.date | None,
) -> Purchase:
    """A buyer's order from one SME's published products, at the catalogue's prices of today."""
    check_member(user, organisation)
    check_sme_can_sell(sme)
    if not lines:
        raise ValidationError(_("The cart is empty."), code="empty")
    if not po_number.strip():
        raise ValidationError(_("Give the purchase order (PO) number."), code="po")
    published = set(Product.objects.public().filter(sme=sme).values_list("pk", flat=True))
    for line in lines:
        _quantity(line.quantity)
        if line.product.pk not in published:
            raise ValidationError(
                _("%(product)s is not in this SME's public catalogue."), params={"product": line.product.name}
            )
    with transaction.atomic():
        purchase = Purchase.objects.create(
            regency_id=organisation.regency_id,
            organisation=organisation,
            sme=sme,
            source=Purchase.Source.ORDER,
            status=S.ORDERED,
            po_number=po_number.strip(),
            delivery_address=delivery_address.strip(),
            delivery_due=delivery_due,
            ordered_on=timezone.localdate(),
            created_by=user,
        )
        PurchaseLine.objects.bulk_create(
            PurchaseLine(
                purchase=purchase,
                product=line.product,
                description=line.product.name,
                quantity=line.quantity,
                unit_price=line.product.price,
                catalogue_price=line.product.price,
            )
            for line in lines
        )
        purchase.total = sum(line.quantity * line.product.price for line in lines)
        purchase.save(update_fields=["total"])
        log_action(actor=user, verb="bebeli.order.placed", obj=purchase, action=AuditEntry.Action.CREATE)
        refresh_flags(purchase)
        _notify(purchase, to=states.SME, what=_("New order"))
    return purchase


def accept_order(*, purchase: Purchase, user) -> Purchase:
    with transaction.atomic():
        purchase = _locked(purchase)
        states.check(purchase, S.ACCEPTED, side_of(user, purchase))
        before = snapshot(purchase)
        purchase.status, purchase.accepted_at = S.ACCEPTED, timezone.now()
        return _step(purchase, actor=user, verb="bebeli.order.accepted", before=before, tell=states.BUYER,
                     what=_("The SME accepted the order"))  # fmt: skip


def _reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError(_("Give a reason."), code="reason")
    return reason.strip()


def decline_order(*, purchase: Purchase, user, reason: str) -> Purchase:
    reason = _reason(reason)
    with transaction.atomic():
        purchase = _locked(purchase)
        states.check(purchase, S.DECLINED, side_of(user, purchase))
        before = snapshot(purchase)
        purchase.status, purchase.declined_at, purchase.decline_reason = S.DECLINED, timezone.now(), reason
        return _step(purchase, actor=user, verb="bebeli.order.declined", before=before, note=reason,
                     tell=states.BUYER, what=_("The SME declined the order"))  # fmt: skip


def cancel_purchase(*, purchase: Purchase, user, reason: str) -> Purchase:
    reason = _reason(reason)
    with transaction.atomic():
        purchase = _locked(purchase)
        side = side_of(user, purchase)
        states.check(purchase, S.CANCELLED, side)
        before = snapshot(purchase)
        purchase.status, purchase.cancelled_at, purchase.cancel_reason = S.CANCELLED, timezone.now(), reason
        other = states.SME if side == states.BUYER else states.BUYER
        return _step(purchase, actor=user, verb="bebeli.order.cancelled", before=before, note=reason,
                     tell=other, what=_("The order was cancelled"))  # fmt: skip


def record_delivery(
    *,
    purchase: Purchase,
    user,
    quantities: dict[int, int],
    on: dt.date,
    note: str = "",
    photo: UploadedFile | None = None,
) -> Purchase:
    """The SME delivers some or all of what is still owed; `quantities` maps line ids to units delivered now."""
    if photo is not None:
        check_upload(photo)
    if on > timezone.localdate():
        raise ValidationError(_("A delivery cannot be dated in the future."), code="future")
    with transaction.atomic():
        purchase = _locked(purchase)
        side = side_of(user, purchase)
        lines = {line.pk: line for line in purchase.lines.select_for_update()}
        delivered_any = False
        for line_id, quantity in quantities.items():
            if quantity == 0:
                continue
            line = lines.get(line_id)
            if line is None:
                raise ValidationError(_("That item is not part of this order."), code="line")
            _quantity(quantity)
            if line.delivered_quantity + quantity > line.quantity:
                raise ValidationError(
                    _("More of “%(item)s” than was ordered."),
                    code="too_many",
                    params={"item": line.description},
                )
            line.delivered_quantity += quantity
            delivered_any = True
        if not delivered_any:
            raise ValidationError(_("Say how much was delivered."), code="nothing")
        complete = all(line.delivered_quantity == line.quantity for line in lines.values())
        target = S.DELIVERED if complete else S.PARTLY_DELIVERED
        states.check(purchase, target, side)
        PurchaseLine.objects.bulk_update(lines.values(), ["delivered_quantity"])
        delivery = Delivery(
            purchase=purchase, delivered_on=on, note=note.strip(), complete=complete, recorded_by=user
        )
        if photo is not None:
            delivery.photo.save(check_upload(photo)[1], photo, save=False)
        delivery.save()
        before = snapshot(purchase)
        purchase.status, purchase.delivered_on = target, on
        what = _("Everything was delivered") if complete else _("Part of the order was delivered")
        return _step(purchase, actor=user, verb="bebeli.order.delivered", before=before, note=note,
                     tell=states.BUYER, what=what)  # fmt: skip


def _not_before(on: dt.date, earlier: dt.date | None, message: str) -> None:
    if on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
    if earlier and on < earlier:
        raise ValidationError(message, code="order")


def confirm_receipt(*, purchase: Purchase, user, on: dt.date) -> Purchase:
    with transaction.atomic():
        purchase = _locked(purchase)
        states.check(purchase, S.RECEIVED, side_of(user, purchase))
        _not_before(on, purchase.delivered_on, _("Receipt cannot be before the delivery."))
        before = snapshot(purchase)
        purchase.status, purchase.received_on = S.RECEIVED, on
        return _step(purchase, actor=user, verb="bebeli.order.received", before=before, tell=states.SME,
                     what=_("The buyer confirmed receipt"))  # fmt: skip


def record_payment(*, purchase: Purchase, user, on: dt.date, reference: str) -> Purchase:
    if not reference.strip():
        raise ValidationError(_("Give the payment reference (transfer or SP2D number)."), code="reference")
    with transaction.atomic():
        purchase = _locked(purchase)
        states.check(purchase, S.PAYMENT_RECORDED, side_of(user, purchase))
        _not_before(on, purchase.received_on, _("Payment cannot be before receipt."))
        before = snapshot(purchase)
        purchase.status, purchase.paid_on, purchase.payment_reference = (
            S.PAYMENT_RECORDED,
            on,
            reference.strip(),
        )
        return _step(purchase, actor=user, verb="bebeli.order.payment_recorded", before=before,
                     tell=states.SME, what=_("The buyer recorded the payment"))  # fmt: skip


def confirm_paid(*, purchase: Purchase, user) -> Purchase:
    with transaction.atomic():
        purchase = _locked(purchase)
        states.check(purchase, S.PAID, side_of(user, purchase))
        before = snapshot(purchase)
        purchase.status, purchase.payment_confirmed_at = S.PAID, timezone.now()
        return _step(purchase, actor=user, verb="bebeli.order.paid_confirmed", before=before,
                     tell=states.BUYER, what=_("The SME confirmed it was paid"))  # fmt: skip


# --- purchases made outside Sentra -------------------------------------------------------------------


@dataclass(frozen=True)
class ItemLine:
    description: str
    quantity: int
    unit_price: int
    product: Product | None = None


def record_outside_purchase(
    *,
    user,
    organisation: BuyerOrganisation,
    sme: Sme,
    bought_on: dt.date,
    invoice_number: str,
    items: list[ItemLine],
    paid_on: dt.date,
    payment_reference: str,
    evidence: UploadedFile,
) -> Purchase:
    """A purchase the buyer made outside Sentra, with its evidence; it counts once the SME confirms it."""
    check_member(user, organisation)
    check_sme_can_sell(sme)
    if evidence is None:
        raise ValidationError(_("Attach the invoice, receipt or a photo as evidence."), code="evidence")
    _content_type, stored_name = check_upload(evidence)
    if not invoice_number.strip():
        raise ValidationError(_("Give the invoice or receipt number."), code="invoice")
    if not items:
        raise ValidationError(_("List at least one item."), code="empty")
    for item in items:
        _quantity(item.quantity)
        _amount(item.unit_price)
        if not item.description.strip():
            raise ValidationError(_("Every item needs a description."), code="description")
    _not_before(paid_on, bought_on, _("Payment cannot be before the purchase."))
    with transaction.atomic():
        purchase = Purchase(
            regency_id=organisation.regency_id,
            organisation=organisation,
            sme=sme,
            source=Purchase.Source.OUTSIDE,
            status=S.RECORDED,
            invoice_number=invoice_number.strip(),
            ordered_on=bought_on,
            delivered_on=bought_on,
            received_on=bought_on,
            paid_on=paid_on,
            payment_reference=payment_reference.strip(),
            total=sum(item.quantity * item.unit_price for item in items),
            created_by=user,
        )
        purchase.evidence.save(stored_name, evidence, save=False)
        purchase.save()
        PurchaseLine.objects.bulk_create(
            PurchaseLine(
                purchase=purchase,
                product=item.product,
                description=item.description.strip(),
                quantity=item.quantity,
                unit_price=item.unit_price,
                catalogue_price=item.product.price if item.product else None,
            )
            for item in items
        )
        log_action(actor=user, verb="bebeli.outside.recorded", obj=purchase, action=AuditEntry.Action.CREATE)
        refresh_flags(purchase)
        _notify(purchase, to=states.SME, what=_("A buyer recorded a purchase from you: please confirm it"))
    return purchase


def dispute_purchase(*, purchase: Purchase, user, reason: str) -> Purchase:
    reason = _reason(reason)
    with transaction.atomic():
        purchase = _locked(purchase)
        states.check(purchase, S.DISPUTED, side_of(user, purchase))
        before = snapshot(purchase)
        purchase.status, purchase.dispute_reason = S.DISPUTED, reason
        return _step(purchase, actor=user, verb="bebeli.outside.disputed", before=before, note=reason,
                     tell=states.BUYER, what=_("The SME does not recognise the purchase"))  # fmt: skip


# --- the officer's part -----------------------------------------------------------------------------


def _check_officer(user) -> None:
    if not (user.is_authenticated and user.role in (Role.ADMIN, Role.OFFICER)):
        raise ValidationError(_("Only Dinas officers may do this."), code="officer")


def verify_purchase(*, purchase: Purchase, officer) -> Purchase:
    _check_officer(officer)
    with transaction.atomic():
        purchase = _locked(purchase)
        if purchase.status != S.PAID:
            raise ValidationError(
                _("Only purchases the SME confirmed as paid can be verified."), code="not_paid"
            )
        if purchase.verified_at is not None:
            raise ValidationError(_("This purchase is already verified."), code="verified")
        before = snapshot(purchase)
        purchase.verified_at, purchase.verified_by = timezone.now(), officer
        _step(purchase, actor=officer, verb="bebeli.purchase.verified", before=before, tell=None, what="")
        summaries.count_in(purchase)
        return purchase


CORRECTABLE = ("invoice_number", "paid_on", "received_on", "payment_reference", "total")


def correct_purchase(*, purchase: Purchase, officer, reason: str, changes: dict) -> Purchase:
    """An officer's change to a purchase the SME confirmed: both versions kept, with the reason."""
    from .models import PurchaseRevision

    _check_officer(officer)
    reason = _reason(reason)
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be corrected: %(fields)s"), params={"fields": ", ".join(unknown)}
        )
    if "total" in changes:
        _amount(changes["total"])
    with transaction.atomic():
        purchase = _locked(purchase)
        if purchase.status != S.PAID:
            raise ValidationError(
                _("Before the SME confirms, the buyer and the SME change the purchase themselves.")
            )
        full_before = snapshot(purchase)
        before = snapshot(purchase, CORRECTABLE)
        if purchase.verified_at is not None:
            summaries.count_out(purchase)  # as it was counted; counted again below as corrected
        for name, value in changes.items():
            setattr(purchase, name, value)
        after = snapshot(purchase, CORRECTABLE)
        if before == after:
            raise ValidationError(_("Nothing changed."), code="unchanged")
        PurchaseRevision.objects.create(
            purchase=purchase, before=before, after=after, reason=reason, officer=officer
        )
        _step(purchase, actor=officer, verb="bebeli.purchase.corrected", before=full_before, note=reason,
              tell=None, what="")  # fmt: skip
        if purchase.verified_at is not None:
            summaries.count_in(purchase)
        return purchase

"""Changes to products, storefronts, inquiries and promotion events.

Each a plain function in one transaction, with its audit entry. Curation follows the registry's
change-request pattern: a new product waits for an officer before it is public, and an owner's edit
of a published product's text or price waits in `pending_changes` while the product stays public
with its curated values.
"""

import datetime as dt
import hashlib
import hmac
import io
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from sentra.core.audit import diff, log_action, snapshot
from sentra.core.models import AuditEntry
from sentra.registry.models import Sme

from . import search
from .models import (
    Category,
    EventParticipant,
    EventSale,
    Inquiry,
    InquiryReply,
    Product,
    ProductPhoto,
    ProductSlug,
    PromotionEvent,
    Storefront,
    StorefrontSlug,
)

# What an owner may change on a published product only through curation: what buyers read and pay.
CURATED_FIELDS = ("name_id", "name_en", "description_id", "description_en", "price")
EDITABLE_FIELDS = (
    *CURATED_FIELDS,
    "category",
    "unit",
    "min_order",
    "stock_status",
    "export_ready",
    "barcode",
)
_NOT_AUDITED = {"search_text", "public_id", "created_at", "updated_at", "regency", "pending_changes"}


class CatalogError(ValidationError):
    """A change the record's state does not allow; the message says why, for the person who tried."""


def _audited(obj) -> dict[str, Any]:
    return {k: v for k, v in snapshot(obj).items() if k not in _NOT_AUDITED}


def code_for(pk: int) -> str:
    return f"P{pk:06d}"


def unique_slug(*, sme: Sme, name: str, exclude_pk: int | None = None) -> str:
    """A readable slug, unique within the SME: "keripik-tempe", then "keripik-tempe-2".

    Slugs other products of the SME had before a rename stay taken, so an old link never lands on
    a different product.
    """
    base = slugify(name)[:100] or "produk"
    current = Product.objects.filter(sme=sme, slug__startswith=base).exclude(pk=exclude_pk)
    old = ProductSlug.objects.filter(product__sme=sme, slug__startswith=base).exclude(product_id=exclude_pk)
    taken = set(current.values_list("slug", flat=True)) | set(old.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _index(product: Product) -> None:
    product.search_text = search.search_text_for(product)


@transaction.atomic
def create_product(
    *,
    actor,
    sme: Sme,
    name_id: str,
    category: Category,
    price: int,
    **fields,
) -> Product:
    """A new product of `sme`, as a draft unless `status` says otherwise (demo data, tests)."""
    product = Product(
        sme=sme, regency_id=sme.regency_id, name_id=name_id, category=category, price=price, **fields
    )
    product.slug = product.slug or unique_slug(sme=sme, name=name_id)
    product.full_clean(exclude=["code", "search_text"])
    _index(product)
    product.save()
    product.code = code_for(product.pk)
    Product.objects.filter(pk=product.pk).update(code=product.code)
    search.adjust_vocabulary(removed=search.Counter(), added=search.product_vocabulary(product))
    log_action(
        actor=actor,
        verb="catalog.product.created",
        obj=product,
        action=AuditEntry.Action.CREATE,
        changes={k: [None, v] for k, v in _audited(product).items() if v not in (None, "", False)},
    )
    return product


def _lock(product: Product) -> Product:
    return (
        Product.objects.select_for_update(of=("self",))
        .select_related("sme", "sme__kecamatan", "category")
        .get(pk=product.pk)
    )


def _rename(product: Product, old_slug: str) -> None:
    """A new name gives a new slug; the old one is kept so that shared links still arrive."""
    slug = unique_slug(sme=product.sme, name=product.name_id, exclude_pk=product.pk)
    if slug != old_slug:
        ProductSlug.objects.get_or_create(product=product, slug=old_slug)
        ProductSlug.objects.filter(product=product, slug=slug).delete()
        product.slug = slug


def _plain_value(field: str, value):
    return value.pk if field == "category" and value is not None else value


def _apply(product: Product, data: dict[str, Any]) -> None:
    old_name = product.name_id
    for field, value in data.items():
        if field == "category" and not isinstance(value, Category):
            value = Category.objects.get(pk=value)
        setattr(product, field, value)
    if product.name_id != old_name:
        _rename(product, product.slug)


@transaction.atomic
def update_product(*, product: Product, actor, data: dict[str, Any]) -> Product:
    """Apply an edit. An owner's change to a published product's text or price waits for curation."""
    locked = _lock(product)
    if locked.status == Product.Status.WITHDRAWN and not getattr(actor, "is_dinas", False):
        raise CatalogError(_("This product was withdrawn. Ask the Dinas to publish it again."))
    before, vocabulary_before = _audited(locked), search.product_vocabulary(locked)
    data = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    waiting = {}
    if locked.status == Product.Status.APPROVED and not getattr(actor, "is_dinas", False):
        waiting = {
            k: v for k, v in data.items() if k in CURATED_FIELDS and _plain_value(k, v) != getattr(locked, k)
        }
        data = {k: v for k, v in data.items() if k not in waiting}
    _apply(locked, data)
    if waiting:
        locked.pending_changes = {**locked.pending_changes, **waiting}
        locked.has_pending_changes = True
        locked.submitted_at = timezone.now()
    locked.full_clean(exclude=["code", "search_text"])
    _index(locked)
    changes = diff(before, _audited(locked))
    if not changes and not waiting:
        return locked
    locked.save()
    search.adjust_vocabulary(removed=vocabulary_before, added=search.product_vocabulary(locked))
    log_action(
        actor=actor,
        verb="catalog.product.updated",
        obj=locked,
        changes=changes,
        note=_("Waiting for curation: %(fields)s") % {"fields": ", ".join(waiting)} if waiting else "",
    )
    return locked


@transaction.atomic
def submit_product(*, product: Product, actor) -> Product:
    """Send a draft (or a product returned with a note) to the officers for curation."""
    locked = _lock(product)
    if locked.status not in (Product.Status.DRAFT, Product.Status.RETURNED):
        raise CatalogError(_("Only a draft or a returned product can be sent for curation."))
    before = _audited(locked)
    locked.status = Product.Status.PENDING
    locked.submitted_at = timezone.now()
    locked.save()
    log_action(
        actor=actor, verb="catalog.product.submitted", obj=locked, changes=diff(before, _audited(locked))
    )
    return locked


def _check_curatable(product: Product) -> None:
    sme = Sme.objects.get(pk=product.sme_id)
    if sme.status != Sme.Status.VERIFIED or sme.merged_into_id:
        raise CatalogError(
            _("%(sme)s is not a verified business in the registry: its products cannot be published yet.")
            % {"sme": sme.name}
        )


@transaction.atomic
def approve_product(*, product: Product, officer, note: str = "") -> Product:
    """Publish a product waiting for curation, or apply the owner's edit of a published one."""
    locked = _lock(product)
    if not locked.is_waiting_for_curation:
        raise CatalogError(_("This product is not waiting for curation."))
    _check_curatable(locked)
    before, vocabulary_before = _audited(locked), search.product_vocabulary(locked)
    if locked.has_pending_changes:
        _apply(locked, locked.pending_changes)
        locked.pending_changes, locked.has_pending_changes = {}, False
    locked.status = Product.Status.APPROVED
    locked.curation_note = note.strip()
    locked.curated_by, locked.curated_at = officer, timezone.now()
    locked.full_clean(exclude=["code", "search_text"])
    _index(locked)
    locked.save()
    search.adjust_vocabulary(removed=vocabulary_before, added=search.product_vocabulary(locked))
    log_action(
        actor=officer,
        verb="catalog.product.approved",
        obj=locked,
        changes=diff(before, _audited(locked)),
        note=note,
    )
    return locked


@transaction.atomic
def return_product(*, product: Product, officer, note: str) -> Product:
    """Send a product back to its owner with a note; a published one keeps its curated values."""
    note = (note or "").strip()
    if not note:
        raise CatalogError(_("Tell the owner what to change."))
    locked = _lock(product)
    if not locked.is_waiting_for_curation:
        raise CatalogError(_("This product is not waiting for curation."))
    before = _audited(locked)
    if locked.has_pending_changes:
        locked.pending_changes, locked.has_pending_changes = {}, False
    else:
        locked.status = Product.Status.RETURNED
    locked.curation_note = note
    locked.curated_by, locked.curated_at = officer, timezone.now()
    locked.save()
    log_action(
        actor=officer,
        verb="catalog.product.returned",
        obj=locked,
        changes=diff(before, _audited(locked)),
        note=note,
    )
    return locked


@transaction.atomic
def withdraw_product(*, product: Product, actor, reason: str = "") -> Product:
    """Take a product out of the catalogue (sold out for good, no longer made)."""
    locked = _lock(product)
    if locked.status == Product.Status.WITHDRAWN:
        raise CatalogError(_("This product is already withdrawn."))
    before, vocabulary_before = _audited(locked), search.product_vocabulary(locked)
    locked.status = Product.Status.WITHDRAWN
    locked.pending_changes, locked.has_pending_changes = {}, False
    locked.save()
    search.adjust_vocabulary(removed=vocabulary_before, added=search.Counter())
    log_action(
        actor=actor,
        verb="catalog.product.withdrawn",
        obj=locked,
        changes=diff(before, _audited(locked)),
        note=reason,
    )
    return locked


# --- photos ------------------------------------------------------------------------------------

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
MAX_PHOTOS = 6
PHOTO_SIZE = 1600  # longest side as stored
THUMBNAIL_SIZE = 480
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


def _encoded(image: Image.Image, longest: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((longest, longest))
    out = io.BytesIO()
    # Re-encoded from pixels only: no EXIF (camera, time, GPS location), no ICC, no comments.
    copy.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def read_photo(upload) -> Image.Image:
    """The uploaded file as an upright RGB image, or CatalogError saying why it is refused."""
    if upload.size > MAX_PHOTO_BYTES:
        raise CatalogError(
            _("The photo is larger than %(mb)s MB. Send a smaller one.")
            % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)}
        )
    try:
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in ACCEPTED_FORMATS:
            raise CatalogError(_("Send the photo as JPEG, PNG or WebP."))
        if image.width * image.height > MAX_PHOTO_PIXELS:
            raise CatalogError(_("The photo has too many pixels. Send a smaller one."))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise CatalogError(_("This file is not a photo Sentra can read (JPEG, PNG or WebP).")) from None
    image = ImageOps.exif_transpose(image)
    if image.mode != "RGB":
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    return image


@transaction.atomic
def add_photo(*, product: Product, actor, upload) -> ProductPhoto:
    locked = _lock(product)
    count = locked.photos.count()
    if count >= MAX_PHOTOS:
        raise CatalogError(_("A product has at most %(count)s photos.") % {"count": MAX_PHOTOS})
    image = read_photo(upload)
    photo = ProductPhoto(product=locked, position=count)
    name = f"{timezone.now():%Y%m%d%H%M%S}-{count + 1}"
    stored = _encoded(image, PHOTO_SIZE)
    with Image.open(io.BytesIO(stored)) as check:
        photo.width, photo.height = check.size
    photo.image.save(f"{name}.jpg", ContentFile(stored), save=False)
    photo.thumbnail.save(f"{name}-thumb.jpg", ContentFile(_encoded(image, THUMBNAIL_SIZE)), save=False)
    photo.save()
    log_action(
        actor=actor,
        verb="catalog.product.photo_added",
        obj=locked,
        changes={"photos": [count, count + 1]},
        note=photo.image.name,
    )
    return photo


@transaction.atomic
def remove_photo(*, photo: ProductPhoto, actor) -> None:
    product = photo.product
    count = product.photos.count()
    name = photo.image.name
    photo.image.delete(save=False)
    photo.thumbnail.delete(save=False)
    photo.delete()
    log_action(
        actor=actor,
        verb="catalog.product.photo_removed",
        obj=product,
        changes={"photos": [count, count - 1]},
        note=name,
    )


# --- storefronts -------------------------------------------------------------------------------


def _unique_storefront_slug(name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:70] or "umkm"
    taken = set(
        Storefront.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    )
    taken |= set(
        StorefrontSlug.objects.filter(slug__startswith=base)
        .exclude(storefront_id=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def ensure_storefront(sme: Sme) -> Storefront:
    """The SME's storefront, made with a slug from its name the first time it is needed."""
    storefront = Storefront.objects.filter(sme=sme).first()
    if storefront is None:
        storefront = Storefront.objects.create(sme=sme, slug=_unique_storefront_slug(sme.brand or sme.name))
    return storefront


STOREFRONT_FIELDS = ("slug", "tagline_id", "tagline_en", "about_id", "about_en", "publish_whatsapp")


@transaction.atomic
def update_storefront(*, storefront: Storefront, actor, data: dict[str, Any]) -> Storefront:
    """Edit the storefront; a new address keeps the old one as a redirect."""
    locked = Storefront.objects.select_for_update().get(pk=storefront.pk)
    before = _audited(locked)
    old_slug = locked.slug
    for field in STOREFRONT_FIELDS:
        if field in data:
            setattr(locked, field, data[field])
    if locked.slug != old_slug:
        locked.slug = slugify(locked.slug)[:80]
        clash = Storefront.objects.filter(slug=locked.slug).exclude(pk=locked.pk).exists() or (
            StorefrontSlug.objects.filter(slug=locked.slug).exclude(storefront=locked).exists()
        )
        if clash or not locked.slug:
            raise CatalogError(_("That address is taken. Choose another."))
        StorefrontSlug.objects.filter(slug=locked.slug).delete()
        StorefrontSlug.objects.get_or_create(storefront=locked, slug=old_slug)
    changes = diff(before, _audited(locked))
    if changes:
        locked.save()
        log_action(actor=actor, verb="catalog.storefront.updated", obj=locked, changes=changes)
    return locked


# --- inquiries ---------------------------------------------------------------------------------

INQUIRIES_PER_HOUR = 5


def sender_key(address: str) -> str:
    """A keyed hash of the sender's network address: enough to rate-limit, useless to identify."""
    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def send_inquiry(
    *, sme: Sme, product: Product | None, data: dict[str, Any], sender: str, language: str
) -> Inquiry:
    """A buyer's inquiry from the public site, into the SME's inbox."""
    if not (data.get("email") or data.get("phone")):
        raise CatalogError(_("Give an email address or a phone number, so that the business can answer you."))
    key = sender_key(sender)
    since = timezone.now() - dt.timedelta(hours=1)
    if Inquiry.objects.filter(sender_key=key, created_at__gte=since).count() >= INQUIRIES_PER_HOUR:
        raise CatalogError(_("You have sent many inquiries in the last hour. Please try again later."))
    inquiry = Inquiry(sme=sme, product=product, sender_key=key, language=language, **data)
    inquiry.full_clean()
    inquiry.save()
    log_action(
        actor=None,
        verb="catalog.inquiry.received",
        obj=inquiry,
        action=AuditEntry.Action.CREATE,
        changes={"product": [None, str(product) if product else ""], "quantity": [None, inquiry.quantity]},
    )
    return inquiry


@transaction.atomic
def reply_inquiry(*, inquiry: Inquiry, actor, body: str, notify: bool = True) -> InquiryReply:
    """The SME's answer: kept with the inquiry and, when the buyer gave an email, sent to it."""
    body = (body or "").strip()
    if not body:
        raise CatalogError(_("Write your reply first."))
    locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if locked.status == Inquiry.Status.CLOSED:
        raise CatalogError(_("This inquiry is closed."))
    reply = InquiryReply.objects.create(inquiry=locked, author=actor, body=body)
    if locked.email and notify:
        subject = _("Reply from %(sme)s") % {"sme": locked.sme.name}
        sent = send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [locked.email], fail_silently=True)
        if sent:
            InquiryReply.objects.filter(pk=reply.pk).update(emailed=True)
            reply.emailed = True
    old = locked.status
    locked.status = Inquiry.Status.ANSWERED
    locked.save(update_fields=["status"])
    log_action(
        actor=actor, verb="catalog.inquiry.replied", obj=locked, changes={"status": [old, locked.status]}
    )
    return reply


@transaction.atomic
def close_inquiry(*, inquiry: Inquiry, actor) -> Inquiry:
    locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if locked.status == Inquiry.Status.CLOSED:
        return locked
    old = locked.status
    locked.status, locked.closed_at = Inquiry.Status.CLOSED, timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    log_action(
        actor=actor, verb="catalog.inquiry.closed", obj=locked, changes={"status": [old, locked.status]}
    )
    return locked


# --- promotion events --------------------------------------------------------------------------


@transaction.atomic
def create_event(*, actor, data: dict[str, Any]) -> PromotionEvent:
    event = PromotionEvent(**data)
    if not event.slug:
        base = slugify(f"{event.name_id} {event.starts_on:%Y}")[:110] or "event"
        slug, n = base, 2
        while PromotionEvent.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        event.slug = slug
    event.full_clean()
    event.save()
    log_action(
        actor=actor,
        verb="catalog.event.created",
        obj=event,
        action=AuditEntry.Action.CREATE,
        changes=diff({}, _audited(event)),
    )
    return event


# What participants are told about when an officer changes it: when and where they must be.
_ANNOUNCED_FIELDS = ("starts_on", "ends_on", "venue", "city", "country")
EVENT_FIELDS = (
    "name_id", "name_en", "kind", "reach", "starts_on", "ends_on", "venue", "city", "country",
    "organiser", "partner", "description_id", "description_en", "is_public",
)  # fmt: skip


def _lock_event(event: PromotionEvent) -> PromotionEvent:
    return PromotionEvent.objects.select_for_update().get(pk=event.pk)


def _check_not_cancelled(event: PromotionEvent) -> None:
    if event.is_cancelled:
        raise CatalogError(_("This event was cancelled; it cannot be changed any more."))


@transaction.atomic
def update_event(*, event: PromotionEvent, actor, data: dict[str, Any]) -> PromotionEvent:
    """Change an event's details; the SMEs taking part are emailed when its dates or place change."""
    locked = _lock_event(event)
    _check_not_cancelled(locked)
    before = _audited(locked)
    for name in EVENT_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    locked.full_clean()
    changes = diff(before, _audited(locked))
    if not changes:
        return locked
    locked.save()
    log_action(actor=actor, verb="catalog.event.updated", obj=locked, changes=changes)
    if any(name in changes for name in _ANNOUNCED_FIELDS):
        _tell_participants(locked, what="changed")
    return locked


@transaction.atomic
def cancel_event(*, event: PromotionEvent, actor, reason: str) -> PromotionEvent:
    """Cancel an event, with the reason: participants are told, the public pages mark it cancelled.

    The event and its participants stay as records; sales already reported stay counted.
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise CatalogError(_("Give the reason for cancelling the event."))
    locked = _lock_event(event)
    _check_not_cancelled(locked)
    if locked.ends_on < timezone.localdate():
        raise CatalogError(_("An event that has already ended cannot be cancelled."))
    before = _audited(locked)
    locked.cancelled_at = timezone.now()
    locked.cancel_reason = reason
    locked.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
    log_action(
        actor=actor, verb="catalog.event.cancelled", obj=locked, changes=diff(before, _audited(locked)),
        note=reason[:500],
    )  # fmt: skip
    _tell_participants(locked, what="cancelled")
    return locked


def taking_part(event: PromotionEvent):
    """The participants still concerned by the event: all but those who declined."""
    return event.participants.exclude(status=EventParticipant.Status.DECLINED)


def _participant_emails(event: PromotionEvent) -> list[str]:
    """The owners' addresses of the SMEs taking part (the SME's own address if it has no account)."""
    from sentra.accounts.models import User

    concerned = taking_part(event)
    owners = (
        User.objects.filter(smes__event_participations__in=concerned, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    unowned = (
        Sme.objects.filter(event_participations__in=concerned, accounts__isnull=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(set(owners) | set(unowned))


def _tell_participants(event: PromotionEvent, *, what: str) -> None:
    """Email the SMEs taking part that the event was changed or cancelled, once that is committed.

    Their Sentra home page lists a cancellation among their reminders too (catalog/reminders.py).
    """
    emails = _participant_emails(event)
    if not emails:
        return
    with translation.override(settings.LANGUAGE_CODE):
        facts = {
            "event": event.name_id,
            "start": formats.date_format(event.starts_on, "DATE_FORMAT"),
            "end": formats.date_format(event.ends_on, "DATE_FORMAT"),
            "venue": event.venue,
            "city": event.city,
            "reason": event.cancel_reason,
        }
        if what == "cancelled":
            subject = _("Event cancelled: %(event)s") % facts
            body = _("The Dinas cancelled %(event)s (%(start)s – %(end)s).\n\nReason: %(reason)s") % facts
        else:
            subject = _("Event changed: %(event)s") % facts
            body = (
                _(
                    "The Dinas changed the details of %(event)s.\n\nWhen: %(start)s – %(end)s\nWhere: %(venue)s, %(city)s"
                )
                % facts
            )
    message = f"{body}\n\n{settings.SENTRA_BASE_URL.rstrip('/')}/"

    def send():
        # One message per address: participants do not see each other's addresses.
        for email in emails:
            send_mail(subject, message, None, [email], fail_silently=True)

    transaction.on_commit(send)


@transaction.atomic
def invite_smes(*, event: PromotionEvent, smes, actor) -> int:
    """Invite SMEs to an event; those already taking part are left as they are."""
    _check_not_cancelled(event)
    present = set(event.participants.values_list("sme_id", flat=True))
    new = [EventParticipant(event=event, sme=sme) for sme in smes if sme.pk not in present]
    EventParticipant.objects.bulk_create(new)
    if new:
        log_action(
            actor=actor, verb="catalog.event.invited", obj=event, changes={"participants": [len(present), len(present) + len(new)]},
            note=", ".join(p.sme.name for p in new)[:500],
        )  # fmt: skip
    return len(new)


# invited → confirmed → attended; declining is possible until the event is attended.
_NEXT_STATUS = {
    EventParticipant.Status.INVITED: {EventParticipant.Status.CONFIRMED, EventParticipant.Status.DECLINED},
    EventParticipant.Status.CONFIRMED: {EventParticipant.Status.ATTENDED, EventParticipant.Status.DECLINED},
    EventParticipant.Status.DECLINED: {EventParticipant.Status.CONFIRMED},
    EventParticipant.Status.ATTENDED: set(),
}


@transaction.atomic
def set_participation(*, participant: EventParticipant, status: str, actor) -> EventParticipant:
    locked = EventParticipant.objects.select_for_update().get(pk=participant.pk)
    _check_not_cancelled(locked.event)
    if status not in _NEXT_STATUS[locked.status]:
        raise CatalogError(
            _("A participant who is %(old)s cannot become %(new)s.")
            % {
                "old": locked.get_status_display().lower(),
                "new": EventParticipant.Status(status).label.lower(),
            }
        )
    old = locked.status
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    log_action(
        actor=actor, verb="catalog.event.participation", obj=locked.event, changes={"status": [old, status]},
        note=locked.sme.name,
    )  # fmt: skip
    return locked


@transaction.atomic
def record_event_sale(
    *, participant: EventParticipant, actor, amount: int, sold_on: dt.date | None = None, whole_event: bool = False,
    note: str = "", verified: bool = False,
) -> EventSale:  # fmt: skip
    """Sales an SME reports at an event: a day's (on a day of the event) or the whole event's."""
    event = participant.event
    if participant.status != EventParticipant.Status.ATTENDED:
        raise CatalogError(_("Record sales of an SME once it has attended the event."))
    if amount is None or amount < 0:
        raise CatalogError(_("Sales are a whole number of Rupiah, zero or more."))
    if whole_event:
        sold_on = event.ends_on
        if participant.sales.exists():
            raise CatalogError(
                _("Sales of this SME at this event are already recorded; correct those instead.")
            )
    elif participant.sales.filter(whole_event=True).exists():
        raise CatalogError(_("This SME's sales for the whole event are already recorded."))
    if sold_on is None or not (event.starts_on <= sold_on <= event.ends_on):
        raise CatalogError(
            _("The date must be a day of the event (%(start)s – %(end)s).")
            % {"start": event.starts_on.isoformat(), "end": event.ends_on.isoformat()}
        )
    sale = EventSale.objects.create(
        participant=participant, sold_on=sold_on, whole_event=whole_event, amount=amount, note=note,
        reported_by=actor if getattr(actor, "pk", None) else None, verified=verified,
    )  # fmt: skip
    log_action(
        actor=actor, verb="catalog.event.sale_recorded", obj=event, changes={"amount": [None, amount]},
        note=f"{participant.sme.name} {sold_on.isoformat()}",
    )  # fmt: skip
    return sale

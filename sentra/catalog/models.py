"""The products SMEs sell: one model that the catalogue, the outlets, Bebeli and exports all sell.

A product belongs to one SME of the registry. It is public (in the catalogue, orderable in Bebeli)
only once an officer has curated it and while its SME is verified and not merged; the outlets and
export deals refer to it whatever its curation, since an outlet may stock a product before it is
listed. Public visibility is a query condition (`ProductQuerySet.public`), never a copied flag: the
registry changes an SME's status in several ways (verification, rejection, deactivation, merges,
bulk imports), and a flag copied onto products would go stale on any path that forgot it.

Also here: the SME's storefront (its public slug and what it chooses to publish), old slugs that
redirect, product photos, buyers' inquiries, promotion events with their participants and sales,
and the vocabulary that "did you mean" suggests from.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from sentra.regions.models import RegencyOwned
from sentra.registry.models import Sme


def in_language(indonesian: str, english: str) -> str:
    """User content in the visitor's language: English when asked for and given, else Indonesian."""
    return english if english and get_language() == "en" else indonesian


class Category(models.Model):
    """A catalogue category ("Makanan ringan", "Batik dan kain"), named in both languages."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_id, self.name_en)


class ProductQuerySet(models.QuerySet):
    def public(self):
        """What visitors and buyers see: curated, of a verified SME still in the registry."""
        return self.filter(
            status=Product.Status.APPROVED,
            sme__status=Sme.Status.VERIFIED,
            sme__merged_into__isnull=True,
        )

    def for_user(self, user):
        """The products a signed-in user may manage: Dinas staff by their scope, owners their own SMEs'."""
        return self.filter(sme__in=Sme.objects.for_user(user))

    def waiting_for_curation(self):
        """New products sent for curation, and published ones whose owner's edit waits."""
        return self.filter(
            Q(status=Product.Status.PENDING) | Q(status=Product.Status.APPROVED, has_pending_changes=True)
        )


class Product(RegencyOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Waiting for curation")
        APPROVED = "approved", _("Published")
        RETURNED = "returned", _("Returned to the owner")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class StockStatus(models.TextChoices):
        AVAILABLE = "available", _("Available")
        PREORDER = "preorder", _("Made to order")
        OUT_OF_STOCK = "out_of_stock", _("Out of stock")

    class Unit(models.TextChoices):
        PIECE = "pcs", _("piece")
        PACK = "pack", _("pack")
        BOX = "box", _("box")
        BOTTLE = "bottle", _("bottle")
        KG = "kg", _("kg")
        GRAM = "g", _("gram")
        LITRE = "l", _("litre")
        METRE = "m", _("metre")
        SET = "set", _("set")
        PORTION = "portion", _("portion")

    UNIT_LABELS = dict(Unit.choices)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sme = models.ForeignKey(
        Sme, verbose_name=_("SME"), on_delete=models.PROTECT, related_name="catalog_products"
    )
    # Short code a cashier types or prints on a shelf label ("P000123"); given once the row has an id.
    code = models.CharField(_("product code"), max_length=20, unique=True, null=True, blank=True)
    barcode = models.CharField(_("barcode (EAN/UPC)"), max_length=32, blank=True)
    slug = models.SlugField(_("slug"), max_length=120)
    name_id = models.CharField(_("name (Indonesian)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="products"
    )
    price = models.BigIntegerField(_("price (Rp)"))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    min_order = models.PositiveIntegerField(_("minimum order"), default=1)
    stock_status = models.CharField(
        _("stock"), max_length=12, choices=StockStatus.choices, default=StockStatus.AVAILABLE
    )
    export_ready = models.BooleanField(_("export-ready"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    curation_note = models.TextField(_("curation note"), blank=True)
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    curated_at = models.DateTimeField(_("curated at"), null=True, blank=True)
    # An owner's edit of a published product's text or price waits here ({field: new value}) for an
    # officer, while the product stays public with its curated values (the registry's change requests).
    pending_changes = models.JSONField(_("changes waiting for curation"), default=dict, blank=True)
    has_pending_changes = models.BooleanField(default=False, editable=False)
    featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Shown on the public home page.")
    )
    submitted_at = models.DateTimeField(_("sent for curation"), null=True, blank=True)
    # Stemmed words of the names (Indonesian and English), descriptions and the SME, for search.
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="product_price_positive"),
            models.CheckConstraint(condition=Q(min_order__gte=1), name="product_min_order_positive"),
            # Product pages live at /<sme slug>/<product slug>/.
            models.UniqueConstraint(fields=["sme", "slug"], name="product_slug_per_sme"),
        ]
        indexes = [
            # The owner's and the officer's product list of one SME; the storefront.
            models.Index(fields=["sme", "status"], name="product_sme_status_idx"),
            # The curation queue, oldest first.
            models.Index(fields=["status", "updated_at"], name="product_status_updated_idx"),
            # A cashier's scan: the barcode printed on the pack.
            models.Index(fields=["barcode"], name="product_barcode_idx"),
            # The public catalogue's default order (newest curated first) and its category pages.
            models.Index(fields=["status", "curated_at", "id"], name="product_public_new_idx"),
            models.Index(fields=["category", "status", "curated_at"], name="product_category_idx"),
            # Sorting the catalogue by price.
            models.Index(fields=["status", "price", "id"], name="product_public_price_idx"),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The values as read, so that a save can tell which lists it changes (page_cache.results_changed_by).
        instance.loaded_values = dict(zip(field_names, values, strict=True))
        return instance

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the visitor's language; Indonesian when there is no English one."""
        return in_language(self.name_id, self.name_en)

    @property
    def description(self) -> str:
        return in_language(self.description_id, self.description_en)

    def get_unit_display(self) -> str:
        # Django's own builds a dict of every choice on each call (~40 µs), on every card of a page.
        return str(self.UNIT_LABELS.get(self.unit, self.unit))

    @property
    def is_waiting_for_curation(self) -> bool:
        return self.status == self.Status.PENDING or (
            self.status == self.Status.APPROVED and self.has_pending_changes
        )


class ProductSlug(models.Model):
    """A slug a product had before a rename: its old address redirects to the current one."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "slug"], name="product_old_slug_unique")]
        indexes = [
            # Resolving /<sme>/<old slug>/ to the product that had it.
            models.Index(fields=["slug"], name="product_old_slug_idx"),
        ]

    def __str__(self) -> str:
        return self.slug


class Storefront(models.Model):
    """An SME's public page: its slug, a word about it, and what the owner chooses to publish.

    The registry holds the SME's phone and WhatsApp as personal data (UU PDP); the storefront shows
    a WhatsApp button only when the owner has opted to publish the business number.
    """

    sme = models.OneToOneField(Sme, on_delete=models.CASCADE, related_name="storefront")
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    tagline_id = models.CharField(_("tagline (Indonesian)"), max_length=160, blank=True)
    tagline_en = models.CharField(_("tagline (English)"), max_length=160, blank=True)
    about_id = models.TextField(_("about the business (Indonesian)"), blank=True)
    about_en = models.TextField(_("about the business (English)"), blank=True)
    publish_whatsapp = models.BooleanField(
        _("show a WhatsApp button with the business number"),
        default=False,
        help_text=_("Buyers then see the WhatsApp number of the business registered with the Dinas."),
    )
    featured = models.BooleanField(_("featured"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("storefront")
        verbose_name_plural = _("storefronts")

    def __str__(self) -> str:
        return self.slug

    @property
    def tagline(self) -> str:
        return in_language(self.tagline_id, self.tagline_en)

    @property
    def about(self) -> str:
        return in_language(self.about_id, self.about_en)


class StorefrontSlug(models.Model):
    """A storefront's earlier address (the business was renamed): it redirects to the current one."""

    storefront = models.ForeignKey(Storefront, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug


def photo_path(instance, filename: str) -> str:
    return f"catalog/products/{instance.product.public_id}/{filename}"


class ProductPhoto(models.Model):
    """A product photo as stored: re-encoded without EXIF or location, with its thumbnail."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    # Width and height are read from the stored file by the service (no width_field: Django would
    # read every photo's file again whenever a row is loaded).
    image = models.ImageField(upload_to=photo_path)
    thumbnail = models.ImageField(upload_to=photo_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["position", "id"]
        indexes = [
            # The first photo of each product on a catalogue page.
            models.Index(fields=["product", "position", "id"], name="photo_product_position_idx"),
        ]

    def __str__(self) -> str:
        return self.image.name


class Inquiry(models.Model):
    """A buyer's question or order request from the public site, for the SME's inbox."""

    class Status(models.TextChoices):
        OPEN = "open", _("New")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sme = models.ForeignKey(Sme, on_delete=models.CASCADE, related_name="inquiries")
    product = models.ForeignKey(
        Product, verbose_name=_("product"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("your name"), max_length=120)
    organisation = models.CharField(_("organisation or company"), max_length=160, blank=True)
    country = CountryField(_("country"), default="ID")
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone or WhatsApp"), max_length=30, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    message = models.TextField(_("message"), max_length=3000)
    language = models.CharField(max_length=5, default="id")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # A keyed hash of the sender's address, for the rate limit: the address itself is not kept.
    sender_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    PERSONAL_FIELDS = ("email", "phone")

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The SME's inbox, newest first, by status.
            models.Index(fields=["sme", "status", "created_at"], name="inquiry_inbox_idx"),
            # The rate limit: inquiries from one sender in the last hour.
            models.Index(fields=["sender_key", "created_at"], name="inquiry_sender_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.sme}"


class InquiryReply(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("reply"), max_length=3000)
    emailed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.inquiry}: {self.body[:40]}"


class PromotionEvent(RegencyOwned):
    """An exhibition, bazaar or trade fair where the Dinas brings SMEs to buyers."""

    class Kind(models.TextChoices):
        EXHIBITION = "exhibition", _("Exhibition")
        BAZAAR = "bazaar", _("Bazaar")
        TRADE_FAIR = "trade_fair", _("Trade fair")

    class Reach(models.TextChoices):
        LOCAL = "local", _("Local")
        NATIONAL = "national", _("National")
        INTERNATIONAL = "international", _("International")

    slug = models.SlugField(_("address"), max_length=120, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reach = models.CharField(_("reach"), max_length=14, choices=Reach.choices, default=Reach.LOCAL)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"), default="ID")
    organiser = models.CharField(_("organiser"), max_length=200)
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="promotion_events",
    )
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_public = models.BooleanField(_("shown on the public events page"), default=True)
    # A cancelled event stays (its participants and history are records); the public pages mark it.
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("promotion event")
        verbose_name_plural = _("promotion events")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="event_dates_in_order"
            )
        ]
        indexes = [
            # The public events page: coming events by date.
            models.Index(fields=["is_public", "ends_on"], name="event_public_ends_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_id, self.name_en)

    @property
    def description(self) -> str:
        return in_language(self.description_id, self.description_en)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class EventParticipant(models.Model):
    """An SME taking part in an event: invited, then confirmed, then (on the day) attended."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        CONFIRMED = "confirmed", _("Confirmed")
        ATTENDED = "attended", _("Attended")
        DECLINED = "declined", _("Declined")

    event = models.ForeignKey(PromotionEvent, on_delete=models.CASCADE, related_name="participants")
    sme = models.ForeignKey(
        Sme, verbose_name=_("SME"), on_delete=models.PROTECT, related_name="event_participations"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    booth = models.CharField(_("booth"), max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("event participant")
        verbose_name_plural = _("event participants")
        ordering = ["event", "sme__name"]
        constraints = [models.UniqueConstraint(fields=["event", "sme"], name="event_participant_unique")]

    def __str__(self) -> str:
        return f"{self.sme} @ {self.event}"


class EventSale(models.Model):
    """Sales an SME reports at an event: one day's, or the whole event's in one figure.

    Records, not a running total, so that the sales channel (sentra.sales) counts each report and
    every figure traces back to who reported it.
    """

    participant = models.ForeignKey(EventParticipant, on_delete=models.CASCADE, related_name="sales")
    sold_on = models.DateField(_("date"))
    whole_event = models.BooleanField(_("total for the whole event"), default=False)
    amount = models.BigIntegerField(_("sales (Rp)"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    verified = models.BooleanField(_("checked by an officer"), default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event sale")
        verbose_name_plural = _("event sales")
        ordering = ["sold_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="event_sale_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.amount}"


class SearchWord(models.Model):
    """A word of the published products' names and descriptions, as written, and in how many it is.

    "Did you mean" picks the closest of these to a misspelled query word. Kept current by the
    product services (and rebuilt by the demo loader after a bulk load).
    """

    word = models.CharField(max_length=40, unique=True)
    length = models.PositiveSmallIntegerField()
    products = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            # Candidates for a suggestion: words of about the same length.
            models.Index(fields=["length", "word"], name="searchword_length_idx"),
        ]

    def __str__(self) -> str:
        return self.word

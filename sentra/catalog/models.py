"""The products SMEs sell: one model that the catalogue, the outlets, Bebeli and exports all sell.

A product belongs to one SME of the registry. It is public (in the catalogue, orderable in Bebeli)
only once an officer has curated it and while its SME is verified and not merged; the outlets and
export deals refer to it whatever its curation, since an outlet may stock a product before it is
listed.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sentra.regions.models import RegencyOwned
from sentra.registry.models import Sme


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
        return self.name_en if get_language() == "en" else self.name_id


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
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the visitor's language; Indonesian when there is no English one."""
        return self.name_en if get_language() == "en" and self.name_en else self.name_id

    @property
    def description(self) -> str:
        return self.description_en if get_language() == "en" and self.description_en else self.description_id

"""Export facilitation: readiness of SMEs and products, foreign buyers, export deals, domestic sales.

A deal runs inquiry → quotation → purchase order → production → shipment → payment; each step is
dated and audited on the deal, with documents attached. A purchase order keeps the buyer's currency,
its amounts in that currency's minor units, the exchange rate entered with it and the Rupiah value
(see `currencies`). One shipment carries a whole purchase order: a buyer's order shipped in two
parts is recorded as two purchase orders. Domestic sales to other regions (shops in Bali) are their
own records.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from sentra.catalog.models import Product
from sentra.regions.models import RegencyOwned
from sentra.registry.models import Sme

from . import currencies
from .provinces import PROVINCES

# Codes only: a translated label here would make the migration depend on the language at hand.
CURRENCY_CHOICES = [(c.code, c.code) for c in currencies.ACCEPTED]


def _user_fk(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


# --- readiness -------------------------------------------------------------------------------------


class SmeReadiness(models.Model):
    """What the registry does not hold about an SME's export readiness."""

    sme = models.OneToOneField(Sme, on_delete=models.CASCADE, related_name="export_readiness")
    prior_exports = models.BooleanField(_("has exported before (outside Sentra)"), default=False)
    prior_exports_note = models.CharField(_("earlier exports"), max_length=300, blank=True)
    updated_by = _user_fk(_("updated by"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("SME export readiness")
        verbose_name_plural = _("SME export readiness")

    def __str__(self) -> str:
        return str(self.sme)


class ProductReadiness(models.Model):
    """A product's export facts: capacity, English packaging, a USD price, samples."""

    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="export_readiness")
    monthly_capacity = models.PositiveIntegerField(_("monthly capacity"), null=True, blank=True)
    english_label = models.BooleanField(_("packaging and label in English"), default=False)
    usd_price_minor = models.PositiveBigIntegerField(_("price in USD (cents)"), null=True, blank=True)
    samples = models.BooleanField(_("samples ready to send"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # An officer who saved the facts has checked them; the owner's own saves are declarations.
    checked_by = _user_fk(_("checked by"))
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    updated_by = _user_fk(_("updated by"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("product export readiness")
        verbose_name_plural = _("product export readiness")

    def __str__(self) -> str:
        return str(self.product)


# --- buyers ----------------------------------------------------------------------------------------


class ForeignBuyer(RegencyOwned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("company"), max_length=200)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.CharField(_("company address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("foreign buyer")
        verbose_name_plural = _("foreign buyers")
        ordering = ["name", "id"]
        indexes = [
            # The buyer list filtered by country, in name order.
            models.Index(fields=["country", "name"], name="buyer_country_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})"


class BuyerContact(models.Model):
    """A person at a buyer. Their phone and email are personal data (UU PDP): masked, reveals logged."""

    PERSONAL_FIELDS = ("phone", "email")

    buyer = models.ForeignKey(ForeignBuyer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("buyer contact")
        verbose_name_plural = _("buyer contacts")
        ordering = ["buyer", "id"]

    def __str__(self) -> str:
        return self.name


# --- deals -----------------------------------------------------------------------------------------


class DealQuerySet(models.QuerySet):
    def for_user(self, user):
        """Deals of the SMEs a user may see: Dinas staff by scope, owners their own businesses'."""
        return self.filter(sme__in=Sme.objects.for_user(user))


class ExportDeal(RegencyOwned):
    class Stage(models.TextChoices):
        INQUIRY = "inquiry", _("Inquiry")
        QUOTED = "quoted", _("Quotation sent")
        ORDERED = "ordered", _("Purchase order")
        PRODUCTION = "production", _("In production")
        SHIPPED = "shipped", _("Shipped")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        OFFICER = "officer", _("Entered by an officer")
        CATALOGUE = "catalogue", _("Inquiry from the public catalogue")
        EVENT = "event", _("Exhibition or trade event")
        DIRECT = "direct", _("Buyer came to the SME directly")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sme = models.ForeignKey(Sme, verbose_name=_("SME"), on_delete=models.PROTECT, related_name="export_deals")
    buyer = models.ForeignKey(
        ForeignBuyer, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="deals"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.INQUIRY)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.OFFICER)
    inquiry_on = models.DateField(_("inquiry received"), null=True, blank=True)
    inquiry_text = models.TextField(_("what the buyer asked"), blank=True)
    production_started_on = models.DateField(_("production started"), null=True, blank=True)
    production_note = models.CharField(_("production note"), max_length=300, blank=True)
    paid_on = models.DateField(_("paid in full"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = _user_fk(_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DealQuerySet.as_manager()

    class Meta:
        verbose_name = _("export deal")
        verbose_name_plural = _("export deals")
        ordering = ["-updated_at", "-id"]
        indexes = [
            # The deal list filtered by stage, most recently changed first.
            models.Index(fields=["stage", "-updated_at"], name="deal_stage_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sme} → {self.buyer.name}"


INCOTERMS = [
    ("EXW", _("EXW — Ex Works")),
    ("FCA", _("FCA — Free Carrier")),
    ("FOB", _("FOB — Free On Board")),
    ("CFR", _("CFR — Cost and Freight")),
    ("CIF", _("CIF — Cost, Insurance and Freight")),
    ("CPT", _("CPT — Carriage Paid To")),
    ("CIP", _("CIP — Carriage and Insurance Paid To")),
    ("DAP", _("DAP — Delivered At Place")),
    ("DPU", _("DPU — Delivered at Place Unloaded")),
    ("DDP", _("DDP — Delivered Duty Paid")),
]


class Quotation(models.Model):
    deal = models.ForeignKey(ExportDeal, on_delete=models.CASCADE, related_name="quotations")
    quoted_on = models.DateField(_("quotation date"))
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    amount_minor = models.PositiveBigIntegerField(_("amount (minor units)"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        ordering = ["quoted_on", "id"]

    def __str__(self) -> str:
        return currencies.format_amount(self.amount_minor, self.currency)


class PaymentTerms(models.TextChoices):
    ADVANCE = "advance", _("Telegraphic transfer in advance")
    DEPOSIT = "deposit", _("Deposit, balance before shipment")
    AFTER_SHIPMENT = "after", _("Transfer after shipment (against documents)")
    LC_SIGHT = "lc_sight", _("Letter of credit at sight")
    LC_USANCE = "lc_usance", _("Letter of credit, deferred")
    DP = "dp", _("Documents against payment (D/P)")
    OPEN = "open", _("Open account")


class PurchaseOrder(models.Model):
    """The buyer's purchase order: the money of an export, in the buyer's currency and in Rupiah."""

    deal = models.OneToOneField(ExportDeal, on_delete=models.CASCADE, related_name="order")
    number = models.CharField(_("PO number"), max_length=60)
    ordered_on = models.DateField(_("PO date"))
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    # Rupiah paid for one major unit of the currency, as entered with the PO.
    rate = models.DecimalField(_("exchange rate (IDR per unit)"), max_digits=18, decimal_places=6)
    value_minor = models.PositiveBigIntegerField(_("value (minor units)"))
    value_idr = models.BigIntegerField(_("value (Rp)"))
    incoterm = models.CharField(_("incoterm"), max_length=3, choices=INCOTERMS)
    incoterm_place = models.CharField(_("incoterm place"), max_length=100, blank=True)
    payment_terms = models.CharField(_("payment terms"), max_length=10, choices=PaymentTerms.choices)
    payment_terms_note = models.CharField(_("payment terms, details"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        constraints = [
            models.CheckConstraint(condition=Q(rate__gt=0), name="po_rate_positive"),
            models.CheckConstraint(condition=Q(value_minor__gt=0), name="po_value_positive"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def currency_info(self) -> currencies.Currency:
        return currencies.CURRENCIES[self.currency]


class OrderLine(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="export_lines"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_minor = models.PositiveBigIntegerField(_("unit price (minor units)"))
    total_minor = models.PositiveBigIntegerField(_("line total (minor units)"))

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orderline_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price_minor__gt=0), name="orderline_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product}"


class ShipmentQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(order__deal__sme__in=Sme.objects.for_user(user))


class Shipment(models.Model):
    class Transport(models.TextChoices):
        SEA = "sea", _("Sea freight")
        AIR = "air", _("Air freight")
        COURIER = "courier", _("Courier / postal")
        LAND = "land", _("Land")

    order = models.OneToOneField(PurchaseOrder, on_delete=models.CASCADE, related_name="shipment")
    shipped_on = models.DateField(_("shipment date"))
    peb_number = models.CharField(_("PEB number (export declaration)"), max_length=40, blank=True)
    port = models.CharField(_("port of loading"), max_length=100)
    destination_country = CountryField(_("destination country"))
    transport = models.CharField(
        _("transport"), max_length=8, choices=Transport.choices, default=Transport.SEA
    )
    customs_facilitation = models.BooleanField(_("facilitated by customs (Bea Cukai)"), default=False)
    dinas_facilitation = models.BooleanField(_("facilitated by the Dinas"), default=False)
    facilitation_note = models.CharField(_("facilitation received"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShipmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-shipped_on", "-id"]
        indexes = [
            # Export reports by year and the export sales channel by date.
            models.Index(fields=["shipped_on"], name="shipment_date_idx"),
            # Export value and shipments by destination country.
            models.Index(fields=["destination_country", "shipped_on"], name="shipment_country_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.order.number} {self.shipped_on:%Y-%m-%d}"


class Payment(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="payments")
    received_on = models.DateField(_("received on"))
    amount_minor = models.PositiveBigIntegerField(_("amount (minor units)"))
    # What the bank credited in Rupiah, when the SME knows it (its rate may differ from the PO's).
    credited_idr = models.BigIntegerField(_("credited (Rp)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = _user_fk(_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["received_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payment_positive")]

    def __str__(self) -> str:
        return currencies.format_amount(self.amount_minor, self.order.currency)


class DealDocument(models.Model):
    class Step(models.TextChoices):
        INQUIRY = "inquiry", _("Inquiry")
        QUOTATION = "quotation", _("Quotation")
        ORDER = "order", _("Purchase order")
        PRODUCTION = "production", _("Production")
        SHIPMENT = "shipment", _("Shipment")
        PAYMENT = "payment", _("Payment")

    class Kind(models.TextChoices):
        PURCHASE_ORDER = "po", _("Purchase order")
        PROFORMA = "proforma", _("Proforma invoice / quotation")
        INVOICE = "invoice", _("Commercial invoice")
        PACKING_LIST = "packing", _("Packing list")
        PEB = "peb", _("PEB (export declaration)")
        BILL_OF_LADING = "bl", _("Bill of lading / air waybill")
        ORIGIN = "coo", _("Certificate of origin (SKA)")
        PAYMENT_PROOF = "payment", _("Proof of payment")
        PHOTO = "photo", _("Photo")
        OTHER = "other", _("Other")

    deal = models.ForeignKey(ExportDeal, on_delete=models.CASCADE, related_name="documents")
    step = models.CharField(_("step"), max_length=12, choices=Step.choices)
    kind = models.CharField(_("document"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = _user_fk(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("deal document")
        verbose_name_plural = _("deal documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


# --- domestic sales --------------------------------------------------------------------------------


class DomesticSaleQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(sme__in=Sme.objects.for_user(user))


class DomesticSale(RegencyOwned):
    """A sale to a buyer in another region of Indonesia (a souvenir shop in Bali), in whole Rupiah."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sme = models.ForeignKey(
        Sme, verbose_name=_("SME"), on_delete=models.PROTECT, related_name="domestic_sales"
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="domestic_sales",
    )
    buyer_name = models.CharField(_("buyer (shop or company)"), max_length=200)
    province = models.CharField(_("province"), max_length=2, choices=PROVINCES)
    city = models.CharField(_("city / regency"), max_length=100)
    sold_on = models.DateField(_("sale date"))
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    amount = models.BigIntegerField(_("amount (Rp)"))
    invoice_number = models.CharField(_("invoice number"), max_length=60, blank=True)
    # Counted in official totals once an officer has seen the invoice or the transfer.
    verified = models.BooleanField(_("evidence seen (invoice or transfer)"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = _user_fk(_("recorded by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = DomesticSaleQuerySet.as_manager()

    class Meta:
        verbose_name = _("domestic sale")
        verbose_name_plural = _("domestic sales")
        ordering = ["-sold_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="domestic_amount_positive")]
        indexes = [
            # The domestic sales list and the sales channel, by date.
            models.Index(fields=["sold_on"], name="domestic_sold_on_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sme} → {self.buyer_name}"

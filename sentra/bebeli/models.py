"""Bebeli (Bekasi Berani Beli): the regency's units and civil servants buying from local SMEs.

A buyer organisation (an OPD — dinas, badan, kecamatan office, hospital, school — a company, or one
civil servant buying for themselves) has buyer users, a yearly budget and an optional target for
local purchases. Every purchase, whether ordered in Sentra, recorded afterwards by the buyer with
evidence, or imported from an earlier spreadsheet, is one `Purchase`: its state follows the table
in `states`, every step is dated and audited, and only purchases the SME confirmed as paid *and* an
officer verified count in official totals. Amounts are whole Rupiah; prices are copied from the
catalogue when ordered, so a later price change does not rewrite an order.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sentra.catalog.models import Product
from sentra.regions.models import RegencyOwned, Region
from sentra.registry.models import Sme


def _user_fk(verbose_name, related_name="+"):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


class BuyerOrganisation(RegencyOwned):
    class Kind(models.TextChoices):
        DINAS = "dinas", _("Dinas (department)")
        BADAN = "badan", _("Badan (agency)")
        KECAMATAN = "kecamatan", _("Kecamatan office")
        HOSPITAL = "hospital", _("Hospital")
        SCHOOL = "school", _("School")
        COMPANY = "company", _("Company")
        ASN = "asn", _("Civil servant (ASN), buying for themselves")

    GOVERNMENT = (Kind.DINAS, Kind.BADAN, Kind.KECAMATAN, Kind.HOSPITAL, Kind.SCHOOL)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    # The regency's own code for the unit (kode OPD / satuan kerja), as earlier applications write it:
    # an import matches a buyer by it when a file has it, whatever the name's spelling there.
    code = models.CharField(
        _("code"),
        max_length=40,
        blank=True,
        help_text=_("The unit's own code, e.g. its SKPD code in the regional budget."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # A deactivated organisation keeps its purchases in every report; its buyers can no longer order.
    is_active = models.BooleanField(_("active"), default=True)
    kecamatan = models.ForeignKey(
        Region,
        verbose_name=_("kecamatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"level": Region.Level.KECAMATAN},
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer users"),
        blank=True,
        related_name="buyer_organisations",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("buyer organisation")
        verbose_name_plural = _("buyer organisations")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["regency", "code"],
                condition=~Q(code=""),
                name="bebeli_buyer_code_unique",
                violation_error_message=_("Another buyer organisation has this code."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_government(self) -> bool:
        return self.kind in self.GOVERNMENT


class BuyerBudget(models.Model):
    """A buyer's yearly goods and services budget and, optionally, its own target for local purchases."""

    organisation = models.ForeignKey(BuyerOrganisation, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    goods_services = models.PositiveBigIntegerField(_("goods and services budget (Rp)"))
    local_target = models.PositiveBigIntegerField(_("target for local purchases (Rp)"), null=True, blank=True)

    class Meta:
        verbose_name = _("buyer budget")
        verbose_name_plural = _("buyer budgets")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="bebeli_budget_year_unique"),
            models.CheckConstraint(condition=Q(goods_services__gt=0), name="bebeli_budget_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class PurchaseQuerySet(models.QuerySet):
    def completed(self):
        """Purchases the SME confirmed as paid: the only ones an officer may verify."""
        return self.filter(status=Purchase.Status.PAID)

    def verified(self):
        return self.completed().filter(verified_at__isnull=False)

    def for_user(self, user):
        """Buyers see their organisations' purchases, owners their SMEs', Dinas staff by scope."""
        from sentra.accounts.models import Role

        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.role == Role.BUYER:
            return self.filter(organisation__members=user)
        if user.role in (Role.ADMIN, Role.OFFICER, Role.SME_OWNER):
            return self.filter(sme__in=Sme.objects.for_user(user))
        return self.none()


class Purchase(RegencyOwned):
    class Status(models.TextChoices):
        ORDERED = "ordered", _("Ordered, waiting for the SME")
        ACCEPTED = "accepted", _("Accepted by the SME")
        DECLINED = "declined", _("Declined by the SME")
        PARTLY_DELIVERED = "partly", _("Partly delivered")
        DELIVERED = "delivered", _("Delivered")
        RECEIVED = "received", _("Receipt confirmed by the buyer")
        PAYMENT_RECORDED = "pay_rec", _("Payment recorded by the buyer")
        RECORDED = "recorded", _("Recorded by the buyer, waiting for the SME")
        DISPUTED = "disputed", _("Not recognised by the SME")
        PAID = "paid", _("Paid, confirmed by the SME")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        ORDER = "order", _("Ordered in Sentra")
        OUTSIDE = "outside", _("Bought outside Sentra, recorded by the buyer")
        IMPORT = "import", _("Imported from an earlier application")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        BuyerOrganisation, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="purchases"
    )
    sme = models.ForeignKey(
        Sme, verbose_name=_("SME"), on_delete=models.PROTECT, related_name="bebeli_purchases"
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.ORDER)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ORDERED)
    po_number = models.CharField(_("PO number"), max_length=60, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=60, blank=True)
    delivery_address = models.CharField(_("delivery address"), max_length=300, blank=True)
    delivery_due = models.DateField(_("delivery date wanted"), null=True, blank=True)
    total = models.PositiveBigIntegerField(_("total (Rp)"), default=0)

    ordered_on = models.DateField(_("ordered on"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    received_on = models.DateField(_("receipt confirmed on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    payment_confirmed_at = models.DateTimeField(_("payment confirmed by the SME"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    dispute_reason = models.TextField(_("why the SME does not recognise it"), blank=True)
    evidence = models.FileField(
        _("evidence (invoice, receipt, photo)"), upload_to="bebeli/%Y/%m/", blank=True
    )

    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = _user_fk(_("verified by"))
    # Flag codes (see `flags`), recomputed on each change: they inform the officer, they never block.
    flags = models.JSONField(_("flags"), default=list, blank=True)
    # An imported row's key (file kind + earlier application's id or the row's content), so
    # importing the same file again updates nothing twice.
    import_key = models.CharField(max_length=80, null=True, blank=True, unique=True, editable=False)
    created_by = _user_fk(_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PurchaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("Bebeli purchase")
        verbose_name_plural = _("Bebeli purchases")
        ordering = ["-ordered_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="bebeli_total_not_negative"),
        ]
        indexes = [
            # Official totals and the public page: verified, paid purchases by payment date.
            models.Index(fields=["status", "paid_on"], name="bebeli_status_paid_idx"),
            # A buyer's own list, newest first.
            models.Index(fields=["organisation", "-ordered_on"], name="bebeli_org_ordered_idx"),
            # An SME's own list, newest first.
            models.Index(fields=["sme", "-ordered_on"], name="bebeli_sme_ordered_idx"),
            # The same-invoice-number flag.
            models.Index(fields=["invoice_number"], name="bebeli_invoice_idx"),
            # The verification queue, its count and the report's pending figure: paid purchases not
            # yet verified, oldest first. Partial, so it holds only the few unverified purchases and
            # the planner takes it over the status index whatever the ledger's size (SQLite scanned
            # 2 million rows with a (status, verified_at) index when every verified_at was alike).
            models.Index(
                fields=["status", "payment_confirmed_at"],
                condition=Q(verified_at__isnull=True),
                name="bebeli_unverified_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.po_number or self.invoice_number or self.public_id.hex[:8]} · {self.sme}"

    @property
    def is_counted(self) -> bool:
        return self.status == self.Status.PAID and self.verified_at is not None


class PurchaseLine(models.Model):
    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, verbose_name=_("product"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.CharField(_("item"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    delivered_quantity = models.PositiveIntegerField(_("delivered"), default=0)
    unit_price = models.PositiveBigIntegerField(_("unit price (Rp)"))
    # The catalogue's price when the line was written, for the "unit price far above" flag.
    catalogue_price = models.PositiveBigIntegerField(_("catalogue price (Rp)"), null=True, blank=True)

    class Meta:
        verbose_name = _("purchase line")
        verbose_name_plural = _("purchase lines")
        ordering = ["purchase", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="bebeli_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="bebeli_line_price_positive"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price


class Delivery(models.Model):
    """One delivery of an order (an order may arrive in parts), with its note and a photo."""

    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="deliveries")
    delivered_on = models.DateField(_("delivered on"))
    note = models.CharField(_("delivery note"), max_length=300, blank=True)
    photo = models.FileField(_("photo"), upload_to="bebeli/delivery/%Y/%m/", blank=True)
    complete = models.BooleanField(_("everything delivered"), default=False)
    recorded_by = _user_fk(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["purchase", "delivered_on", "id"]

    def __str__(self) -> str:
        return f"{self.purchase} {self.delivered_on}"


class PurchaseRevision(models.Model):
    """A change an officer made to a purchase after the SME confirmed it: both versions, and why."""

    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="revisions")
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    reason = models.TextField(_("reason"))
    officer = _user_fk(_("officer"))
    made_at = models.DateTimeField(_("made"), auto_now_add=True)

    class Meta:
        verbose_name = _("purchase revision")
        verbose_name_plural = _("purchase revisions")
        ordering = ["purchase", "made_at", "id"]

    def __str__(self) -> str:
        return f"{self.purchase} {self.made_at:%Y-%m-%d}"


# --- official figures, kept summed (see `summaries`) -------------------------------------------------


class MonthlySummary(models.Model):
    """Counted purchases of one month (0: the whole year) in one cell of a report dimension."""

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()  # 0: the whole year
    dimension = models.CharField(max_length=10)
    key = models.CharField(max_length=40, blank=True)
    amount = models.BigIntegerField(default=0)
    purchases = models.IntegerField(default=0)
    smes = models.IntegerField(default=0)
    # Buyer cells of a whole year only: the amount of the buyer's three largest SMEs (its top-3 share).
    top3 = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("Bebeli monthly summary")
        verbose_name_plural = _("Bebeli monthly summaries")
        constraints = [
            # The reports read a year's rows of one dimension: this unique index serves them.
            models.UniqueConstraint(fields=["year", "dimension", "month", "key"], name="bebeli_summary_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.dimension} {self.key}"


class DelaySummary(models.Model):
    """How many counted purchases of a month (0: the year) were paid `days` after receipt."""

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    days = models.IntegerField()
    purchases = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("Bebeli payment delay summary")
        verbose_name_plural = _("Bebeli payment delay summaries")
        constraints = [
            # Medians read one year's (or month's) histogram.
            models.UniqueConstraint(fields=["year", "month", "days"], name="bebeli_delay_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.days}"


class BuyerSmeYear(models.Model):
    """A buyer's counted purchases from one SME in a year: its top three SMEs, without reading purchases."""

    year = models.PositiveSmallIntegerField()
    organisation = models.ForeignKey(BuyerOrganisation, on_delete=models.CASCADE, related_name="+")
    sme = models.ForeignKey(Sme, on_delete=models.CASCADE, related_name="+", db_index=False)
    amount = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("Bebeli buyer and SME year")
        verbose_name_plural = _("Bebeli buyers and SMEs per year")
        constraints = [
            models.UniqueConstraint(fields=["year", "organisation", "sme"], name="bebeli_buyer_sme_year"),
        ]
        indexes = [
            # A buyer's largest SMEs of a year (top three), read with LIMIT 3 when a purchase counts.
            models.Index(fields=["year", "organisation", "-amount"], name="bebeli_buyer_sme_top_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.organisation_id} {self.sme_id}"

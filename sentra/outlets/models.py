"""Outlets (gerai): consignment stock as a ledger, point-of-sale sales, month settlement.

Stock decides everything here, so it is never a number someone edits. Every change of what an outlet
holds is a `StockMovement` (a stock-in note's line, a return to the SME, a transfer, a count's
adjustment, a sale, a void or a customer's return), and `StockBalance` is the running sum of those
movements for one outlet and product, changed only by `services.move_stock` in the same transaction
as the movement it sums. A decrease is one conditional UPDATE (`on_hand >= qty`), so two cashiers
selling the last unit at once cannot both succeed, on SQLite or PostgreSQL; a check constraint on
`on_hand >= 0` is the backstop.

Consignment: the SME owns the goods until sold, and is paid what sold less the outlet's commission.
Cooperation outlets (a canteen run by a partner) record no items: the partner or an officer records
each period's turnover with the department's share and evidence.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sentra.regions.models import RegencyOwned, Region


class OutletQuerySet(models.QuerySet):
    def for_user(self, user):
        """The outlets a user may see: Dinas staff by kecamatan scope, cashiers their own, partners theirs."""
        from sentra.accounts.models import Role

        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.role == Role.ADMIN:
            return self
        if user.role == Role.OFFICER:
            scope = user.kecamatan_scope()
            return self if scope is None else self.filter(kecamatan_id__in=scope)
        if user.role == Role.CASHIER:
            return self.filter(cashiers__user=user)
        if user.role == Role.PARTNER:
            return self.filter(partner__users=user)
        return self.none()


class Outlet(RegencyOwned):
    class Kind(models.TextChoices):
        MALL_GALLERY = "mall", _("Mall gallery")
        REST_AREA = "rest_area", _("Toll road rest area")
        MUSEUM = "museum", _("Museum")
        CANTEEN = "canteen", _("Canteen")
        EVENT_BOOTH = "booth", _("Event booth")

    class Agreement(models.TextChoices):
        COMMISSION = "commission", _("Consignment with commission (the outlet keeps a share of each sale)")
        REVENUE_SHARE = (
            "revenue_share",
            _("Cooperation with revenue share (a partner runs it and pays the Dinas a share of turnover)"),
        )

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Open")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        _("short code"), max_length=12, unique=True, help_text=_("Printed on receipts, e.g. AEON.")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=300)
    kecamatan = models.ForeignKey(
        Region,
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": Region.Level.KECAMATAN},
        related_name="+",
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("operating partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outlets",
    )
    agreement = models.CharField(
        _("agreement"), max_length=14, choices=Agreement.choices, default=Agreement.COMMISSION
    )
    # Hundredths of a percent (1500 = 15%), so the arithmetic stays in whole numbers.
    rate_bp = models.PositiveIntegerField(
        _("commission or share (hundredths of a percent)"),
        default=2000,
        help_text=_("2000 means 20%: the outlet's commission, or the Dinas' share of a partner's turnover."),
    )
    rent = models.PositiveBigIntegerField(_("rent per month (Rp)"), default=0)
    # What a partner hosting the outlet reports as space given to SMEs (the Perda 30% obligation).
    floor_m2 = models.DecimalField(
        _("floor space (m²)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "The outlet's sales floor, if measured: offered when its host reports the space it gives SMEs."
        ),
    )
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    low_stock_at = models.PositiveIntegerField(
        _("low stock alert at"), default=3, help_text=_("Warn when a product's stock falls to this.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OutletQuerySet.as_manager()

    class Meta:
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(rate_bp__lte=10000), name="outlet_rate_at_most_100")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cooperation(self) -> bool:
        return self.agreement == self.Agreement.REVENUE_SHARE

    @property
    def rate_percent(self) -> str:
        return f"{self.rate_bp / 100:g}"


class Cashier(models.Model):
    """A cashier account works at exactly one outlet."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cashier_post"
    )
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="cashiers")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cashier")
        verbose_name_plural = _("cashiers")

    def __str__(self) -> str:
        return f"{self.user} @ {self.outlet}"


class StockBalance(models.Model):
    """What one outlet holds of one product: the sum of its movements, and the latest prices."""

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="balances")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="outlet_balances")
    on_hand = models.BigIntegerField(default=0)
    # From the latest stock-in: what a sale charges and what the SME was promised per unit.
    retail_price = models.PositiveBigIntegerField(default=0)
    consignment_price = models.PositiveBigIntegerField(default=0)
    nearest_expiry = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["outlet", "product"], name="stock_balance_once"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="stock_never_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product} @ {self.outlet}: {self.on_hand}"


class StockNote(models.Model):
    """A document of stock movements: a stock-in note the SME signs, a return, a transfer, a count."""

    class Kind(models.TextChoices):
        STOCK_IN = "in", _("Stock-in note")
        RETURN = "return", _("Return to the SME")
        TRANSFER = "transfer", _("Transfer between outlets")
        COUNT = "count", _("Stock count")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="notes")
    sme = models.ForeignKey("registry.Sme", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_outlet = models.ForeignKey(Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def number(self) -> str:
        return f"{self.outlet.code}-{self.kind.upper()}-{self.pk:06d}"


class StockMovement(models.Model):
    """One line of the ledger; `quantity` is signed (+ into the outlet, − out of it)."""

    class Kind(models.TextChoices):
        STOCK_IN = "in", _("Stock in")
        RETURN_TO_SME = "return", _("Returned to the SME")
        TRANSFER_OUT = "transfer_out", _("Transferred out")
        TRANSFER_IN = "transfer_in", _("Transferred in")
        ADJUSTMENT = "adjustment", _("Count adjustment")
        SALE = "sale", _("Sale")
        VOID = "void", _("Sale voided")
        CUSTOMER_RETURN = "customer_return", _("Returned by a customer")

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="movements")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    quantity = models.BigIntegerField()
    note = models.ForeignKey(
        StockNote, null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    sale_line = models.ForeignKey(
        "SaleLine", null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    consignment_price = models.PositiveBigIntegerField(null=True, blank=True)
    retail_price = models.PositiveBigIntegerField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(quantity=0), name="movement_not_zero")]
        indexes = [
            # An outlet's ledger of one product, and the sum that proves the balance.
            models.Index(fields=["outlet", "product"], name="movement_outlet_product_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity:+d} × {self.product}"


class DayClosing(models.Model):
    """End of a cashier's day: the cash the sales say should be there against the cash counted."""

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="closings")
    day = models.DateField(_("day"))
    opening_float = models.PositiveBigIntegerField(_("opening float (Rp)"), default=0)
    expected_cash = models.BigIntegerField(_("expected cash (Rp)"))
    counted_cash = models.PositiveBigIntegerField(_("counted cash (Rp)"))
    difference = models.BigIntegerField(_("difference (Rp)"))
    sales_count = models.PositiveIntegerField(default=0)
    sales_total = models.BigIntegerField(default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["outlet", "day"], name="one_closing_per_outlet_day")]

    def __str__(self) -> str:
        return f"{self.outlet} {self.day}"


class Sale(models.Model):
    class Payment(models.TextChoices):
        CASH = "cash", _("Cash")
        QRIS = "qris", _("QRIS")
        TRANSFER = "transfer", _("Bank transfer")
        DEBIT = "debit", _("Debit card")

    class Status(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        VOIDED = "voided", _("Voided")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The screen's idempotency key: the same key sent again is the same sale.
    client_key = models.CharField(max_length=64, unique=True)
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="sales")
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sold_at = models.DateTimeField(_("sold at"))
    sold_on = models.DateField(
        _("date")
    )  # the local (WIB) day, for the day's closing and the month's settlement
    subtotal = models.PositiveBigIntegerField(_("subtotal (Rp)"))
    discount = models.PositiveBigIntegerField(_("discount (Rp)"), default=0)
    discount_reason = models.CharField(_("discount reason"), max_length=200, blank=True)
    total = models.PositiveBigIntegerField(_("total (Rp)"))
    payment = models.CharField(_("payment method"), max_length=8, choices=Payment.choices)
    cash_received = models.PositiveBigIntegerField(_("cash received (Rp)"), null=True, blank=True)
    change = models.PositiveBigIntegerField(_("change (Rp)"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.COMPLETED)
    void_reason = models.CharField(_("void reason"), max_length=300, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sold_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="sale_total_not_negative"),
        ]
        indexes = [
            # The day's sales of an outlet (the closing), a month's (the settlement and reports).
            models.Index(fields=["outlet", "sold_on"], name="sale_outlet_day_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.outlet.code}-{self.sold_on:%Y%m%d}-{self.pk:06d}"


class SaleLine(models.Model):
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    sme = models.ForeignKey("registry.Sme", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_price = models.PositiveBigIntegerField()
    # The sale's discount shared over its lines in proportion, so each SME is settled on what was paid.
    discount = models.PositiveBigIntegerField(default=0)
    amount = models.PositiveBigIntegerField()  # quantity × unit price − discount
    returned_quantity = models.PositiveIntegerField(default=0)
    returned_amount = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sale_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(returned_quantity__lte=models.F("quantity")), name="return_not_beyond_sold"
            ),
        ]
        indexes = [
            # A month's settlement: each SME's lines.
            models.Index(fields=["sme", "sale"], name="sale_line_sme_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product}"

    @property
    def gross(self) -> int:
        return self.quantity * self.unit_price


class CustomerReturn(models.Model):
    """Goods a customer brought back: back into stock, the amount refunded in cash."""

    line = models.ForeignKey(SaleLine, on_delete=models.PROTECT, related_name="returns")
    quantity = models.PositiveIntegerField()
    amount = models.PositiveBigIntegerField()
    returned_on = models.DateField()
    reason = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.quantity} × {self.line.product}"


class MonthClosing(models.Model):
    """An officer closed an outlet's month: its statements are fixed; changes only as corrections."""

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="month_closings")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["outlet", "year", "month"], name="close_month_once")]

    def __str__(self) -> str:
        return f"{self.outlet} {self.year}-{self.month:02d}"


class Statement(models.Model):
    """What an SME is owed for one outlet's month, fixed when the month was closed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    closing = models.ForeignKey(MonthClosing, on_delete=models.PROTECT, related_name="statements")
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="statements")
    sme = models.ForeignKey("registry.Sme", on_delete=models.PROTECT, related_name="outlet_statements")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    quantity = models.BigIntegerField(_("quantity sold"))
    gross = models.BigIntegerField(_("gross (Rp)"))
    commission = models.BigIntegerField(_("commission (Rp)"))
    net = models.BigIntegerField(_("net payable (Rp)"))
    rate_bp = models.PositiveIntegerField()
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-month", "outlet", "sme"]
        constraints = [
            models.UniqueConstraint(fields=["outlet", "sme", "year", "month"], name="one_statement_per_month")
        ]
        indexes = [
            # The SME's own statements, newest first; SMEs waiting for payment.
            models.Index(fields=["sme", "year", "month"], name="statement_sme_month_idx"),
            models.Index(fields=["paid_on"], name="statement_paid_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sme} @ {self.outlet} {self.year}-{self.month:02d}"

    @property
    def payable(self) -> int:
        """Net after any correction entries."""
        return self.net + sum(c.amount for c in self.corrections.all())


class StatementCorrection(models.Model):
    """A reasoned change to a closed month's statement: a signed amount added to what is payable."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="corrections")
    amount = models.BigIntegerField(_("amount (Rp)"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.amount:+d}: {self.reason}"


def turnover_evidence_path(report: CooperationTurnover, filename: str) -> str:
    return f"outlets/turnover/{report.outlet.public_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class CooperationTurnover(models.Model):
    """A cooperation outlet's turnover for a period, as its partner reported it, with the Dinas' share."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="turnovers")
    starts_on = models.DateField(_("period from"))
    ends_on = models.DateField(_("period to"))
    turnover = models.PositiveBigIntegerField(_("turnover (Rp)"))
    dinas_share = models.PositiveBigIntegerField(_("the Dinas' share (Rp)"))
    evidence = models.FileField(_("evidence"), upload_to=turnover_evidence_path, max_length=200)
    evidence_kind = models.CharField(max_length=5)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-ends_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="turnover_period_order"
            ),
            models.CheckConstraint(
                condition=Q(dinas_share__lte=models.F("turnover")), name="turnover_share_within"
            ),
            models.UniqueConstraint(fields=["outlet", "starts_on", "ends_on"], name="turnover_period_once"),
        ]

    def __str__(self) -> str:
        return f"{self.outlet} {self.starts_on}–{self.ends_on}"

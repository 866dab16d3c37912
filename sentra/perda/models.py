"""The Perda 30% obligation as data: who is obliged, to what, measured on what, reported how often.

An `Obligation` belongs to one partner record (the same organisations the partnership area keeps:
a shopping centre, a modern retailer, a toll rest area, an industrial estate), and carries its
legal basis, percentage, basis of measurement and reporting period as fields, so a revised Perda
is a changed record, not changed code. The partner's users submit a `Realisation` per period
(the total base and what went to SMEs and cooperatives, which ones, with evidence); an officer
accepts it or returns it with a note. A report copies the percentage it is measured against when
it is accepted, so a later revision of the obligation never rewrites a past period's outcome.
"""

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sentra.partners.models import Evidence as PartnerEvidence
from sentra.partners.models import Partner
from sentra.regions.models import RegencyOwned

from .compliance import Outcome, PeriodKind


class Category(models.TextChoices):
    SHOPPING_CENTRE = "shopping_centre", _("Shopping centre")
    MODERN_RETAIL = "modern_retail", _("Modern retail")
    TOLL_REST_AREA = "rest_area", _("Toll road rest area")
    INDUSTRIAL_ESTATE = "industrial", _("Industrial estate")
    OTHER = "other", _("Other business")


class Basis(models.TextChoices):
    SPACE = "space_m2", _("Commercial floor or shelf space (m²)")
    PROCUREMENT = "procurement_idr", _("Procurement value (Rp)")
    BUDGET = "budget_idr", _("Partnership budget (Rp)")


DEFAULT_LEGAL_BASIS = (
    "Peraturan Daerah Kabupaten Bekasi Tahun 2023 tentang Kemudahan, Pelindungan dan Pemberdayaan "
    "Koperasi dan Usaha Mikro"
)


class ObligationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Dinas staff see every obligation; a partner user its own organisations'; nobody else any."""
        from sentra.accounts.models import Role

        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_dinas:
            return self
        if user.role == Role.PARTNER:
            return self.filter(partner__users=user)
        return self.none()


class Obligation(RegencyOwned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(
        Partner, verbose_name=_("business"), on_delete=models.PROTECT, related_name="perda_obligations"
    )
    category = models.CharField(_("category of business"), max_length=16, choices=Category.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300, default=DEFAULT_LEGAL_BASIS)
    article = models.TextField(
        _("article"), blank=True, help_text=_("The article and its text, as the regulation words it.")
    )
    percentage = models.DecimalField(
        _("percentage"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(30),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    basis = models.CharField(_("measured on"), max_length=16, choices=Basis.choices, default=Basis.SPACE)
    period = models.CharField(
        _("reporting period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.QUARTERLY
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    grace_days = models.PositiveSmallIntegerField(
        _("days to report after a period ends"), default=30, validators=[MaxValueValidator(180)]
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Reviews the reports and gets the reminders; without one, every officer does."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Perda obligation")
        verbose_name_plural = _("Perda obligations")
        ordering = ["partner__name", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percentage__gt=0) & models.Q(percentage__lte=100),
                name="obligation_percentage_range",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="obligation_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.get_basis_display()}"

    @property
    def in_rupiah(self) -> bool:
        return self.basis != Basis.SPACE


class Realisation(models.Model):
    """One period's realisation report of one obligation."""

    class ReviewStatus(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted, being reviewed")
        RETURNED = "returned", _("Returned for correction")
        ACCEPTED = "accepted", _("Accepted")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    obligation = models.ForeignKey(
        Obligation, verbose_name=_("obligation"), on_delete=models.PROTECT, related_name="reports"
    )
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    # Space in m² (two decimals) or money in whole Rupiah, by the obligation's basis; never both.
    total_m2 = models.DecimalField(_("total space (m²)"), max_digits=12, decimal_places=2, null=True)
    allocated_m2 = models.DecimalField(
        _("space for SMEs and cooperatives (m²)"), max_digits=12, decimal_places=2, null=True
    )
    total_idr = models.PositiveBigIntegerField(_("total (Rp)"), null=True)
    allocated_idr = models.PositiveBigIntegerField(_("for SMEs and cooperatives (Rp)"), null=True)
    description = models.TextField(
        _("what was given"),
        blank=True,
        help_text=_("Which outlets, spaces or purchases, where, on what terms."),
    )
    # An outlet (gerai) of the outlets area the business hosts, where the space was given; the
    # SMEs consigning there are offered as the report's beneficiaries.
    outlet = models.ForeignKey(
        "outlets.Outlet",
        verbose_name=_("outlet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="perda_reports",
    )
    smes = models.ManyToManyField("registry.Sme", verbose_name=_("SMEs"), blank=True, related_name="+")
    cooperatives = models.ManyToManyField(
        "registry.Cooperative", verbose_name=_("cooperatives"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("review"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED
    )
    # Copied from the obligation when accepted (see the module docstring).
    percentage = models.DecimalField(_("percentage required"), max_digits=5, decimal_places=2, null=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("realisation report")
        verbose_name_plural = _("realisation reports")
        ordering = ["-period_start", "-id"]
        constraints = [
            # Also the index of an obligation's reports by period (detail page, compliance report).
            models.UniqueConstraint(
                fields=["obligation", "period_start"],
                name="realisation_one_per_period",
                violation_error_message=_("A report for this period is already submitted."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        total_m2__gt=0,
                        allocated_m2__gte=0,
                        total_idr__isnull=True,
                        allocated_idr__isnull=True,
                    )
                    | models.Q(
                        total_idr__gt=0,
                        allocated_idr__gte=0,
                        total_m2__isnull=True,
                        allocated_m2__isnull=True,
                    )
                ),
                name="realisation_one_unit",
            ),
            models.CheckConstraint(
                condition=models.Q(allocated_m2__lte=models.F("total_m2"))
                | models.Q(allocated_idr__lte=models.F("total_idr")),
                name="realisation_allocated_within_total",
            ),
        ]
        indexes = [
            # The officers' review queue and the report list by status, newest period first.
            models.Index(fields=["status", "-period_start"], name="realisation_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.obligation.partner} {self.period_start:%Y-%m-%d}"

    @property
    def total(self) -> Decimal:
        return self.total_m2 if self.total_m2 is not None else Decimal(self.total_idr)

    @property
    def allocated(self) -> Decimal:
        return self.allocated_m2 if self.allocated_m2 is not None else Decimal(self.allocated_idr)

    @property
    def share(self) -> Decimal:
        from .compliance import share

        return share(total=self.total, allocated=self.allocated)

    @property
    def in_rupiah(self) -> bool:
        return self.total_idr is not None


def evidence_path(evidence: "ReportEvidence", filename: str) -> str:
    # Named by the record, not by the uploaded name: a file name may carry anything.
    suffix = Path(filename).suffix.lower()
    return f"perda/evidence/{evidence.report.public_id}/{uuid.uuid4().hex}{suffix}"


class ReportEvidence(models.Model):
    """A photo of the SME space, a tenancy list, a purchase ledger: what shows the report is true."""

    report = models.ForeignKey(Realisation, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=5, choices=PartnerEvidence.Kind.choices)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.caption or self.get_kind_display()

"""The organisations the Dinas works with: companies, banks, agencies, customs, universities, forums.

One partner record serves every area that deals with an organisation: MoUs and foster parents,
the Perda 30% obligation of a shopping centre or toll rest area, the operator of a cooperation
outlet. Partner users sign in for their organisation (`Partner.users`).
"""

import datetime as dt
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sentra.regions.models import RegencyOwned, Region


class PartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Partner.Status.ACTIVE)

    def of_user(self, user):
        """The organisations a partner user signs in for."""
        return self.filter(users=user)


class Partner(RegencyOwned):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        RETAIL = "retail", _("Shopping centre or modern retail")
        TOLL_REST_AREA = "rest_area", _("Toll road rest area")
        INDUSTRIAL_ESTATE = "industrial", _("Industrial estate")
        BANK = "bank", _("Bank or finance")
        SOE = "soe", _("BUMN / BUMD")
        AGENCY = "agency", _("Government agency")
        CUSTOMS = "customs", _("Customs (Bea Cukai)")
        UNIVERSITY = "university", _("University")
        ASSOCIATION = "association", _("Association")
        FORUM = "forum", _("SME forum")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    kecamatan = models.ForeignKey(
        Region,
        verbose_name=_("kecamatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"level": Region.Level.KECAMATAN},
        related_name="+",
    )
    # The organisation's own contact points (not personal data of a natural person).
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    description = models.TextField(
        _("work with the Dinas"),
        blank=True,
        help_text=_("What the organisation does with the Dinas and its SMEs."),
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("partner users"), blank=True, related_name="partners"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        indexes = [
            # The partner list filtered by type.
            models.Index(fields=["kind", "name"], name="partner_kind_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name


END_BEFORE_START = _("The end date cannot be before the start date.")


# --- MoUs and cooperation agreements -----------------------------------------------------------


def agreement_file_path(agreement: "Agreement", filename: str) -> str:
    # Named by the record, not by the uploaded name: a file name may carry anything.
    return f"partners/agreements/{agreement.public_id}.pdf"


class AgreementQuerySet(models.QuerySet):
    def signed(self):
        return self.filter(status=Agreement.Status.SIGNED)

    def of_partner(self, partner: Partner):
        return self.filter(partners=partner)


class Agreement(RegencyOwned):
    """An MoU, cooperation agreement (PKS) or loan-for-use agreement between the Dinas and partners.

    The status stores what people decided (being prepared, signed, ended); whether a signed
    agreement is running, about to expire or expired follows from its dates (`state`).
    """

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding (MoU)")
        COOPERATION = "pks", _("Cooperation agreement (PKS)")
        LOAN_FOR_USE = "loan", _("Loan-for-use agreement (pinjam pakai)")
        OTHER = "other", _("Other agreement")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        SIGNED = "signed", _("Signed")
        ENDED = "ended", _("Ended")

    class State(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        UPCOMING = "upcoming", _("Signed, not started")
        RUNNING = "running", _("Running")
        EXPIRING = "expiring", _("Expiring soon")
        EXPIRED = "expired", _("Expired")
        ENDED = "ended", _("Ended")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("number"), max_length=100)
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("type"), max_length=6, choices=Kind.choices, default=Kind.MOU)
    partners = models.ManyToManyField(Partner, verbose_name=_("partners"), related_name="agreements")
    other_parties = models.CharField(
        _("other parties"),
        max_length=300,
        blank=True,
        help_text=_("Parties besides the Dinas and the partners above, e.g. Dekranasda."),
    )
    scope = models.TextField(_("scope"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_file = models.FileField(
        _("signed copy (PDF)"), upload_to=agreement_file_path, blank=True, max_length=200
    )
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.DRAFT)
    end_note = models.TextField(_("why it ended"), blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Gets the reminders before it expires; without one, the Dinas admins do."),
    )
    remind_days = models.PositiveSmallIntegerField(_("remind this many days before the end"), default=90)
    renews = models.ForeignKey(
        "self",
        verbose_name=_("renews"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewals",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["regency", "number"],
                name="agreement_number_unique",
                violation_error_message=_("An agreement with this number is already registered."),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
                violation_error_message=END_BEFORE_START,
            ),
        ]
        indexes = [
            # Expiry reminders and the "expiring" filter: signed agreements by end date.
            models.Index(fields=["status", "ends_on"], name="agreement_status_end_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    def state(self, today: dt.date) -> str:
        if self.status == self.Status.DRAFT:
            return self.State.DRAFT
        if self.status == self.Status.ENDED:
            return self.State.ENDED
        if self.starts_on > today:
            return self.State.UPCOMING
        if self.ends_on < today:
            return self.State.EXPIRED
        if self.ends_on <= today + dt.timedelta(days=self.remind_days):
            return self.State.EXPIRING
        return self.State.RUNNING

    def state_label(self, today: dt.date) -> str:
        return self.State(self.state(today)).label


# --- foster parents (orang tua asuh) -----------------------------------------------------------


class FosterAssignment(RegencyOwned):
    """A partner adopting the SMEs of a kecamatan, or a list of SMEs, for a period, with goals.

    The adopted SMEs are the list when there is one, otherwise every SME of the kecamatan.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(
        Partner, verbose_name=_("foster parent"), on_delete=models.PROTECT, related_name="foster_assignments"
    )
    kecamatan = models.ForeignKey(
        Region,
        verbose_name=_("kecamatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"level": Region.Level.KECAMATAN},
        related_name="+",
    )
    smes = models.ManyToManyField(
        "registry.Sme", verbose_name=_("adopted SMEs"), blank=True, related_name="foster_assignments"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    goals = models.TextField(_("goals"), blank=True)
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="foster_assignments",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("foster-parent assignment")
        verbose_name_plural = _("foster-parent assignments")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="foster_ends_after_start",
                violation_error_message=END_BEFORE_START,
            ),
        ]

    def __str__(self) -> str:
        area = self.kecamatan.name if self.kecamatan_id else _("a list of SMEs")
        return f"{self.partner} — {area}"


class FosterGoal(models.Model):
    """A measurable goal of an assignment; the report sets what was reached beside it."""

    class Measure(models.TextChoices):
        NIB = "nib", _("SMEs obtaining an NIB")
        HALAL = "halal", _("SMEs obtaining a halal certificate")
        PIRT = "pirt", _("SMEs obtaining a P-IRT")
        SCALE_UP = "scale_up", _("SMEs moving up a scale class")
        REACHED = "reached", _("SMEs taking part in activities")
        ACTIVITIES = "activities", _("Activities held")
        SALES = "sales", _("Sales of the adopted SMEs (Rp)")

    assignment = models.ForeignKey(FosterAssignment, on_delete=models.CASCADE, related_name="targets")
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices)
    target = models.BigIntegerField(_("target"))

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "measure"], name="foster_goal_unique_measure"),
            models.CheckConstraint(condition=models.Q(target__gt=0), name="foster_goal_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}: {self.target}"


# --- activities under an agreement or an assignment ----------------------------------------------


class Activity(models.Model):
    """Something done under an agreement or a foster-parent assignment: dates, SMEs involved, evidence."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No single-column indexes: activity_agreement_idx and activity_foster_idx begin with these.
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.CASCADE, related_name="activities", db_index=False
    )
    foster = models.ForeignKey(
        FosterAssignment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
        db_index=False,
    )
    title = models.CharField(_("activity"), max_length=200)
    description = models.TextField(_("what was done"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("For activities over several days.")
    )
    smes = models.ManyToManyField(
        "registry.Sme", verbose_name=_("SMEs involved"), blank=True, related_name="partner_activities"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agreement__isnull=False, foster__isnull=True)
                | models.Q(agreement__isnull=True, foster__isnull=False),
                name="activity_under_one_record",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
                violation_error_message=END_BEFORE_START,
            ),
        ]
        # The agreement's and the assignment's activity lists, newest first.
        indexes = [
            models.Index(fields=["agreement", "-starts_on"], name="activity_agreement_idx"),
            models.Index(fields=["foster", "-starts_on"], name="activity_foster_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def parent(self):
        return self.agreement if self.agreement_id else self.foster


def evidence_file_path(evidence: "Evidence", filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return f"partners/evidence/{evidence.activity.public_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A photo or document showing an activity took place (attendance list, report, photo)."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DOCUMENT = "pdf", _("PDF document")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=evidence_file_path, max_length=200)
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


# --- SMEs' consent, and partners' offers ---------------------------------------------------------


class ConsentGrant(models.Model):
    """An SME's current consent to be found by one kind of partner, and which fields it shares.

    Withdrawing deletes the row: whatever is not here is not consented. `ConsentEvent` keeps the dated
    history of every change.
    """

    sme = models.ForeignKey("registry.Sme", on_delete=models.CASCADE, related_name="partner_consents")
    kind = models.CharField(_("kind of partner"), max_length=12, choices=Partner.Kind.choices)
    # Keys of sentra.partners.consent.SHAREABLE.
    fields = models.JSONField(_("shared fields"), default=list, blank=True)
    granted_at = models.DateTimeField(_("given"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            # Also the index of the partner search: the SMEs consenting to one kind of partner.
            models.UniqueConstraint(fields=["kind", "sme"], name="consent_kind_sme_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.sme_id}: {self.kind}"


class ConsentEvent(models.Model):
    """The SME's whole consent after one change: the dated history an SME and an officer can read."""

    class Action(models.TextChoices):
        GIVEN = "given", _("Consent given")
        CHANGED = "changed", _("Consent changed")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")

    # consent_event_sme_idx begins with it.
    sme = models.ForeignKey(
        "registry.Sme", on_delete=models.CASCADE, related_name="consent_history", db_index=False
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("change"), max_length=10, choices=Action.choices)
    kinds = models.JSONField(_("kinds of partner"), default=list)
    fields = models.JSONField(_("shared fields"), default=list)

    class Meta:
        verbose_name = _("consent change")
        verbose_name_plural = _("consent history")
        ordering = ["-at", "-id"]
        indexes = [
            # The SME's consent page lists its history, newest first.
            models.Index(fields=["sme", "-at"], name="consent_event_sme_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sme_id} {self.action} {self.at:%Y-%m-%d}"


class Offer(models.Model):
    """An offer a partner sends an SME that consented to be found by its kind: the SME answers it."""

    class Kind(models.TextChoices):
        KUR = "kur", _("KUR credit")
        FINANCING = "financing", _("Other financing")
        SUPPLY = "supply", _("Supply contract")
        TRAINING = "training", _("Training place")
        OTHER = "other", _("Other offer")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn by the partner")
        CLOSED = "closed", _("Closed: consent withdrawn")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No single-column indexes: offer_partner_idx and offer_sme_idx begin with these.
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="offers", db_index=False
    )
    sme = models.ForeignKey(
        "registry.Sme",
        verbose_name=_("SME"),
        on_delete=models.CASCADE,
        related_name="partner_offers",
        db_index=False,
    )
    kind = models.CharField(_("kind of offer"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"))
    amount = models.BigIntegerField(
        _("amount (Rp)"), null=True, blank=True, help_text=_("Credit ceiling or contract value, if any.")
    )
    valid_until = models.DateField(_("answer by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-sent_at", "-id"]
        constraints = [
            # A second click, or a second colleague, cannot send the same kind of offer twice at once.
            models.UniqueConstraint(
                fields=["partner", "sme", "kind"],
                condition=models.Q(status="open"),
                name="offer_one_open_per_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="offer_amount_not_negative",
            ),
        ]
        indexes = [
            # The partner's sent offers, the SME's inbox and the officers' flow, newest first.
            models.Index(fields=["partner", "-sent_at"], name="offer_partner_idx"),
            models.Index(fields=["sme", "-sent_at"], name="offer_sme_idx"),
            models.Index(fields=["status", "-sent_at"], name="offer_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today: dt.date) -> bool:
        """Open and still answerable: an offer past its answer-by date can no longer be accepted."""
        return self.status == self.Status.OPEN and (self.valid_until is None or self.valid_until >= today)

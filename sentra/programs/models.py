"""Who helped which SME, and what came of it: programmes, attendance, mentoring, cohorts, the clinic.

A programme (training, coaching, certification facilitation, an acceleration cohort) has sessions
and participants (enrolments). Every gathering that takes attendance is a `Session`: a programme's
session, or a meeting or joint activity of an SME forum, so both take attendance the same way, by
the short code of an `AttendanceCard` (printed under its QR), or by ticking a name.

Mentors and clinic consultants are one record, `Mentor`: a Dinas officer or a partner's person, with
a user account of the role they already have (officer or partner), so no role is added for them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sentra.partners.models import Partner
from sentra.regions.models import RegencyOwned, Region
from sentra.registry.models import Forum, Sme


class Topic(models.TextChoices):
    """What a clinic consultation (and a consultant) is about."""

    LEGALITY = "legality", _("Legality and permits")
    FINANCE = "finance", _("Finance and credit")
    MARKETING = "marketing", _("Marketing")
    PRODUCTION = "production", _("Production and packaging")
    DIGITAL = "digital", _("Digital")
    EXPORT = "export", _("Export")


class ProgrammeQuerySet(models.QuerySet):
    def open_for_applications(self):
        return self.filter(status=Programme.Status.OPEN)

    def in_year(self, year: int):
        return self.filter(starts_on__year=year)


class Programme(RegencyOwned):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        COACHING = "coaching", _("Coaching")
        CERTIFICATION = "certification", _("Certification facilitation")
        ACCELERATION = "acceleration", _("Acceleration cohort")

    class Certification(models.TextChoices):
        """What a certification facilitation helps its participants obtain."""

        HALAL = "halal", _("Halal certificate")
        PIRT = "pirt", _("P-IRT")
        NIB = "nib", _("NIB")
        BPOM = "bpom", _("BPOM MD/ML")
        HKI = "hki", _("HKI / trademark")
        SNI = "sni", _("SNI")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned (not yet open)")
        OPEN = "open", _("Open for applications")
        CLOSED = "closed", _("Under way (applications closed)")
        COMPLETED = "completed", _("Completed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("code"), max_length=20, blank=True, editable=False)
    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    certification = models.CharField(
        _("certificate facilitated"), max_length=6, choices=Certification.choices, blank=True
    )
    organiser = models.ForeignKey(
        Partner,
        verbose_name=_("organised by a partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
        help_text=_("Leave empty when the Dinas organises it."),
    )
    quota = models.PositiveIntegerField(_("places"))
    # A participant who attended at least this share of the sessions held may get a completion certificate.
    min_attendance = models.PositiveSmallIntegerField(
        _("attendance needed for the certificate (%)"), default=75
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    # Eligibility: an empty list or set means "any".
    eligible_sectors = models.JSONField(_("KBLI categories"), default=list, blank=True)
    eligible_scales = models.JSONField(_("scales"), default=list, blank=True)
    eligible_kecamatan = models.ManyToManyField(
        Region,
        verbose_name=_("kecamatan"),
        blank=True,
        limit_choices_to={"level": Region.Level.KECAMATAN},
        related_name="+",
    )
    eligible_forums = models.ManyToManyField(Forum, verbose_name=_("forums"), blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "-id"]
        indexes = [
            # The programme list and the reports, newest first and by year.
            models.Index(fields=["starts_on", "id"], name="programme_starts_idx"),
            # Owners' list of programmes open for applications.
            models.Index(fields=["status", "starts_on"], name="programme_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def organiser_name(self) -> str:
        return self.organiser.name if self.organiser_id else str(_("Dinas Koperasi dan UKM"))

    @property
    def is_cohort(self) -> bool:
        return self.kind == self.Kind.ACCELERATION


class Session(models.Model):
    """A gathering that takes attendance: a session of a programme, or a forum's meeting or activity."""

    class Kind(models.TextChoices):
        SESSION = "session", _("Programme session")
        MEETING = "meeting", _("Forum meeting")
        ACTIVITY = "activity", _("Joint activity")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )
    forum = models.ForeignKey(Forum, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SESSION)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(programme__isnull=False, forum__isnull=True)
                | Q(programme__isnull=True, forum__isnull=False),
                name="session_of_programme_or_forum",
            )
        ]
        indexes = [
            # A programme's sessions in order; a forum's activities in order (forum page).
            models.Index(fields=["programme", "starts_at"], name="session_programme_idx"),
            models.Index(fields=["forum", "starts_at"], name="session_forum_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class EnrolmentQuerySet(models.QuerySet):
    def participating(self):
        """Those who take (or took) part: accepted, not withdrawn."""
        return self.filter(status=Enrolment.Status.ACCEPTED)


class Enrolment(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied, waiting for selection")
        ACCEPTED = "accepted", _("Participant")
        WAITLISTED = "waitlisted", _("On the waiting list")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECLINED = "declined", _("Not selected")

    class Source(models.TextChoices):
        OFFICER = "officer", _("Enrolled by an officer")
        OWNER = "owner", _("Applied by the owner")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="enrolments")
    sme = models.ForeignKey(Sme, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    motivation = models.TextField(_("why the business applies"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # Waiting-list order: who waited longest moves up first.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "sme"], name="enrolment_once")]
        indexes = [
            # A programme's participants, applicants and waiting list.
            models.Index(fields=["programme", "status", "waitlisted_at"], name="enrolment_status_idx"),
            # An SME's programmes (owner's page, reach reports by SME).
            models.Index(fields=["sme", "status"], name="enrolment_sme_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sme} — {self.programme}"


class AttendanceCard(models.Model):
    """The QR and short code an SME shows at the door, for one programme or one forum."""

    code = models.CharField(_("short code"), max_length=8, unique=True)
    sme = models.ForeignKey(Sme, on_delete=models.CASCADE, related_name="attendance_cards")
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    forum = models.ForeignKey(Forum, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance card")
        verbose_name_plural = _("attendance cards")
        constraints = [
            models.UniqueConstraint(fields=["sme", "programme"], name="card_once_per_programme"),
            models.UniqueConstraint(fields=["sme", "forum"], name="card_once_per_forum"),
            models.CheckConstraint(
                condition=Q(programme__isnull=False, forum__isnull=True)
                | Q(programme__isnull=True, forum__isnull=False),
                name="card_of_programme_or_forum",
            ),
        ]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        """ABC-234: two halves are easier to read out and to type."""
        return f"{self.code[:3]}-{self.code[3:]}"


class Attendance(models.Model):
    class Method(models.TextChoices):
        QR = "qr", _("QR scanned")
        CODE = "code", _("Short code typed")
        LIST = "list", _("Name ticked")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    sme = models.ForeignKey(Sme, on_delete=models.PROTECT, related_name="attendances")
    method = models.CharField(_("how"), max_length=4, choices=Method.choices)
    # When the person came in: for a check-in kept on a phone while offline, when it was taken there.
    checked_in_at = models.DateTimeField(_("checked in at"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The outbox's idempotency key: the same check-in sent twice is recorded once.
    client_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["-checked_in_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["session", "sme"], name="attendance_once")]
        indexes = [
            # An SME's attendance across sessions (participant page, certificate threshold).
            models.Index(fields=["sme", "session"], name="attendance_sme_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sme} @ {self.session}"


class Outcome(models.Model):
    """What a participant obtained through a programme: a certificate (which updates the registry's
    legality records) or an improved product."""

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("Certificate obtained")
        PRODUCT = "product", _("Product improved")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    certificate = models.CharField(
        _("certificate"), max_length=6, choices=Programme.Certification.choices, blank=True
    )
    number = models.CharField(_("number"), max_length=40, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    permit = models.ForeignKey(
        "registry.Permit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("what improved"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        if self.kind == self.Kind.CERTIFICATE:
            return f"{self.get_certificate_display()} {self.number}"
        return self.description[:80]


class CompletionCertificate(models.Model):
    """A participant's certificate of completion; its QR leads to a public page that verifies it."""

    # Unguessable: the public page is found only through the certificate itself.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("number"), max_length=40, unique=True)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("completion certificate")
        verbose_name_plural = _("completion certificates")

    def __str__(self) -> str:
        return self.number


class Mentor(RegencyOwned):
    """A pendamping or clinic consultant: a Dinas officer or a partner's person.

    With a user account (an officer's or a partner user's) they see their own SMEs, visits, KPI
    reports and consultations; without one, officers record for them.
    """

    name = models.CharField(_("name"), max_length=150)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentor",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentors",
        help_text=_("Leave empty for a Dinas officer."),
    )
    expertise = models.CharField(_("expertise"), max_length=200, blank=True)
    is_consultant = models.BooleanField(_("consults at the clinic"), default=False)
    topics = models.JSONField(_("clinic topics"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_name(self) -> str:
        if self.partner_id:
            return self.partner.name
        if self.user_id and self.user.role == "partner" and self.user.organisation:
            return self.user.organisation
        return str(_("Dinas Koperasi dan UKM"))

    def topic_labels(self) -> list[str]:
        return [Topic(t).label for t in self.topics if t in Topic.values]


class MentorAssignment(models.Model):
    """A mentor assigned to an SME, on its own or within a cohort (programme)."""

    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="assignments")
    sme = models.ForeignKey(Sme, on_delete=models.PROTECT, related_name="mentor_assignments")
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="mentor_assignments"
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentor assignment")
        verbose_name_plural = _("mentor assignments")
        ordering = ["-started_on", "-id"]
        constraints = [
            # One current mentor per SME per cohort (or outside any cohort).
            models.UniqueConstraint(
                fields=["sme", "programme"],
                condition=Q(ended_on__isnull=True),
                name="assignment_one_current",
            ),
            models.UniqueConstraint(
                fields=["sme"],
                condition=Q(ended_on__isnull=True, programme__isnull=True),
                name="assignment_one_current_outside_cohort",
            ),
        ]
        indexes = [
            # A mentor's current SMEs.
            models.Index(fields=["mentor", "ended_on"], name="assignment_mentor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.sme}"


class Visit(models.Model):
    assignment = models.ForeignKey(MentorAssignment, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    notes = models.TextField(_("notes"))
    next_steps = models.TextField(_("next steps"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentoring visit")
        verbose_name_plural = _("mentoring visits")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.assignment.sme} {self.visited_on}"


def kpi_photo_path(report: "KpiReport", filename: str) -> str:
    # The stored name says nothing about the business; the file is served only through a guarded view.
    return f"programs/kpi/{report.enrolment.programme_id}/{uuid.uuid4().hex}.jpg"


class KpiReport(models.Model):
    """An acceleration-cohort SME's figures for one week (Monday to Sunday)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="kpi_reports")
    week_start = models.DateField(_("week of"))
    turnover = models.BigIntegerField(_("turnover (Rp)"))
    orders = models.PositiveIntegerField(_("orders"))
    note = models.TextField(_("note"), blank=True)
    photo = models.ImageField(_("photo"), upload_to=kpi_photo_path, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    client_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("mentor's comment"), blank=True)

    class Meta:
        verbose_name = _("weekly KPI report")
        verbose_name_plural = _("weekly KPI reports")
        ordering = ["week_start", "id"]
        # Also serves the cohort page: a participant's weeks in order.
        constraints = [models.UniqueConstraint(fields=["enrolment", "week_start"], name="kpi_once_a_week")]

    def __str__(self) -> str:
        return f"{self.enrolment.sme} {self.week_start}"


class RiskTask(models.Model):
    """A cohort SME whose turnover fell by 30% or more over two weeks, for its mentor to act on."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="risk_tasks")
    mentor = models.ForeignKey(
        Mentor, null=True, blank=True, on_delete=models.SET_NULL, related_name="risk_tasks"
    )
    week_start = models.DateField(_("week of"))
    turnover_before = models.BigIntegerField(_("turnover two weeks before (Rp)"))
    turnover_after = models.BigIntegerField(_("turnover this week (Rp)"))
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("what was done"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("at-risk task")
        verbose_name_plural = _("at-risk tasks")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "week_start"], name="risk_once_a_week"),
            # While one task is open, a further drop is the same problem, not a new task.
            models.UniqueConstraint(fields=["enrolment"], condition=Q(status="open"), name="risk_one_open"),
        ]
        indexes = [
            # A mentor's open tasks.
            models.Index(fields=["mentor", "status"], name="risk_mentor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.sme} {self.week_start}"

    @property
    def drop_percent(self) -> int:
        if not self.turnover_before:
            return 0
        return round(100 * (self.turnover_before - self.turnover_after) / self.turnover_before)


class ClinicSlot(models.Model):
    """A consultation slot of a consultant at the clinic (PLUT) or online."""

    consultant = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="clinic_slots")
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=45)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("clinic slot")
        verbose_name_plural = _("clinic slots")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consultant", "starts_at"], name="slot_once"),
        ]
        indexes = [
            # Free slots from now on, the clinic's schedule.
            models.Index(fields=["starts_at"], name="slot_starts_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.consultant} {self.starts_at:%Y-%m-%d %H:%M}"


class ClinicBooking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        DONE = "done", _("Consulted")
        NO_SHOW = "no_show", _("Did not come")
        CANCELLED = "cancelled", _("Cancelled")

    slot = models.ForeignKey(ClinicSlot, on_delete=models.PROTECT, related_name="bookings")
    sme = models.ForeignKey(Sme, on_delete=models.PROTECT, related_name="clinic_bookings")
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    question = models.TextField(_("question"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    advice = models.TextField(_("advice given"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    # An outcome counts in reports only once a second officer (not the consultant) has verified it.
    outcome_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("clinic booking")
        verbose_name_plural = _("clinic bookings")
        ordering = ["-booked_at", "-id"]
        constraints = [
            # A slot holds one booking; a cancelled booking frees it.
            models.UniqueConstraint(
                fields=["slot"], condition=~Q(status="cancelled"), name="booking_one_per_slot"
            ),
        ]
        indexes = [
            # An SME's bookings (owner's clinic page).
            models.Index(fields=["sme", "status"], name="booking_sme_idx"),
            # The queue of outcomes waiting for a second officer.
            models.Index(fields=["outcome_verified_at", "outcome_recorded_at"], name="booking_verify_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sme} — {self.get_topic_display()}"

    @property
    def outcome_verified(self) -> bool:
        return self.outcome_verified_at is not None


class Referral(models.Model):
    """Where a consultant sent the SME next: a programme, a partner, a permit office."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("A programme")
        PARTNER = "partner", _("A partner")
        PERMIT_OFFICE = "office", _("A permit office")

    booking = models.ForeignKey(ClinicBooking, on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(_("referred to"), max_length=10, choices=Kind.choices)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    office = models.CharField(_("permit office"), max_length=150, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["id"]

    def __str__(self) -> str:
        target = self.programme or self.partner or self.office
        return f"{self.get_kind_display()}: {target}"

"""One record per SME (UMKM) and per cooperative: what every other area points to."""

import datetime as dt
import re
import uuid

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sentra.regions.models import RegencyOwned, Region


class Scale(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large (not an SME)")


class ScaleBasis(models.TextChoices):
    CAPITAL = "capital", _("Capital")
    TURNOVER = "turnover", _("Yearly sales")


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


def _region_fk(verbose_name, level, related_name, **kwargs):
    return models.ForeignKey(
        Region,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"level": level},
        related_name=related_name,
        **kwargs,
    )


class Owner(RegencyOwned):
    """The natural person behind one or more businesses (SIDT: one NIK, several businesses)."""

    PERSONAL_FIELDS = ("nik", "birth_date", "phone", "address")

    nik = models.CharField(_("NIK"), max_length=16, null=True, blank=True, unique=True)
    name = models.CharField(_("owner name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    has_disability = models.BooleanField(_("has a disability"), null=True, blank=True)
    education = models.CharField(_("formal education"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("home address"), max_length=300, blank=True)
    rt = models.CharField(_("RT"), max_length=4, blank=True)
    rw = models.CharField(_("RW"), max_length=4, blank=True)
    desa = _region_fk(_("desa / kelurahan"), Region.Level.DESA, "+")
    kecamatan = _region_fk(_("kecamatan"), Region.Level.KECAMATAN, "+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("owner")
        verbose_name_plural = _("owners")

    def __str__(self) -> str:
        return self.name


class Forum(RegencyOwned):
    """An SME forum. One per kecamatan by default, but kept editable, not tied to kecamatan by code."""

    name = models.CharField(_("name"), max_length=150)
    kecamatan = _region_fk(_("kecamatan"), Region.Level.KECAMATAN, "forums")
    coordinator = models.ForeignKey(
        "Sme",
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("SME forum")
        verbose_name_plural = _("SME forums")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SmeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(merged_into__isnull=True)

    def verified(self):
        return self.filter(status=Sme.Status.VERIFIED)

    def in_kecamatan(self, kecamatan):
        return self.filter(kecamatan=kecamatan)

    def for_user(self, user):
        """The SMEs a user may see: Dinas staff by scope, SME owners their own, nobody else any."""
        from sentra.accounts.models import Role

        if not (user.is_authenticated and user.is_active):
            return self.none()
        qs = self.active()
        if user.role == Role.ADMIN:
            return qs
        if user.role == Role.OFFICER:
            scope = user.kecamatan_scope()
            return qs if scope is None else qs.filter(kecamatan_id__in=scope)
        if user.role == Role.SME_OWNER:
            return qs.filter(accounts=user)
        return self.none()


# Conditions of the partial indexes below, written as the list's filters write them (forms.py): a
# partial index serves a query only when the query repeats its condition.
_ACTIVE = models.Q(merged_into__isnull=True)
_NO_NPWP = models.Q(npwp="")


class Sme(RegencyOwned):
    """An SME (UMKM) in the registry."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        INACTIVE = "inactive", _("Inactive")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered in Sentra")
        IMPORT = "import", _("Spreadsheet import")
        SIDT = "sidt", _("SIDT national export")

    PERSONAL_FIELDS = ("phone", "whatsapp")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("business name"), max_length=200)
    brand = models.CharField(_("brand"), max_length=150, blank=True)
    owner = models.ForeignKey(
        Owner, verbose_name=_("owner"), null=True, blank=True, on_delete=models.PROTECT, related_name="smes"
    )
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("owner accounts"), blank=True, related_name="smes"
    )
    phone = models.CharField(_("phone / WhatsApp"), max_length=20, blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("business address"), max_length=300, blank=True)
    rt = models.CharField(_("RT"), max_length=4, blank=True)
    rw = models.CharField(_("RW"), max_length=4, blank=True)
    # No single-column indexes: the list's composite indexes begin with these columns (0004), and
    # every index is paid for on each row an import writes.
    desa = _region_fk(_("desa / kelurahan"), Region.Level.DESA, "+", db_index=False)
    kecamatan = _region_fk(_("kecamatan"), Region.Level.KECAMATAN, "+", db_index=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    kbli_code = models.CharField(_("KBLI code"), max_length=5, blank=True)
    kbli_version = models.PositiveSmallIntegerField(_("KBLI version"), null=True, blank=True)
    kbli_category = models.CharField(_("KBLI category"), max_length=1, blank=True)
    main_activity = models.CharField(_("main activity"), max_length=300, blank=True)
    products = models.TextField(_("products"), blank=True)
    legal_form = models.CharField(_("legal form"), max_length=60, blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    start_month = models.PositiveSmallIntegerField(_("start month"), null=True, blank=True)

    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    workers_paid_male = models.PositiveIntegerField(_("paid workers, men"), null=True, blank=True)
    workers_paid_female = models.PositiveIntegerField(_("paid workers, women"), null=True, blank=True)
    workers_paid_disabled_male = models.PositiveIntegerField(
        _("paid workers with disability, men"), null=True, blank=True
    )
    workers_paid_disabled_female = models.PositiveIntegerField(
        _("paid workers with disability, women"), null=True, blank=True
    )
    workers_unpaid_male = models.PositiveIntegerField(_("unpaid workers, men"), null=True, blank=True)
    workers_unpaid_female = models.PositiveIntegerField(_("unpaid workers, women"), null=True, blank=True)
    workers_unpaid_disabled_male = models.PositiveIntegerField(
        _("unpaid workers with disability, men"), null=True, blank=True
    )
    workers_unpaid_disabled_female = models.PositiveIntegerField(
        _("unpaid workers with disability, women"), null=True, blank=True
    )

    capital = models.BigIntegerField(_("declared capital (Rp)"), null=True, blank=True)
    turnover = models.BigIntegerField(_("yearly turnover (Rp)"), null=True, blank=True)
    assets = models.BigIntegerField(_("assets (Rp)"), null=True, blank=True)
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, blank=True)
    scale_basis = models.CharField(
        _("scale decided by"), max_length=10, choices=ScaleBasis.choices, blank=True
    )

    nib = models.CharField(_("NIB"), max_length=13, null=True, blank=True)
    nib_issued_on = models.DateField(_("NIB issued on"), null=True, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    status_note = models.TextField(_("verification note"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    forum = models.ForeignKey(
        Forum,
        verbose_name=_("forum"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        db_index=False,  # sme_forum_name_idx begins with it
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    source_ref = models.CharField(_("source reference"), max_length=64, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Stemmed words of name, brand, owner, NIB and products, for full-text search on SQLite and PostgreSQL.
    search_text = models.TextField(blank=True, editable=False)
    # Spelling-insensitive name, for spotting near-identical names in one desa.
    name_key = models.CharField(max_length=200, blank=True, editable=False)
    # Until when the SME holds a valid permit of a kind, copied from its permits so that the list's
    # legality gaps read one indexed column instead of the permit table: the latest expiry of its
    # halal certificates / P-IRTs, NO_EXPIRY when one of them does not expire, NULL when it holds
    # none. "Halal expired" is `halal_valid_until < today`, "no halal" `IS NULL`. Written only by
    # `refresh_valid_until`, which every permit write calls (see PERMIT_DATE_COLUMNS).
    halal_valid_until = models.DateField(null=True, blank=True, editable=False)
    pirt_valid_until = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SmeQuerySet.as_manager()

    class Meta:
        verbose_name = _("SME")
        verbose_name_plural = _("SMEs")
        ordering = ["name", "id"]
        indexes = [
            # Upsert on import and the "same NIB" duplicate check.
            models.Index(fields=["nib"], name="sme_nib_idx"),
            # Registry list filtered by kecamatan and sorted by name (officers scoped to a kecamatan).
            models.Index(fields=["kecamatan", "name"], name="sme_kecamatan_name_idx"),
            # Registry list filtered by status, the verification queue.
            models.Index(fields=["status", "name"], name="sme_status_name_idx"),
            # Duplicate finder: near-identical names in the same desa.
            models.Index(fields=["desa", "name_key"], name="sme_desa_namekey_idx"),
            # Registry list default order.
            models.Index(fields=["name", "id"], name="sme_name_idx"),
            # Counting the registry list when its filter lives in another table (legality gaps on
            # permits): PostgreSQL checks "not merged" in this small index instead of reading every
            # wide row of the table. (SQLite does the same with its merged_into index.)
            models.Index(
                fields=["id"], condition=models.Q(merged_into__isnull=True), name="sme_active_id_idx"
            ),
            # Legality gaps "halal expired" (< today) and "no halal certificate" (IS NULL): counted
            # from this index alone (forms.gap_condition).
            models.Index(fields=["halal_valid_until"], condition=_ACTIVE, name="sme_halal_until_idx"),
            # Legality gap "P-IRT expired", counted, and its few SMEs found, from this index.
            models.Index(fields=["pirt_valid_until"], condition=_ACTIVE, name="sme_pirt_until_idx"),
            # (Legality gap "no NIB": sme_no_nib_idx, written as SQL in db_indexes.py.)
            # Legality gap "no NPWP": counted from this index alone. On the column the query
            # compares (every entry ''), so that SQLite prefers it to the merged_into index.
            models.Index(fields=["npwp"], condition=_ACTIVE & _NO_NPWP, name="sme_no_npwp_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The permit dates belong to refresh_valid_until: a record read before a permit changed and
        # saved after it must not write its stale copy back.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            # As save() itself would: a record read with .only() saves only what it read.
            skipped = {*PERMIT_DATE_COLUMNS.values(), *self.get_deferred_fields()}
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.attname not in skipped
            ]
        super().save(*args, **kwargs)

    @classmethod
    def history_field(cls, key: str):
        """Labels of the history keys that are not field paths (sentra.core.history): a permit
        recorded (`permit.halal`, an import's `permit_halal`) and its dates (`….expires_on`)."""
        match = _PERMIT_KEY.fullmatch(key)
        if match is None or match["kind"] not in Permit.Kind.values:
            return None
        kind = Permit.Kind(match["kind"]).label
        if not match["date"]:
            return kind, None
        field = Permit._meta.get_field(match["date"])
        return format_lazy("{}: {}", kind, field.verbose_name), field


_PERMIT_KEY = re.compile(r"permit[._](?P<kind>[a-z]+)(?:[._](?P<date>issued_on|expires_on))?")


class ScaleRecord(models.Model):
    """Each scale classification an SME has had, so "naik kelas" can be reported."""

    sme = models.ForeignKey(Sme, on_delete=models.CASCADE, related_name="scale_history")
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices)
    basis = models.CharField(_("decided by"), max_length=10, choices=ScaleBasis.choices)
    capital = models.BigIntegerField(_("capital (Rp)"), null=True, blank=True)
    turnover = models.BigIntegerField(_("turnover (Rp)"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scale record")
        verbose_name_plural = _("scale history")
        ordering = ["sme", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.sme}: {self.scale}"


class Permit(models.Model):
    """A legality document of an SME: halal certificate, P-IRT, BPOM, HKI, SNI."""

    class Kind(models.TextChoices):
        HALAL = "halal", _("Halal certificate")
        PIRT = "pirt", _("P-IRT")
        BPOM = "bpom", _("BPOM MD/ML")
        HKI = "hki", _("HKI / trademark")
        SNI = "sni", _("SNI")

    sme = models.ForeignKey(Sme, on_delete=models.CASCADE, related_name="permits")
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=40)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    # A P-IRT number carries its expiry year; without an entered date, the end of that year is the
    # expiry, so the badge, the "P-IRT expired" filter and the counts agree. Marked, because only the
    # year is known: the page says "(from the number)".
    expiry_derived = models.BooleanField(_("expiry taken from the number"), default=False)

    class Meta:
        verbose_name = _("permit")
        verbose_name_plural = _("permits")
        constraints = [models.UniqueConstraint(fields=["sme", "kind", "number"], name="permit_unique_number")]
        # Legality-gap filters ("halal expired") use permit_kind_expiry_sme_idx (kind, expires_on,
        # sme_id), made by migration 0004.

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def save(self, *args, **kwargs):
        self.expires_on, self.expiry_derived = derived_expiry(
            self.kind, self.number, self.expires_on, self.expiry_derived
        )
        super().save(*args, **kwargs)
        # The SME's copy of its permit dates; also the SME it was moved from, if it was.
        refresh_valid_until({self.sme_id, getattr(self, "_loaded_sme_id", None)})
        self._loaded_sme_id = self.sme_id

    @classmethod
    def from_db(cls, db, field_names, values):
        permit = super().from_db(db, field_names, values)
        permit._loaded_sme_id = permit.__dict__.get("sme_id")
        return permit


# Permit kind → the SME column that keeps until when the SME holds a valid one.
PERMIT_DATE_COLUMNS = {"halal": "halal_valid_until", "pirt": "pirt_valid_until"}
# A permit without an expiry date is valid for good; this date stands for it in those columns.
NO_EXPIRY = dt.date(9999, 12, 31)
_REFRESH_BATCH = 500


def valid_until_values(permit_model=None) -> dict:
    """The permit date columns of an SME as expressions over its permits, for an `UPDATE`.

    The migration that added the columns fills them with these (given its historical Permit).
    """
    from django.db.models import Max, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    permit_model = permit_model or Permit
    return {
        column: Subquery(
            permit_model.objects.filter(sme=OuterRef("pk"), kind=kind)
            .order_by()
            .values("sme")
            .annotate(until=Max(Coalesce("expires_on", Value(NO_EXPIRY))))
            .values("until")
        )
        for kind, column in PERMIT_DATE_COLUMNS.items()
    }


def refresh_valid_until(sme_ids) -> None:
    """Recompute the permit date columns of these SMEs from their permits (any permit write calls
    it: Permit.save and delete, the import's bulk writes, a merge). One `UPDATE` per 500 SMEs."""
    ids = sorted({pk for pk in sme_ids if pk is not None})
    for start in range(0, len(ids), _REFRESH_BATCH):
        Sme.objects.filter(pk__in=ids[start : start + _REFRESH_BATCH]).update(**valid_until_values())


@receiver(post_delete, sender=Permit, dispatch_uid="registry_permit_deleted")
def _permit_deleted(sender, instance, **kwargs):
    refresh_valid_until([instance.sme_id])


def derived_expiry(kind: str, number: str, expires_on, derived: bool):
    """(expires_on, derived) for a permit: a P-IRT without a date gets 31 December of its number's year.

    A date an officer entered always wins; a derived date that was changed is no longer derived.
    Bulk writers (the import) call this for each row, as save() does.
    """
    from .normalize import NormalizationError, pirt_info

    entered = expires_on is not None and not (derived and (expires_on.month, expires_on.day) == (12, 31))
    if kind != "pirt" or entered:
        return expires_on, False
    try:
        year = pirt_info(number)["expiry_year"]
    except (NormalizationError, ValueError):
        return None, False
    return dt.date(year, 12, 31), True


class Cooperative(RegencyOwned):
    class Kind(models.TextChoices):
        CONSUMER = "consumer", _("Consumer")
        PRODUCER = "producer", _("Producer")
        SAVINGS_LOAN = "savings_loan", _("Savings and loan")
        MARKETING = "marketing", _("Marketing")
        SERVICES = "services", _("Services")
        MULTIPURPOSE = "multipurpose", _("Multipurpose")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        DISSOLVED = "dissolved", _("Dissolved")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    legal_entity_number = models.CharField(_("legal entity number"), max_length=60, blank=True)
    nik_koperasi = models.CharField(_("Nomor Induk Koperasi"), max_length=30, blank=True)
    kind = models.CharField(_("type"), max_length=15, choices=Kind.choices)
    members_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    last_rat_date = models.DateField(_("last annual members' meeting (RAT)"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    desa = _region_fk(_("desa / kelurahan"), Region.Level.DESA, "+")
    kecamatan = _region_fk(_("kecamatan"), Region.Level.KECAMATAN, "+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        ordering = ["name"]
        indexes = [
            # Cooperative list filtered by kecamatan.
            models.Index(fields=["kecamatan", "name"], name="coop_kecamatan_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class CooperativeManager(models.Model):
    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="managers")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=60)

    class Meta:
        verbose_name = _("manager")
        verbose_name_plural = _("managers")

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"


class Decision(models.TextChoices):
    PENDING = "pending", _("Waiting for an officer")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ClaimRequest(models.Model):
    """An SME owner's claim on a record the Dinas already holds (imported before they signed up)."""

    class Proof(models.TextChoices):
        NIB = "nib", _("NIB matches")
        NIK = "nik", _("NIK matches, officer approval needed")

    sme = models.ForeignKey(Sme, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sme_claims")
    proof = models.CharField(_("proof"), max_length=4, choices=Proof.choices)
    status = models.CharField(_("status"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} → {self.sme}"


class ChangeRequest(models.Model):
    """An owner's edit to a verified SME: it waits for an officer before it replaces verified values."""

    sme = models.ForeignKey(Sme, on_delete=models.CASCADE, related_name="change_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # {"field": new value as submitted (JSON-safe)}; the old values are read from the SME when reviewing.
    changes = models.JSONField(_("changes"))
    status = models.CharField(_("status"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.sme}: {', '.join(self.changes)}"

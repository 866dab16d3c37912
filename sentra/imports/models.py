import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.regions.models import Region

STALLED_AFTER = dt.timedelta(minutes=15)


class ImportJob(models.Model):
    """One uploaded spreadsheet, from upload through the dry run to the committed rows."""

    class Kind(models.TextChoices):
        SME = "sme", _("SMEs")
        BEBELI = "bebeli", _("Bebeli purchases")

    class Mode(models.TextChoices):
        SKIP_INVALID = "skip_invalid", _("Import the valid rows, skip the others")
        ALL_OR_NOTHING = "all_or_nothing", _("All or nothing: import only if every row is valid")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Checking rows")
        DRY_RUN_READY = "dry_run_ready", _("Checked, ready to import")
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SME)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.SKIP_INVALID)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    regency = models.ForeignKey(Region, verbose_name=_("regency"), on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    sheet_name = models.CharField(_("sheet"), max_length=100, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), default=1)
    # The column headers as found, and the field each column feeds ("" = not imported), by position.
    headers = models.JSONField(_("columns"), default=list)
    mapping = models.JSONField(_("column mapping"), default=list)
    # The first few rows, shown beside each column while mapping.
    samples = models.JSONField(_("sample rows"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=10, default="import")

    total = models.PositiveIntegerField(_("rows"), default=0)
    to_create = models.PositiveIntegerField(_("to create"), default=0)
    to_update = models.PositiveIntegerField(_("to update"), default=0)
    to_keep = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    # Rows imported without a value that could not be used; counted within the numbers above.
    to_warn = models.PositiveIntegerField(_("to import with warnings"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    warned = models.PositiveIntegerField(_("imported with warnings"), default=0)
    progress = models.PositiveIntegerField(_("rows processed"), default=0)
    error_message = models.TextField(_("error"), blank=True)
    # Distinct region spellings the dry run could not match: [{level, scope, spelling, key, candidates, rows}].
    unmatched_regions = models.JSONField(_("unmatched region names"), default=list, blank=True)
    new_forums = models.JSONField(_("forums to create"), default=list, blank=True)
    plan_file = models.FileField(
        _("row-by-row check"), upload_to="imports/plans/", blank=True, max_length=300
    )
    # Rejected rows and rows imported with warnings, each with its reasons (field named before warnings).
    rejected_file = models.FileField(_("report"), upload_to="imports/rejected/", blank=True, max_length=300)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The start page lists a user's recent jobs, newest first.
            models.Index(fields=["uploaded_by", "-created_at"], name="import_job_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_active(self) -> bool:
        """Work is going on in the task worker: its page polls for progress."""
        return self.status in (self.Status.CHECKING, self.Status.QUEUED, self.Status.RUNNING)

    @property
    def seems_stalled(self) -> bool:
        """Active, but nothing reported for a long while: the task worker is probably not running.

        A running job records its progress (and so `updated_at`) every batch of rows, a few seconds
        apart; a quarter of an hour without a word means no worker has it.
        """
        return self.is_active and self.updated_at < timezone.now() - STALLED_AFTER

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.progress * 100 // self.total)


class RegionAlias(models.Model):
    """An officer's answer to "which region is this spelling?", reused by every later import.

    `scope` is the kecamatan code a desa spelling was looked up in ("" for a kecamatan spelling, or a
    desa given without kecamatan), because the same desa name can exist in two kecamatan.
    """

    regency = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(_("level"), max_length=10, choices=Region.Level.choices)
    scope = models.CharField(_("within"), max_length=13, blank=True)
    spelling_key = models.CharField(_("spelling"), max_length=100)
    spelling = models.CharField(_("spelling as written"), max_length=150)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="aliases"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("region name alias")
        verbose_name_plural = _("region name aliases")
        constraints = [
            models.UniqueConstraint(
                fields=["regency", "level", "scope", "spelling_key"], name="region_alias_unique_spelling"
            )
        ]

    def __str__(self) -> str:
        return f"{self.spelling} → {self.region}"

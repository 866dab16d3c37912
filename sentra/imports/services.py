"""Import services: upload, map, check (dry run), commit, and the one-call `import_file`.

The commit of a skip-invalid import is not one transaction on purpose: each batch of rows commits on
its own, with its audit entries and the job's progress, so a crash leaves whole batches only and the
progress bar moves. An all-or-nothing import runs in one transaction.
"""

import json
import logging
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sentra.accounts.models import Role
from sentra.core.audit import log_action
from sentra.core.models import AuditEntry
from sentra.regions.models import Region

from . import kinds
from .engine import ACTION_LABELS, REJECT, ImportAborted, RowPass, reason_text
from .models import ImportJob, RegionAlias
from .readers import FileRejected, max_bytes, open_table, too_large
from .rows import RowError

logger = logging.getLogger(__name__)
PLAN_PAGE_SIZE = 50
SAMPLE_ROWS = 3


class MappingError(ValueError):
    """A column mapping that cannot be used; `messages` are for the user."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def home_regency() -> Region:
    return Region.objects.get(code=settings.SENTRA_HOME_REGENCY)


def jobs_for_user(user):
    """Admins see every import; an officer sees the imports they uploaded."""
    jobs = ImportJob.objects.select_related("uploaded_by")
    if user.role == Role.ADMIN:
        return jobs
    return jobs.filter(uploaded_by=user)


# --- upload and mapping ---------------------------------------------------------------------------


def create_job(
    *,
    file: File,
    name: str,
    actor,
    mode: str = ImportJob.Mode.SKIP_INVALID,
    regency=None,
    kind: str = ImportJob.Kind.SME,
) -> ImportJob:
    """Store an uploaded file and read its header. Raises FileRejected (and keeps nothing) if unreadable."""
    if file.size is not None and file.size > max_bytes():
        raise too_large()
    if mode not in ImportJob.Mode.values:
        raise ValueError(f"unknown mode {mode!r}")
    spec = kinds.get(kind)
    job = ImportJob(
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        kind=kind,
        mode=mode,
        original_name=Path(name).name[:255],
    )
    job.file.save(Path(name).name, file, save=False)
    try:
        table = open_table(Path(job.file.path), name=name, recognise=spec.recognise)
        try:
            samples = [_sample(raw) for _number, raw in islice(_filled(table.rows), SAMPLE_ROWS)]
            if not samples:
                raise FileRejected("no_rows", _("The file has a header row but no rows under it."))
        finally:
            if table.close:
                table.close()
    except FileRejected:
        job.file.delete(save=False)
        raise
    job.regency = regency or home_regency()
    job.headers = table.headers
    job.header_row = table.header_row
    job.sheet_name = table.sheet_name[:100]
    job.samples = samples
    job.mapping = [key or "" for key in spec.match_headers(table.headers)]
    job.source = spec.source(table.headers)
    with transaction.atomic():
        job.save()
        log_action(
            actor=actor, verb="imports.job.uploaded", obj=job, action=AuditEntry.Action.CREATE,
            changes={"file": [None, job.original_name], "kind": [None, job.kind], "mode": [None, job.mode]},
        )  # fmt: skip
    return job


def _filled(rows):
    return ((n, raw) for n, raw in rows if any(v not in (None, "") for v in raw))


def _sample(raw: list[Any]) -> list[str]:
    return [_cell_text(value) for value in raw]


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return "" if value is None else str(value)[:60]


def check_mapping(mapping: list[str], kind: str = ImportJob.Kind.SME) -> list[str]:
    """Reasons a mapping cannot be used, for the user; empty when it is fine."""
    spec = kinds.get(kind)
    FIELDS_BY_KEY = spec.fields_by_key  # noqa: N806
    problems = []
    chosen = [key for key in mapping if key and not FIELDS_BY_KEY[key].ignored]
    for key in spec.required:
        if key not in chosen:
            problems.append(
                gettext("Choose the column that holds the %(field)s.") % {"field": FIELDS_BY_KEY[key].label}
            )
    for key in sorted({k for k in chosen if chosen.count(k) > 1}):
        problems.append(
            gettext("%(field)s is chosen for more than one column.") % {"field": FIELDS_BY_KEY[key].label}
        )
    return problems


def set_mapping(*, job: ImportJob, mapping: list[str], mode: str, actor) -> ImportJob:
    fields = kinds.get(job.kind).fields_by_key
    if len(mapping) != len(job.headers) or any(key and key not in fields for key in mapping):
        raise MappingError([gettext("The column mapping does not fit this file.")])
    problems = check_mapping(mapping, job.kind)
    if problems:
        raise MappingError(problems)
    if job.status not in (ImportJob.Status.UPLOADED, ImportJob.Status.DRY_RUN_READY):
        raise MappingError([gettext("This import has already started.")])
    with transaction.atomic():
        changes = {}
        if mapping != job.mapping:
            changes["mapping"] = [job.mapping, mapping]
        if mode != job.mode:
            changes["mode"] = [job.mode, mode]
        job.mapping, job.mode = mapping, mode
        job.status = ImportJob.Status.UPLOADED
        # A failed background check's message is about the previous attempt.
        job.error_message = ""
        job.save(update_fields=["mapping", "mode", "status", "error_message", "updated_at"])
        if changes:
            log_action(actor=actor, verb="imports.job.mapped", obj=job, changes=changes)
    return job


def map_and_check(*, job: ImportJob, mapping: list[str], mode: str, actor) -> ImportJob:
    """Save the officer's column choices and check every row with them (a large file: in the worker)."""
    set_mapping(job=job, mapping=mapping, mode=mode, actor=actor)
    return _check(job=job, actor=actor)


def map_regions(*, job: ImportJob, answers: dict[int, str], actor) -> ImportJob:
    """Save the regions chosen for unmatched spellings, then check the rows again with them."""
    save_region_aliases(job=job, answers=answers, actor=actor)
    return _check(job=job, actor=actor)


def _check(*, job: ImportJob, actor) -> ImportJob:
    if checks_in_background(job):
        return queue_check(job=job, actor=actor)
    return run_dry_run(job=job)


# --- dry run ----------------------------------------------------------------------------------------


def run_dry_run(*, job: ImportJob) -> ImportJob:
    """Check every row without writing any SME; store counts, the row-by-row plan and rejected rows."""
    run, outcome = _check_rows(job)
    with transaction.atomic():
        _store_check(job, run, outcome)
    return job


def _check_rows(job: ImportJob, *, on_progress=None) -> tuple[RowPass, Any]:
    problems = check_mapping(job.mapping, job.kind)
    if problems:
        raise MappingError(problems)
    run = kinds.get(job.kind).make_pass(job, write=False, on_progress=on_progress)
    return run, run.run()


def _store_check(job: ImportJob, run: RowPass, outcome) -> None:
    run.save_files()
    _record_check(job, outcome)
    job.status = ImportJob.Status.DRY_RUN_READY
    job.error_message = ""
    job.save()


def checks_in_background(job: ImportJob) -> bool:
    """Whether the file is large enough that checking it would outlast a web request."""
    try:
        size = job.file.size
    except OSError:
        return False  # the file is gone: the check in the request says so at once
    return size >= settings.SENTRA_IMPORT_BACKGROUND_CHECK_MB * 1024 * 1024


def queue_check(*, job: ImportJob, actor) -> ImportJob:
    """Hand the dry run to the task worker once this transaction commits; the job page shows its progress."""
    from .tasks import check_import

    startable = (ImportJob.Status.UPLOADED, ImportJob.Status.DRY_RUN_READY)
    with transaction.atomic():
        # Only one request may start the check: a second click finds the job checking already.
        started = ImportJob.objects.filter(pk=job.pk, status__in=startable).update(
            status=ImportJob.Status.CHECKING, progress=0, error_message="", updated_at=timezone.now()
        )
        if not started:
            raise MappingError([gettext("This import has already started.")])
        before, job.status, job.progress, job.error_message = job.status, ImportJob.Status.CHECKING, 0, ""
        log_action(
            actor=actor, verb="imports.job.check_queued", obj=job, changes={"status": [before, "checking"]}
        )
        transaction.on_commit(lambda: check_import.enqueue(job_id=job.pk))
    return job


def check_job(*, job: ImportJob) -> ImportJob:
    """The dry run of a job queued by `queue_check`, in the task worker. Never raises for a problem in
    the file or the mapping: the job goes back to the column choices with the reason."""
    if job.status != ImportJob.Status.CHECKING:
        return job

    def report(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKING).update(
            progress=done, updated_at=timezone.now()
        )

    try:
        run, outcome = _check_rows(job, on_progress=report)
        with transaction.atomic():
            _store_check(job, run, outcome)
            log_action(
                actor=job.uploaded_by, verb="imports.job.checked", obj=job,
                changes={"status": ["checking", job.status], "rows": [None, job.total],
                         "rejected": [None, job.rejected], "with_warnings": [None, job.to_warn]},
            )  # fmt: skip
    except MappingError as exc:
        return _check_failed(job, " ".join(exc.messages))
    except FileRejected as exc:
        return _check_failed(job, str(exc))
    except Exception as exc:
        # The type only: a database error's message can quote the row's values, NIK included.
        logger.error("Check of import %s failed with %s", job.public_id, type(exc).__name__)  # noqa: TRY400
        return _check_failed(
            job,
            gettext(
                "The check stopped because of an unexpected error; nothing was written. "
                "Choose “Check the rows” to try again."
            ),
        )
    return job


def _check_failed(job: ImportJob, message: str) -> ImportJob:
    with transaction.atomic():
        job.refresh_from_db()
        job.status = ImportJob.Status.UPLOADED
        job.progress = 0
        job.error_message = message
        job.save(update_fields=["status", "progress", "error_message", "updated_at"])
        log_action(actor=job.uploaded_by, verb="imports.job.check_failed", obj=job, note=message[:500])
    return job


def _record_check(job: ImportJob, outcome) -> None:
    job.total, job.to_create, job.to_update = outcome.total, outcome.create, outcome.update
    job.to_keep, job.rejected, job.to_warn = outcome.keep, outcome.reject, outcome.warned
    job.unmatched_regions = _unmatched_for_display(job, list(outcome.unmatched.values()))
    job.new_forums = sorted(outcome.new_forums.values())


def _unmatched_for_display(job: ImportJob, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = {r.code: r.name for r in Region.objects.within(job.regency).filter(level=Region.Level.KECAMATAN)}
    for entry in entries:
        entry["scope_name"] = names.get(entry["scope"], "")
    return sorted(
        entries, key=lambda e: (e["level"] != Region.Level.KECAMATAN, e["scope"], e["spelling"].lower())
    )


def region_chooser(job: ImportJob):
    """For each unmatched spelling, the regions it may be mapped to: close matches first, then all of
    its level (within its kecamatan for a desa). One query, however many spellings."""
    regions: list[tuple[str, str, str]] = []

    def choices(entry: dict[str, Any]) -> list[tuple[str, str]]:
        if not regions:
            regions.extend(
                Region.objects.within(job.regency)
                .filter(level__in=[Region.Level.KECAMATAN, Region.Level.DESA])
                .order_by("name")
                .values_list("code", "name", "level")
            )
        scope = entry["scope"] + "." if entry["scope"] else ""
        fitting = [(c, n) for c, n, level in regions if level == entry["level"] and c.startswith(scope)]
        close = [(c, n) for c, n in fitting if n in entry["candidates"]]
        return close + [c for c in fitting if c not in close]

    return choices


def save_region_aliases(*, job: ImportJob, answers: dict[int, str], actor) -> int:
    """Remember the region chosen for each unmatched spelling (index in job.unmatched_regions -> code)."""
    entries = job.unmatched_regions
    saved = 0
    with transaction.atomic():
        for index, code in answers.items():
            if not code or not 0 <= index < len(entries):
                continue
            entry = entries[index]
            region = Region.objects.within(job.regency).filter(code=code, level=entry["level"]).first()
            if region is None or (entry["scope"] and not region.code.startswith(entry["scope"] + ".")):
                raise MappingError([gettext("%(code)s is not a region to choose here.") % {"code": code}])
            alias, _created = RegionAlias.objects.update_or_create(
                regency=job.regency, level=entry["level"], scope=entry["scope"], spelling_key=entry["key"],
                defaults={"region": region, "spelling": entry["spelling"][:150], "created_by": actor},
            )  # fmt: skip
            log_action(
                actor=actor, verb="imports.region_alias.saved", obj=alias, action=AuditEntry.Action.CREATE,
                changes={"spelling": [None, entry["spelling"]], "region": [None, region.name]},
            )  # fmt: skip
            saved += 1
    return saved


def read_plan(job: ImportJob) -> tuple[list[int], str, dict[int, list]]:
    if not job.plan_file:
        return [], "", {}
    with job.plan_file.open("rb") as f:
        data = json.load(f)
    return data["numbers"], data["actions"], {int(k): v for k, v in data["reasons"].items()}


WITH_WARNINGS = "w"


@dataclass
class PlanRow:
    number: int
    action: str
    label: str
    reasons: list[RowError]  # why it is rejected
    warnings: list[RowError]  # values it is imported without


def _warned(action: str, problems: list) -> bool:
    return action != REJECT and bool(problems)


def plan_page(job: ImportJob, *, page: Any = 1, only: str = "") -> Page:
    """One page of the row-by-row check; `only` narrows to one action ("c", "u", "k" or "r") or to the
    rows imported with warnings ("w")."""
    numbers, actions, reasons = read_plan(job)
    if only == WITH_WARNINGS:
        indexes = [i for i, problems in reasons.items() if _warned(actions[i], problems)]
    elif only:
        indexes = [i for i, a in enumerate(actions) if a == only]
    else:
        indexes = range(len(actions))
    paginated = Paginator(indexes, PLAN_PAGE_SIZE).get_page(page)
    rows = []
    for i in paginated.object_list:
        problems = [RowError.from_json(e) for e in reasons.get(i, [])]
        rows.append(PlanRow(
            number=numbers[i], action=actions[i], label=str(ACTION_LABELS[actions[i]]),
            reasons=[p for p in problems if not p.warning], warnings=[p for p in problems if p.warning],
        ))  # fmt: skip
    paginated.object_list = rows
    return paginated


# --- commit -------------------------------------------------------------------------------------------


def queue_commit(*, job: ImportJob, actor) -> ImportJob:
    """Hand the import to the task worker once this transaction commits."""
    from .tasks import commit_import

    if job.status != ImportJob.Status.DRY_RUN_READY:
        raise MappingError([gettext("Check the rows before importing them.")])
    with transaction.atomic():
        job.status = ImportJob.Status.QUEUED
        job.progress = 0
        job.save(update_fields=["status", "progress", "updated_at"])
        log_action(
            actor=actor, verb="imports.job.queued", obj=job, changes={"status": ["dry_run_ready", "queued"]}
        )
        transaction.on_commit(lambda: commit_import.enqueue(job_id=job.pk))
    return job


def restart_stalled(*, job: ImportJob, actor) -> ImportJob:
    """Hand a stalled job to the task worker again, from where a fresh start of its step begins.

    Safe to repeat: a commit upserts by NIB then NIK, so rows an interrupted run already wrote are
    found and left unchanged, and an all-or-nothing run that died was rolled back with its process.
    """
    from .tasks import check_import, commit_import

    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not job.seems_stalled:
            raise MappingError([gettext("This import is still moving; it cannot be started again.")])
        checking = job.status == ImportJob.Status.CHECKING
        before = job.status
        job.status = ImportJob.Status.CHECKING if checking else ImportJob.Status.QUEUED
        job.progress = 0
        job.save(update_fields=["status", "progress", "updated_at"])
        log_action(
            actor=actor, verb="imports.job.restarted", obj=job, changes={"status": [before, job.status]},
            note=gettext("Started again after no progress for a long while."),
        )  # fmt: skip
        task = check_import if checking else commit_import
        transaction.on_commit(lambda: task.enqueue(job_id=job.pk))
    return job


def commit_job(*, job: ImportJob, on_progress=None, record_check: bool = False) -> ImportJob:
    """Write the rows of a queued job. Never raises for a problem in the data: the job records it."""
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING,
        progress=0,
        created=0,
        updated=0,
        unchanged=0,
        warned=0,
        updated_at=timezone.now(),
    )
    if not updated:
        return job  # already taken by another worker, or not queued
    job.refresh_from_db()
    run = kinds.get(job.kind).make_pass(job, write=True, on_progress=on_progress)
    try:
        if job.mode == ImportJob.Mode.ALL_OR_NOTHING:
            with transaction.atomic():
                outcome = run.run()
        else:
            outcome = run.run()
    except ImportAborted as exc:
        return _fail(
            job,
            gettext("Row %(row)s cannot be imported (%(reason)s), so nothing was imported.")
            % {"row": exc.row.number, "reason": reason_text(exc.row.errors)},
            nothing_written=True,
        )
    except FileRejected as exc:
        return _fail(job, str(exc), nothing_written=job.mode == ImportJob.Mode.ALL_OR_NOTHING)
    except Exception as exc:
        # The type only: a database error's message can quote the row's values, NIK included.
        logger.error("Import %s failed with %s", job.public_id, type(exc).__name__)  # noqa: TRY400
        return _fail(
            job,
            gettext("The import stopped because of an unexpected error; the rows written so far are kept.")
            if job.mode == ImportJob.Mode.SKIP_INVALID
            else gettext("The import stopped because of an unexpected error; nothing was imported."),
            nothing_written=job.mode == ImportJob.Mode.ALL_OR_NOTHING,
        )
    with transaction.atomic():
        run.save_files()
        job.total, job.progress = outcome.total, outcome.total
        job.created, job.updated, job.unchanged, job.rejected, job.warned = (
            outcome.create, outcome.update, outcome.keep, outcome.reject, outcome.warned
        )  # fmt: skip
        if record_check:
            _record_check(job, outcome)
        job.status = ImportJob.Status.DONE
        job.finished_at = timezone.now()
        job.error_message = ""
        job.save()
        log_action(
            actor=job.uploaded_by, verb="imports.job.done", obj=job,
            changes={"created": [None, job.created], "updated": [None, job.updated],
                     "unchanged": [None, job.unchanged], "rejected": [None, job.rejected],
                     "with_warnings": [None, job.warned]},
        )  # fmt: skip
    if job.created or job.updated:
        run.after_commit()
    return job


def _fail(job: ImportJob, message: str, *, nothing_written: bool) -> ImportJob:
    with transaction.atomic():
        job.refresh_from_db()
        if nothing_written:
            job.created = job.updated = job.unchanged = job.warned = 0
            job.progress = 0
        job.status = ImportJob.Status.FAILED
        job.error_message = message
        job.finished_at = timezone.now()
        job.save()
        log_action(actor=job.uploaded_by, verb="imports.job.failed", obj=job, note=message[:500])
    return job


def import_file(
    *, path: Path, actor=None, mode: str = "skip_invalid", regency=None, on_progress=None, kind: str = "sme"
) -> ImportJob:
    """Upload, check and commit a file in one call, without the task worker (demo data, the shell).

    The check and the commit are one pass here: the commit runs the dry run's own code with writes
    on, so it checks every row exactly as a dry run would and records the dry run's counts too; a
    separate dry run first would only read and clean every row twice.
    Raises FileRejected when the file cannot be read at all; row problems are in the job's counts.
    """
    path = Path(path)
    with open(path, "rb") as f:
        job = create_job(
            file=File(f, name=path.name), name=path.name, actor=actor, mode=mode, regency=regency, kind=kind
        )
    problems = check_mapping(job.mapping, job.kind)
    if problems:
        return _fail(job, " ".join(problems), nothing_written=True)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
    job.status = ImportJob.Status.QUEUED
    return commit_job(job=job, on_progress=on_progress, record_check=True)


def commit_now(*, job: ImportJob, on_progress=None) -> ImportJob:
    """Commit a checked job in this process, without the task worker."""
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.DRY_RUN_READY).update(
        status=ImportJob.Status.QUEUED
    )
    job.refresh_from_db()
    return commit_job(job=job, on_progress=on_progress)


def report_name(job: ImportJob) -> str:
    return Path(job.rejected_file.name).name if job.rejected_file else ""


def template_file() -> ContentFile:
    """An empty spreadsheet with the Sentra template headers, for officers to fill in."""
    import io

    import xlsxwriter

    from .sme_spec import TEMPLATE_HEADERS

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("UMKM")
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    for c, header in enumerate(TEMPLATE_HEADERS):
        sheet.write_string(0, c, header, bold)
        sheet.set_column(c, c, max(12, len(header) + 2), text)
    book.close()
    return ContentFile(buffer.getvalue(), name="sentra-template-umkm.xlsx")

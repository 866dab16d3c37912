"""`sentra import FILE`: the spreadsheet import from the shell, run in this process (no worker needed)."""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from sentra.accounts.models import User
from sentra.core.permissions import DINAS
from sentra.imports import services
from sentra.imports.engine import REJECT, reason_text
from sentra.imports.models import ImportJob
from sentra.imports.readers import FileRejected
from sentra.imports.rows import RowError
from sentra.imports.sme_spec import FIELDS_BY_KEY

SHOWN_ROWS = 10


class Command(BaseCommand):
    help = "Import SMEs from an .xlsx, .xls, .ods or .csv file (Sentra template or SIDT export)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--mode", choices=ImportJob.Mode.values, default=ImportJob.Mode.SKIP_INVALID)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and report; write nothing."
        )
        parser.add_argument("--user", help="Dinas user the import is recorded as (default: nobody).")

    def handle(self, *args, file: Path, mode: str, dry_run: bool, user: str | None, **options):
        actor = self._actor(user)
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            with open(file, "rb") as f:
                job = services.create_job(
                    file=File(f, name=file.name), name=file.name, actor=actor, mode=mode
                )
            self._print_columns(job)
            problems = services.check_mapping(job.mapping)
            if problems:
                raise CommandError(" ".join(problems))
            services.run_dry_run(job=job)
        except FileRejected as exc:
            raise CommandError(f"{file.name}: {exc}") from None
        self._print_check(job)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        job = services.commit_now(job=job, on_progress=lambda n: self._progress(n, job.total))
        self.stdout.write("")
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(job.error_message)
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {job.created} created, {job.updated} updated, {job.unchanged} unchanged, "
                f"{job.rejected} rejected, {job.warned} imported with warnings."
            )
        )
        if job.rejected_file:
            self.stdout.write(f"Report of rejected rows and warnings, with reasons: {job.rejected_file.path}")

    def _actor(self, username: str | None):
        if not username:
            return None
        try:
            actor = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user {username!r}") from None
        if actor.role not in DINAS:
            raise CommandError(f"{username} is not Dinas staff and may not import")
        return actor

    def _print_columns(self, job: ImportJob) -> None:
        source = " (SIDT export)" if job.source == "sidt" else ""
        self.stdout.write(f"{job.original_name}{source}: header in row {job.header_row}")
        for header, key in zip(job.headers, job.mapping, strict=False):
            target = str(FIELDS_BY_KEY[key].label) if key else "-- not imported --"
            self.stdout.write(f"  {header or '(blank)'} -> {target}")

    def _print_check(self, job: ImportJob) -> None:
        self.stdout.write(
            f"Checked {job.total} rows: {job.to_create} to create, {job.to_update} to update, "
            f"{job.to_keep} unchanged, {job.rejected} rejected, {job.to_warn} imported with warnings."
        )
        for entry in job.unmatched_regions:
            where = f" in {entry['scope_name']}" if entry.get("scope_name") else ""
            close = ", ".join(entry["candidates"]) or "none close"
            self.stdout.write(
                f"  Unknown {entry['level']} {entry['spelling']!r}{where} ({entry['rows']} rows); closest: {close}"
            )
        numbers, actions, reasons = services.read_plan(job)
        problems = {i: [RowError.from_json(e) for e in found] for i, found in reasons.items()}
        rejected = [(numbers[i], [p for p in found if not p.warning]) for i, found in problems.items()
                    if actions[i] == REJECT]  # fmt: skip
        warned = [(numbers[i], [p for p in found if p.warning]) for i, found in problems.items()
                  if actions[i] != REJECT]  # fmt: skip
        self._print_rows("Rejected", rejected)
        self._print_rows("Imported without these values", warned)

    def _print_rows(self, title: str, rows: list[tuple[int, list[RowError]]]) -> None:
        """The first rows with their reasons; the original values are masked where they are personal."""
        if rows:
            self.stdout.write(f"{title}:")
        for number, found in rows[:SHOWN_ROWS]:
            self.stdout.write(f"  Row {number}: {reason_text(found)}")
        if len(rows) > SHOWN_ROWS:
            self.stdout.write(f"  ... and {len(rows) - SHOWN_ROWS} more rows, all in the report")

    def _progress(self, done: int, total: int) -> None:
        self.stdout.write(f"\r{done}/{total} rows", ending="")
        self.stdout.flush()

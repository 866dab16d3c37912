"""The import pass: reads a job's file in batches, decides create/update/unchanged/reject for each row,
and (when writing) saves each batch with bulk queries.

The dry run and the commit are the same pass, so what the officer checked is what gets written; only
`write` differs. Per batch the pass makes a fixed number of queries (existing SMEs by NIB / owner NIK /
name, their owners and permits), never one per row.

A row with warnings is written like any other, without the values warned about; only rejected rows are
left out (and only they stop an all-or-nothing import). Both go to the report the officer downloads.
Which problems reject and which warn is the spec's to say (see sme_spec and rows): this pass only
acts on `row.errors` and `row.warnings`.
"""

import datetime as dt
import gc
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import xlsxwriter
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sentra.accounts.models import Role
from sentra.core.audit import build_entry
from sentra.core.bulk import insert_rows
from sentra.core.masking import mask_value
from sentra.core.models import AuditEntry
from sentra.registry import normalize as norm
from sentra.registry.models import Forum, Owner, Permit, ScaleRecord, Sme, derived_expiry, refresh_valid_until

from .models import ImportJob, RegionAlias
from .readers import FileRejected, Table, open_table
from .rows import MappedRow, RegionResolver, RowError, RowMapper, error, name_key
from .sme_spec import REASON_HEADER

logger = logging.getLogger(__name__)
BATCH_SIZE = 2000
CREATE, UPDATE, KEEP, REJECT = "c", "u", "k", "r"
ACTION_LABELS = {CREATE: _("Create"), UPDATE: _("Update"), KEEP: _("Unchanged"), REJECT: _("Reject")}
CREATED_SME_FIELDS = {"name", "nib", "kecamatan_id", "desa_id", "source_ref", "scale"}
CREATED_OWNER_FIELDS = {"name", "nik"}
# An owner's home address parts are personal data (UU PDP) as much as the NIK is.
SME_PERSONAL = frozenset(Sme.PERSONAL_FIELDS)
OWNER_PERSONAL = {*Owner.PERSONAL_FIELDS, "birth_year", "rt", "rw", "desa", "kecamatan"}


class ImportAborted(Exception):
    """An all-or-nothing import met a row it cannot write; everything is rolled back."""

    def __init__(self, row: MappedRow) -> None:
        super().__init__(row.number)
        self.row = row


@dataclass(slots=True)
class New:
    """A record this import creates: its values, and its id once inserted (no model instance needed)."""

    values: dict[str, Any]
    pk: int | None = None

    @property
    def name(self) -> str:
        return self.values.get("name", "")


@dataclass(slots=True)
class RowPlan:
    row: MappedRow
    action: str = REJECT
    sme: "Sme | New | None" = None
    sme_changes: dict[str, list[Any]] = field(default_factory=dict)
    owner: "Owner | New | None" = None
    owner_new: bool = False
    owner_changes: dict[str, list[Any]] = field(default_factory=dict)
    scale_changed: bool = False
    new_permits: list[tuple[str, str, Any]] = field(default_factory=list)
    permit_updates: list[Permit] = field(default_factory=list)


@dataclass
class Outcome:
    total: int = 0
    create: int = 0
    update: int = 0
    keep: int = 0
    reject: int = 0
    # Rows imported (or to be) without one or more of their values; counted within create/update/keep.
    warned: int = 0
    numbers: list[int] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    reasons: dict[int, list[list]] = field(default_factory=dict)
    unmatched: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    new_forums: dict[str, str] = field(default_factory=dict)

    def count(self, action: str) -> None:
        if action == CREATE:
            self.create += 1
        elif action == UPDATE:
            self.update += 1
        elif action == KEEP:
            self.keep += 1
        else:
            self.reject += 1


def reason_text(errors: list[RowError]) -> str:
    return "; ".join(_reason(e) for e in errors)


def _reason(e: RowError) -> str:
    where = f"{e.column} “{e.original}”" if e.column and e.original else e.column
    return f"{where}: {e.message()}" if where else e.message()


def _batches(rows: Iterator, size: int) -> Iterator[list]:
    while batch := list(islice(rows, size)):
        yield batch


@contextmanager
def fewer_gc_pauses():
    """Let the collector skip what already exists while a pass runs.

    A pass allocates millions of short-lived objects; with the default thresholds the collector keeps
    re-scanning every long-lived object (the whole of Django, the keys seen so far), which cost a
    fifth of the import's time in the benchmark.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _blank_row(raw: list[Any]) -> bool:
    return all(v is None or v == "" or (isinstance(v, str) and not v.strip()) for v in raw)


def _search_text_builder() -> Callable[..., str] | None:
    try:
        from sentra.registry.search import build_search_text
    except ImportError:
        return None
    return build_search_text


_JSON_SAFE = frozenset({str, int, bool, float, type(None)})


def _plain(value: Any) -> Any:
    if type(value) in _JSON_SAFE:
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class RowPass:
    """What every kind of import shares: the file read in batches, each batch decided (and saved when
    writing) by the kind's pass, the counts, the row-by-row plan and the report of rows to fix.

    A kind's pass gives `make_mapper()` (raw row -> a row with `number`, `raw`, `errors`, `warnings`,
    `unmatched`), `_decide(rows)` (-> plans with `row` and `action`) and `_save(plans)`.
    """

    def __init__(
        self,
        job: ImportJob,
        *,
        write: bool,
        on_progress: Callable[[int], None] | None = None,
        batch_size: int | None = None,
    ) -> None:
        self.job = job
        self.write = write
        self.on_progress = on_progress
        self.batch_size = batch_size or BATCH_SIZE
        self.actor = job.uploaded_by
        self.regency = job.regency
        self.all_or_nothing = write and job.mode == ImportJob.Mode.ALL_OR_NOTHING
        actor = self.actor
        self.scope = actor.kecamatan_scope() if actor is not None and actor.role == Role.OFFICER else None
        self.outcome = Outcome()
        self.now = timezone.now()
        self.report_book = None

    def make_mapper(self):
        raise NotImplementedError

    def _decide(self, mapped: list) -> list:
        raise NotImplementedError

    def _save(self, plans: list) -> None:
        raise NotImplementedError

    def after_commit(self) -> None:
        """Work once every row is written (the commit's last transaction has ended)."""

    # --- running ------------------------------------------------------------------------------------

    def run(self) -> Outcome:
        with fewer_gc_pauses():
            return self._run()

    def _run(self) -> Outcome:
        table = open_table(Path(self.job.file.path), name=self.job.original_name)
        try:
            self._check_headers(table)
            mapper = self.make_mapper()
            rows = ((n, raw) for n, raw in table.rows if not _blank_row(raw))
            for raw_batch in _batches(rows, self.batch_size):
                mapped = [mapper.map(number, raw) for number, raw in raw_batch]
                if self.write and not self.all_or_nothing:
                    with transaction.atomic():
                        self._batch(mapped)
                else:
                    self._batch(mapped)
                if self.on_progress:
                    self.on_progress(self.outcome.total)
        finally:
            if table.close:
                table.close()
            self._close_report()
        if self.outcome.total == 0:
            raise FileRejected("no_rows", _("The file has a header row but no rows under it."))
        return self.outcome

    def _check_headers(self, table: Table) -> None:
        if list(table.headers) != list(self.job.headers[: len(table.headers)]):
            raise FileRejected("changed", _("The file's columns are not the ones that were mapped."))

    def _batch(self, mapped: list[MappedRow]) -> None:
        plans = self._decide(mapped)
        if self.all_or_nothing:
            for plan in plans:
                if plan.action == REJECT:
                    raise ImportAborted(plan.row)
        if self.write:
            self._save(plans)
        for plan in plans:
            self._record(plan)
        if self.write and not self.all_or_nothing:
            o = self.outcome
            ImportJob.objects.filter(pk=self.job.pk).update(
                progress=o.total,
                created=o.create,
                updated=o.update,
                unchanged=o.keep,
                rejected=o.reject,
                warned=o.warned,
                updated_at=timezone.now(),  # the job's heartbeat: see ImportJob.seems_stalled
            )
        elif self.all_or_nothing:
            report_progress_outside_transaction(self.job.pk, self.outcome.total)

    def _record(self, plan: RowPlan) -> None:
        o, row = self.outcome, plan.row
        o.total += 1
        o.count(plan.action)
        o.numbers.append(row.number)
        o.actions.append(plan.action)
        if row.errors or row.warnings:
            o.reasons[len(o.numbers) - 1] = [e.as_json() for e in (*row.errors, *row.warnings)]
        for u in row.unmatched:
            entry = o.unmatched.setdefault(
                (u.level, u.scope, u.key),
                {"level": u.level, "scope": u.scope, "spelling": u.spelling, "key": u.key,
                 "candidates": list(u.candidates), "rows": 0, "first_row": row.number},
            )  # fmt: skip
            entry["rows"] += 1
        if plan.action == REJECT:
            self._write_report_row(row, rejected=True)
        elif row.warnings:
            o.warned += 1
            self._write_report_row(row, rejected=False)

    def _note(self, row: MappedRow) -> str:
        return f"{self.job.original_name}, row {row.number} (import {self.job.public_id})"

    # --- the report: rejected rows, and rows imported with warnings -------------------------------

    def _write_report_row(self, row: MappedRow, *, rejected: bool) -> None:
        """The row as the file had it, and a last column saying what became of it and why.

        Rejected rows and rows imported with warnings share one sheet, in the file's order: the
        officer fixes the cells named and uploads the report again, which creates the rejected rows
        and fills in the values the others went without (the import matches them to their records).
        """
        if self.report_book is None:
            self._open_report()
        sheet, r = self.report_sheet, self.report_next_row
        width = len(self.job.headers)
        for c, value in enumerate(row.raw[:width]):
            if isinstance(value, dt.datetime | dt.date):
                sheet.write_datetime(r, c, value, self.report_formats["date"])
            elif isinstance(value, bool | int | float):
                sheet.write(r, c, value)
            elif value not in (None, ""):
                sheet.write_string(r, c, str(value))
        if rejected:
            text = gettext("Rejected: %(reasons)s") % {"reasons": reason_text(row.errors + row.warnings)}
        else:
            text = gettext("Imported without: %(reasons)s") % {"reasons": reason_text(row.warnings)}
        sheet.write_string(r, width, text, self.report_formats["rejected" if rejected else "warned"])
        self.report_next_row += 1

    def _open_report(self) -> None:
        self.report_path = self._scratch_path("report.xlsx")
        book = xlsxwriter.Workbook(str(self.report_path), {"constant_memory": True})
        sheet = book.add_worksheet(gettext("Rows to fix")[:31])
        bold = book.add_format({"bold": True})
        headers = [*self.job.headers, str(REASON_HEADER)]
        for c, header in enumerate(headers):
            sheet.write_string(0, c, header, bold)
        sheet.set_column(len(headers) - 1, len(headers) - 1, 70)
        sheet.freeze_panes(1, 0)
        self.report_book, self.report_sheet, self.report_next_row = book, sheet, 1
        self.report_formats = {
            "date": book.add_format({"num_format": "dd/mm/yyyy"}),
            "rejected": book.add_format({"bg_color": "#F8D7DA"}),
            "warned": book.add_format({"bg_color": "#FFF3CD"}),
        }

    def _close_report(self) -> None:
        if self.report_book is not None:
            self.report_book.close()

    def _scratch_path(self, suffix: str) -> Path:
        folder = Path(self.job.file.path).parent
        return folder / f"job-{self.job.public_id}-{suffix}"

    def save_files(self) -> None:
        """Attach the row-by-row plan and the report to the job (called once the pass succeeded)."""
        o = self.outcome
        plan = {"numbers": o.numbers, "actions": "".join(o.actions), "reasons": o.reasons}
        if self.job.plan_file:
            self.job.plan_file.delete(save=False)
        self.job.plan_file.save("plan.json", ContentFile(json.dumps(plan, separators=(",", ":"))), save=False)
        if self.job.rejected_file:
            self.job.rejected_file.delete(save=False)
        if self.report_book is not None:
            with open(self.report_path, "rb") as f:
                self.job.rejected_file.save(_report_name(self.job), ContentFile(f.read()), save=False)
            self.report_path.unlink(missing_ok=True)


class ImportPass(RowPass):
    """The SME kind: rows become registry SMEs, their owners and permits, matched by NIB then NIK."""

    def __init__(self, job: ImportJob, **kwargs) -> None:
        super().__init__(job, **kwargs)
        aliases = {
            (a.level, a.scope, a.spelling_key): a.region_id
            for a in RegionAlias.objects.filter(regency=self.regency).only(
                "level", "scope", "spelling_key", "region_id"
            )
        }
        self.resolver = RegionResolver(self.regency, aliases)
        self.forums = {name_key(f.name): f for f in Forum.objects.filter(regency=self.regency)}
        self.forums_by_spelling: dict[str, Forum] = {}
        self.build_search_text = _search_text_builder()
        # Keys seen earlier in this file: a second row with the same key is a duplicate, not an update.
        self.seen_nib: dict[str, int] = {}
        self.seen_business: dict[tuple, int] = {}
        # NIK -> owner id for owners this pass created or already updated (0 = would be created).
        self.owner_ids: dict[str, int] = {}
        self.touched_owner_ids: set[int] = set()

    def make_mapper(self) -> RowMapper:
        return RowMapper(
            headers=self.job.headers, mapping=self.job.mapping, resolver=self.resolver, scope=self.scope
        )

    # --- deciding -----------------------------------------------------------------------------------

    def _decide(self, mapped: list[MappedRow]) -> list[RowPlan]:
        plans = [RowPlan(row=row) for row in mapped]
        valid = [p for p in plans if not p.row.errors]
        nibs = {p.row.sme["nib"] for p in valid if "nib" in p.row.sme}
        niks = {p.row.owner["nik"] for p in valid if "nik" in p.row.owner}
        fallback_keys = {
            name_key(p.row.sme["name"]) for p in valid if "nib" not in p.row.sme and "nik" not in p.row.owner
        }
        by_nib: dict[str, list[Sme]] = {}
        by_business: dict[tuple, list[Sme]] = {}
        owners = {o.nik: o for o in Owner.objects.filter(nik__in=niks)} if niks else {}
        existing = self._existing(nibs, [o.pk for o in owners.values()], fallback_keys)
        for sme in existing:
            if sme.nib:
                by_nib.setdefault(sme.nib, []).append(sme)
            by_business.setdefault(self._business_key(sme), []).append(sme)
        for sme in existing:
            if sme.owner and sme.owner.nik:
                owners.setdefault(sme.owner.nik, sme.owner)
        for plan in valid:
            self._match(plan, by_nib, by_business)
        matched_ids = [p.sme.pk for p in valid if p.sme is not None and p.sme.pk]
        permits: dict[int, list[Permit]] = {}
        if matched_ids:
            for permit in Permit.objects.filter(sme_id__in=matched_ids):
                permits.setdefault(permit.sme_id, []).append(permit)
        new_owners: dict[str, New] = {}
        for plan in valid:
            if plan.row.errors:
                continue
            if plan.sme is None and not self.write:
                self._plan_dry_create(plan, owners)
                continue
            self._plan_owner(plan, owners, new_owners)
            self._plan_sme(plan, permits.get(plan.sme.pk, []) if plan.sme is not None else [])
        return plans

    def _existing(self, nibs: set[str], owner_ids: list[int], name_keys: set[str]) -> list[Sme]:
        """The registry's SMEs that rows of this batch may be: by NIB, by owner, by name.

        One query per key, each on its own index. As one query with OR (and the regency, which
        every row shares) the database read the whole table for every batch.
        """
        found: dict[int, Sme] = {}
        base = Sme.objects.active().select_related("owner").order_by()
        for condition in (
            Q(nib__in=nibs) if nibs else None,
            Q(owner_id__in=owner_ids) if owner_ids else None,
            Q(name_key__in=name_keys, nib__isnull=True) if name_keys else None,
        ):
            if condition is not None:
                for sme in base.filter(condition):
                    if sme.regency_id == self.regency.pk:
                        found[sme.pk] = sme
        return list(found.values())

    def _business_key(self, sme: Sme) -> tuple:
        owner = sme.owner
        if owner is not None and owner.nik:
            return ("nik", owner.nik, name_key(sme.name))
        if sme.nib:
            return ("nib", sme.nib)
        return ("name", name_key(sme.name), name_key(owner.name) if owner else "", sme.kecamatan_id)

    def _row_business_key(self, row: MappedRow) -> tuple:
        nik = row.owner.get("nik")
        if nik:
            return ("nik", nik, name_key(row.sme["name"]))
        return (
            "name",
            name_key(row.sme["name"]),
            name_key(row.owner.get("name", "")),
            row.sme.get("kecamatan_id"),
        )

    def _match(self, plan: RowPlan, by_nib: dict, by_business: dict) -> None:
        row = plan.row
        nib = row.sme.get("nib")
        business = self._row_business_key(row)
        if nib:
            first = self.seen_nib.get(nib)
            if first is not None:
                row.errors.append(
                    error(
                        "duplicate_nib",
                        "",
                        _("The same NIB is already in row %(row)s of this file."),
                        row=first,
                    )
                )
                return
            self.seen_nib[nib] = row.number
        if not nib or business[0] == "nik":
            first = self.seen_business.get(business)
            if first is not None:
                row.errors.append(
                    error(
                        "duplicate_row",
                        "",
                        _("The same business is already in row %(row)s of this file."),
                        row=first,
                    )
                )
                return
            self.seen_business[business] = row.number
        candidates = by_nib.get(nib, []) if nib else []
        if not candidates and (not nib or business[0] == "nik"):
            candidates = [s for s in by_business.get(business, []) if not (nib and s.nib and s.nib != nib)]
        if len(candidates) > 1:
            row.errors.append(
                error(
                    "several_matches", "",
                    _("%(count)s records in the registry match this row; merge the duplicates first."),
                    count=len(candidates),
                )
            )  # fmt: skip
            return
        if candidates:
            sme = candidates[0]
            if self.scope is not None and sme.kecamatan_id not in self.scope:
                row.errors.append(
                    error(
                        "existing_outside_scope",
                        "",
                        _("The matching record is in a kecamatan you do not work in."),
                    )
                )
                return
            plan.sme = sme

    def _plan_dry_create(self, plan: RowPlan, owners: dict[str, Owner]) -> None:
        """A new SME in a dry run: nothing to compare, so no model instances to build, only keys to note."""
        plan.action = CREATE
        nik = plan.row.owner.get("nik")
        if nik and nik not in self.owner_ids:
            owner = owners.get(nik)
            self.owner_ids[nik] = owner.pk if owner is not None else 0
            if owner is not None:
                self.touched_owner_ids.add(owner.pk)
        self._forum_id(plan.row)

    def _plan_owner(self, plan: RowPlan, owners: dict[str, Owner], new_owners: dict[str, New]) -> None:
        values = plan.row.owner
        nik = values.get("nik")
        if nik:
            if nik in new_owners:
                plan.owner = new_owners[nik]
                return
            if nik in self.owner_ids:
                # An earlier row of this file named this owner: link to it, the first row's values stand.
                plan.owner = owners.get(nik) or New(
                    {"nik": nik, "name": values["name"]}, self.owner_ids[nik] or None
                )
                return
            owner = owners.get(nik)
            if (
                owner is None
                and plan.sme is not None
                and plan.sme.owner is not None
                and not plan.sme.owner.nik
            ):
                owner = plan.sme.owner  # a NIK-less owner gets the NIK the file now gives
        elif plan.sme is not None:
            owner = plan.sme.owner
        else:
            owner = None
        if owner is None:
            if not values.get("name"):
                return
            owner = New({"regency_id": self.regency.pk, **values})
            plan.owner, plan.owner_new = owner, True
            plan.owner_changes = {k: [None, v] for k, v in values.items()}
            if nik:
                new_owners[nik] = owner
                self.owner_ids[nik] = 0
            return
        plan.owner = owner
        if owner.pk in self.touched_owner_ids:
            return
        self.touched_owner_ids.add(owner.pk)
        if nik:
            self.owner_ids[nik] = owner.pk
        for name, value in values.items():
            old = getattr(owner, name)
            if old != value:
                plan.owner_changes[name] = [old, value]
                setattr(owner, name, value)

    def _plan_sme(self, plan: RowPlan, permits: list[Permit]) -> None:
        if plan.sme is None:
            self._plan_new_sme(plan)
            return
        row, sme = plan.row, plan.sme
        values = dict(row.sme)
        forum_id = self._forum_id(row)
        if forum_id is not None:
            values["forum_id"] = forum_id
        owner_id = plan.owner.pk if plan.owner is not None else None
        for name, value in values.items():
            old = getattr(sme, name)
            if old != value:
                plan.sme_changes[name] = [old, value]
                setattr(sme, name, value)
        if plan.owner is not None and owner_id != sme.owner_id and not plan.owner_new:
            plan.sme_changes["owner_id"] = [sme.owner_id, owner_id]
            sme.owner_id = owner_id
        elif plan.owner_new:
            plan.sme_changes["owner_id"] = [sme.owner_id, None]
        scale, basis = norm.classify_scale(capital=sme.capital, turnover=sme.turnover)
        if scale is not None and (scale, basis) != (sme.scale, sme.scale_basis):
            plan.sme_changes["scale"] = [sme.scale or None, scale]
            sme.scale, sme.scale_basis = scale, basis
            plan.scale_changed = True
        self._plan_permits(plan, permits)
        changed = plan.sme_changes or plan.owner_changes or plan.new_permits or plan.permit_updates
        plan.action = UPDATE if changed else KEEP
        if plan.sme_changes or plan.owner_changes:
            sme.name_key = name_key(sme.name)
            if self.build_search_text is not None:
                sme.search_text = self._search_text(sme.name, sme.brand, sme.nib, sme.products, plan.owner)

    def _plan_new_sme(self, plan: RowPlan) -> None:
        """A new SME is kept as plain values until it is inserted: no model instance per row."""
        row = plan.row
        values = {"regency_id": self.regency.pk, "source": self.job.source, **row.sme}
        forum_id = self._forum_id(row)
        if forum_id is not None:
            values["forum_id"] = forum_id
        # The audit entry of a created SME keeps what identifies it (see _entries).
        plan.sme_changes = {k: [None, v] for k, v in row.sme.items() if k in CREATED_SME_FIELDS}
        scale, basis = norm.classify_scale(capital=values.get("capital"), turnover=values.get("turnover"))
        if scale is not None:
            values["scale"], values["scale_basis"] = scale, basis
            plan.sme_changes["scale"] = [None, scale]
            plan.scale_changed = True
        values["name_key"] = name_key(values["name"])
        if self.build_search_text is not None:
            values["search_text"] = self._search_text(
                values["name"],
                values.get("brand", ""),
                values.get("nib"),
                values.get("products", ""),
                plan.owner,
            )
        plan.sme, plan.action = New(values), CREATE
        plan.new_permits = list(row.permits)

    def _search_text(self, name, brand, nib, products, owner) -> str:
        return self.build_search_text(
            name=name, brand=brand, owner_name=owner.name if owner is not None else "", nib=nib or "",
            products=products,
        )  # fmt: skip

    def _plan_permits(self, plan: RowPlan, permits: list[Permit]) -> None:
        have = {(p.kind, p.number): p for p in permits}
        for kind, number, expires in plan.row.permits:
            permit = have.get((kind, number))
            if permit is None:
                plan.new_permits.append((kind, number, expires))
            elif expires is not None and permit.expires_on != expires:
                plan.sme_changes[f"permit_{kind}_expires_on"] = [permit.expires_on, expires]
                permit.expires_on, permit.expiry_derived = expires, False
                plan.permit_updates.append(permit)
        for kind, number, _expires in plan.new_permits:
            plan.sme_changes[f"permit_{kind}"] = [None, number]

    def _forum_id(self, row: MappedRow) -> int | None:
        if not row.forum:
            return None
        forum = self.forums_by_spelling.get(row.forum)
        if forum is not None:
            return forum.pk
        key = name_key(row.forum)
        forum = self.forums.get(key)
        if forum is None:
            self.outcome.new_forums.setdefault(key, row.forum)
            if not self.write:
                return None
            forum = Forum(
                regency_id=self.regency.pk, name=row.forum, kecamatan_id=row.sme.get("kecamatan_id")
            )
            forum.save()
            self.forums[key] = forum
            self.forums_by_spelling[row.forum] = forum
            self._audit([build_entry(
                actor=self.actor, verb="registry.forum.created", obj=forum, action=AuditEntry.Action.CREATE,
                changes={"name": [None, forum.name]}, note=self._note(row),
            )])  # fmt: skip
        self.forums_by_spelling[row.forum] = forum
        return forum.pk

    # --- writing ------------------------------------------------------------------------------------

    def _save(self, plans: list[RowPlan]) -> None:
        live = [p for p in plans if p.action in (CREATE, UPDATE)]
        if not live:
            return
        new_owners = list({id(p.owner): p.owner for p in live if p.owner_new}.values())
        for owner, pk in zip(
            new_owners, insert_rows(Owner, (o.values for o in new_owners), returning=True), strict=True
        ):
            owner.pk = pk
            self.touched_owner_ids.add(pk)
            if "nik" in owner.values:
                self.owner_ids[owner.values["nik"]] = pk
        changed_owners = {id(p.owner): p for p in live if p.owner_changes and not p.owner_new}
        if changed_owners:
            fields = sorted({f for p in changed_owners.values() for f in p.owner_changes} | {"updated_at"})
            owners = [p.owner for p in changed_owners.values()]
            for owner in owners:
                owner.updated_at = self.now
            Owner.objects.bulk_update(owners, [f.removesuffix("_id") for f in fields], batch_size=500)
        created = [p for p in live if p.action == CREATE]
        for plan in created:
            if plan.owner is not None:
                plan.sme.values["owner_id"] = plan.owner.pk
        ids = insert_rows(Sme, (p.sme.values for p in created), returning=True)
        for plan, pk in zip(created, ids, strict=True):
            plan.sme.pk = pk
        updated = [p for p in live if p.action == UPDATE]
        for plan in updated:
            if plan.owner is not None and plan.sme.owner_id != plan.owner.pk:
                plan.sme_changes["owner_id"] = [plan.sme_changes.get("owner_id", [None])[0], plan.owner.pk]
                plan.sme.owner_id = plan.owner.pk
        updated = [p for p in updated if p.sme_changes]
        if updated:
            fields = {f for p in updated for f in p.sme_changes if not f.startswith("permit_")}
            if any(p.scale_changed for p in updated):
                fields |= {"scale", "scale_basis"}
            fields |= {"updated_at", "name_key", "search_text"}
            for plan in updated:
                plan.sme.updated_at = self.now
            Sme.objects.bulk_update(
                [p.sme for p in updated], sorted(f.removesuffix("_id") for f in fields), batch_size=500
            )
        insert_rows(ScaleRecord, (
            {"sme_id": p.sme.pk, "scale": values["scale"], "basis": values["scale_basis"],
             "capital": values.get("capital"), "turnover": values.get("turnover")}
            for p in live if p.scale_changed
            for values in [p.sme.values if p.action == CREATE else _scale_values(p.sme)]
        ))  # fmt: skip
        insert_rows(Permit, (
            {"sme_id": p.sme.pk, "kind": kind, "number": number, "expires_on": expires, "expiry_derived": derived}
            for p in live for kind, number, expires in p.new_permits
            for expires, derived in [derived_expiry(kind, number, expires, False)]
        ))  # fmt: skip
        permit_updates = [permit for p in live for permit in p.permit_updates]
        for permit in permit_updates:
            permit.expires_on, permit.expiry_derived = derived_expiry(
                permit.kind, permit.number, permit.expires_on, permit.expiry_derived
            )
        if permit_updates:
            Permit.objects.bulk_update(permit_updates, ["expires_on", "expiry_derived"])
        # The SMEs' copy of their permit dates, for the list's legality gaps (Sme.halal_valid_until).
        refresh_valid_until(p.sme.pk for p in live if p.new_permits or p.permit_updates)
        insert_rows(AuditEntry, self._entries(live))

    def _entries(self, live: list[RowPlan]) -> Iterator[dict[str, Any]]:
        """One entry per SME created or changed; its owner's changes ride along, masked."""
        regions = self.resolver.by_id
        actor_id = self.actor.pk if self.actor is not None else None
        content_type_id = ContentType.objects.get_for_model(Sme).pk
        for plan in live:
            if not (plan.action == CREATE or plan.sme_changes or plan.new_permits or plan.owner_changes):
                continue
            owner_changes = plan.owner_changes
            if plan.action == CREATE:
                # A new record's values are the record itself and the stored file (named in the
                # note); the entry keeps what identifies it, so 100,000 rows do not copy into the log.
                owner_changes = {k: v for k, v in owner_changes.items() if k in CREATED_OWNER_FIELDS}
            changes = _readable(plan.sme_changes, regions)
            for name in SME_PERSONAL.intersection(changes):
                changes[name] = [mask_value(name, v) for v in changes[name]]
            for name, (old, new) in _readable(owner_changes, regions).items():
                if name in OWNER_PERSONAL:
                    old, new = mask_value(name, old), mask_value(name, new)
                changes[f"owner.{name}"] = [old, new]
            created = plan.action == CREATE
            yield {
                "actor_id": actor_id,
                "verb": "registry.sme.imported" if created else "registry.sme.import_updated",
                "action": AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
                "content_type_id": content_type_id,
                "object_id": str(plan.sme.pk),
                "object_repr": plan.sme.name[:200],
                "changes": changes,
                "note": self._note(plan.row),
            }

    def _audit(self, entries) -> None:
        AuditEntry.objects.bulk_create(entries, batch_size=1000)


def _scale_values(sme: Sme) -> dict[str, Any]:
    return {
        "scale": sme.scale,
        "scale_basis": sme.scale_basis,
        "capital": sme.capital,
        "turnover": sme.turnover,
    }


def _report_name(job: ImportJob) -> str:
    stem = Path(job.original_name).stem[:80] or "import"
    return f"{stem}-{gettext('report')}.xlsx"


def _readable(changes: dict[str, list[Any]], regions: dict) -> dict[str, list[Any]]:
    readable = {}
    safe = _JSON_SAFE
    for name, (old, new) in changes.items():
        if name == "kecamatan_id" or name == "desa_id":
            name = name[:-3]
            old = regions[old].name if old in regions else old
            new = regions[new].name if new in regions else new
        readable[name] = [
            old if type(old) in safe else _plain(old),
            new if type(new) in safe else _plain(new),
        ]
    return readable


def report_progress_outside_transaction(job_id: int, progress: int) -> None:
    """Progress of an all-or-nothing import, written on a second connection so others can see it.

    The import's own transaction stays open until the last row, so its writes are invisible until then.
    SQLite allows one writer at a time, so there the bar only moves when the import ends.
    """
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    side = connections.create_connection("default")
    try:
        with side.cursor() as cursor:
            # Never wait on the job row: if this transaction itself holds it, waiting would never end.
            cursor.execute("SET lock_timeout = '1s'")
            table = side.ops.quote_name(ImportJob._meta.db_table)
            cursor.execute(
                f"UPDATE {table} SET progress = %s, updated_at = %s WHERE id = %s",  # noqa: S608
                [progress, timezone.now(), job_id],
            )
    except DatabaseError:
        logger.warning("Progress of import %s not recorded", job_id)
    finally:
        side.close()

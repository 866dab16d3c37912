"""Loading the demo data set: accounts, SMEs through the spreadsheet import, cooperatives.

SMEs go in through `sentra.imports.services.import_file`, the path officers' spreadsheets take, so
the demo exercises (and measures) the real import. Loading is idempotent: a database remembers the
seed and size it holds (`DemoDataset`), a second run at that size does nothing, and a larger size
adds only the rows the smaller set lacked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.audit import build_entry, log_action
from sentra.core.models import AuditEntry
from sentra.regions.models import Region
from sentra.regions.services import DATA_DIR as REGION_DATA_DIR
from sentra.registry.models import Sme

from .cooperatives import cooperative_count, generate_cooperatives, load_cooperatives
from .generator import (
    AS_OF,
    STATUS_SUBMITTED,
    STATUS_VERIFIED,
    DemoSme,
    Desa,
    Kecamatan,
    generate_smes,
    write_csv,
)
from .models import DemoDataset
from .users import CIKARANG_UTARA, ensure_demo_users

logger = logging.getLogger(__name__)
DEFAULT_SCALE = 300
DEFAULT_SEED = 2026
MAX_SCALE = 100_000
BOUNDARIES = REGION_DATA_DIR / "bekasi_kecamatan.geojson"


class DemoError(Exception):
    """The demo data cannot be loaded; the message says why, for the person running the command."""


@dataclass(frozen=True)
class DemoContext:
    """What every area's demo loader is given: the seed, the scale, the demo accounts, the regency."""

    seed: int
    scale: int
    users: dict
    regency: Region
    say: Callable[[str], None]


# Each area's demo data, loaded after the registry's, in this order (products before the outlets that
# stock them and the orders that buy them; outlets before the Perda reports that point to them). A loader is `load(context: DemoContext) -> str`: it
# goes through the area's real services, is idempotent (a second run adds nothing), derives every
# choice from `context.seed`, and returns a one-line summary of what it added ("" for nothing).
AREA_LOADERS: tuple[str, ...] = (
    "sentra.demo.catalog.load",
    "sentra.demo.partners.load",
    "sentra.demo.exports.load",
    "sentra.demo.programs.load",
    "sentra.demo.bebeli.load",
    "sentra.demo.outlets.load",
    "sentra.demo.perda.load",
)


def load_areas(context: DemoContext) -> list[str]:
    from django.utils.module_loading import import_string

    summaries = []
    for path in AREA_LOADERS:
        loader = import_string(path)
        with _step(context.say, _("Demo data: %(area)s") % {"area": path.rsplit(".", 2)[-2]}):
            summary = loader(context)
        if summary:
            summaries.append(summary)
    return summaries


@dataclass
class DemoResult:
    seed: int
    scale: int
    skipped: bool = False
    rows_written: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    cooperatives: int = 0
    areas: list[str] = dataclasses.field(default_factory=list)
    seconds: float = 0.0


def home_regency() -> Region:
    regency = Region.objects.filter(code=settings.SENTRA_HOME_REGENCY).first()
    if regency is None:
        raise DemoError(_("The home regency's regions are not loaded; run `sentra migrate` first."))
    return regency


def demo_areas(regency: Region) -> list[Kecamatan]:
    """The regency's kecamatan and desa from the Region table, with boundaries where Sentra ships them."""
    rings = _boundaries()
    desa: dict[int, list[Desa]] = defaultdict(list)
    for parent_id, code, name in (
        Region.objects.desa().within(regency).values_list("parent_id", "code", "name")
    ):
        desa[parent_id].append(Desa(code=code, name=name))
    areas = [
        Kecamatan(code=k.code, name=k.name, desa=tuple(desa[k.pk]), ring=rings.get(k.code))
        for k in Region.objects.kecamatan().within(regency).order_by("code")
        if desa[k.pk]
    ]
    if not areas:
        raise DemoError(_("The home regency has no kecamatan with desa; load its regions first."))
    return areas


def _boundaries() -> dict[str, tuple[tuple[float, float], ...]]:
    try:
        features = json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError):
        return {}
    return {
        f["properties"]["code"]: tuple((lon, lat) for lon, lat, *_z in f["geometry"]["coordinates"][0])
        for f in features
        if f.get("geometry", {}).get("type") == "Polygon"
    }


def loaded_dataset() -> DemoDataset | None:
    return DemoDataset.objects.order_by("pk").first()


def is_loaded(*, scale: int, seed: int = DEFAULT_SEED) -> bool:
    """Whether this database already holds the demo data at this size (or larger)."""
    return DemoDataset.objects.filter(seed=seed, scale__gte=scale).exists()


def load_smes(path: Path, *, actor) -> object:
    """Import a generated file through the spreadsheet import officers use (`import_file`)."""
    try:
        from sentra.imports.services import import_file
    except ImportError as exc:
        raise DemoError(_("The spreadsheet import is not available: %(error)s") % {"error": exc}) from exc
    return import_file(path=path, actor=actor, mode="skip_invalid")


def load_demo(
    *,
    scale: int = DEFAULT_SCALE,
    seed: int = DEFAULT_SEED,
    csv_copy: Path | None = None,
    say: Callable[[str], None] = logger.info,
) -> DemoResult:
    """Load (or extend) the demo data set. Running it again at the same size does nothing."""
    if not 1 <= scale <= MAX_SCALE:
        raise DemoError(_("The scale must be between 1 and %(max)s.") % {"max": MAX_SCALE})
    started = time.monotonic()
    dataset = loaded_dataset()
    if dataset is not None and dataset.seed != seed:
        raise DemoError(
            _(
                "This database holds demo data made with seed %(old)s; use that seed, or a fresh "
                "database for seed %(new)s."
            )
            % {"old": dataset.seed, "new": seed}
        )
    result = DemoResult(seed=seed, scale=scale)
    if dataset is not None and dataset.scale >= scale and csv_copy is None:
        result.skipped = True
        result.areas = _load_areas_for(seed=seed, scale=dataset.scale, say=say)
        result.seconds = time.monotonic() - started
        return result

    regency = home_regency()
    areas = demo_areas(regency)
    with _step(say, _("Generating %(count)s SMEs (seed %(seed)s)") % {"count": scale, "seed": seed}):
        smes = generate_smes(areas=areas, scale=scale, seed=seed, first_kecamatan=CIKARANG_UTARA)
    if csv_copy is not None:
        write_csv(smes, csv_copy)
        say(_("Wrote %(count)s rows to %(path)s") % {"count": len(smes), "path": csv_copy})
    if dataset is not None and dataset.scale >= scale:
        result.skipped = True
        result.areas = _load_areas_for(seed=seed, scale=dataset.scale, say=say)
        return result
    already = dataset.scale if dataset is not None else 0
    new_rows = smes[already:]

    users = ensure_demo_users(owner_name=smes[0].owner.person.name)
    _ensure_forums(regency, actor=users["admin"])
    job = _import_rows(
        new_rows, name=f"sentra-demo-umkm-{seed}-{already + 1}-{scale}.csv", actor=users["admin"], say=say
    )
    date_import_entries(job)
    result.rows_written = job.total
    result.created, result.updated = job.created, job.updated
    result.unchanged, result.rejected = job.unchanged, job.rejected

    with _step(say, _("Verifying and submitting SMEs as officers and owners would")):
        apply_statuses(rows=new_rows, regency=regency, users=users)
        link_demo_owner(rows=smes[:2], regency=regency, owner=users["pemilik"], actor=users["admin"])
    count = cooperative_count(scale)
    with _step(say, _("Adding cooperatives (%(count)s in all)") % {"count": count}):
        cooperatives = generate_cooperatives(areas=areas, count=count, seed=seed)
        result.cooperatives = load_cooperatives(
            cooperatives=cooperatives, regency=regency, actor=users["admin"]
        )
    DemoDataset.objects.update_or_create(
        seed=seed, defaults={"scale": scale, "cooperatives": len(cooperatives)}
    )
    result.areas = load_areas(DemoContext(seed=seed, scale=scale, users=users, regency=regency, say=say))
    result.seconds = time.monotonic() - started
    return result


def _load_areas_for(*, seed: int, scale: int, say: Callable[[str], None]) -> list[str]:
    """The areas' loaders on a database whose SMEs are already loaded (a new area since, or none)."""
    if not AREA_LOADERS:
        return []
    users = ensure_demo_users(owner_name=_demo_owner_name())
    return load_areas(DemoContext(seed=seed, scale=scale, users=users, regency=home_regency(), say=say))


def _demo_owner_name() -> str:
    from sentra.accounts.models import User

    owner = User.objects.filter(username="pemilik").first()
    return owner.get_full_name() if owner else ""


def _import_rows(rows: Sequence[DemoSme], *, name: str, actor, say: Callable[[str], None]):
    with tempfile.TemporaryDirectory(prefix="sentra-demo-") as tmp:
        path = Path(tmp) / name
        count = write_csv(rows, path)
        with _step(say, _("Importing %(count)s rows through the spreadsheet import") % {"count": count}):
            job = load_smes(path, actor=actor)
    if job.status != "done":
        raise DemoError(_("The import of the demo SMEs failed: %(error)s") % {"error": job.error_message})
    if job.rejected:
        logger.warning("Demo import rejected %s of %s rows", job.rejected, job.total)
    return job


@contextmanager
def _step(say: Callable[[str], None], message: str) -> Iterator[None]:
    """Say what is starting, then how long it took: a 100,000-row load runs for minutes."""
    say(f"{message}…")
    started = time.monotonic()
    yield
    say("  " + _("done in %(seconds).1f s") % {"seconds": time.monotonic() - started})


def _ensure_forums(regency: Region, *, actor) -> None:
    # The registry creates one forum per kecamatan; the import then matches the "Forum UMKM" column to them.
    try:
        from sentra.registry.services import ensure_default_forums
    except ImportError:
        return
    ensure_default_forums(regency=regency, actor=actor)


def _row_key(name: str, desa_code: str) -> tuple[str, str]:
    return " ".join(name.split()).casefold(), desa_code


def _sme_ids(rows: Sequence[DemoSme], regency: Region) -> dict[tuple[str, str], tuple[int, str]]:
    """(name, desa) -> (id, status) of the imported SMEs, in one query."""
    wanted = {_row_key(r.name, r.desa.code) for r in rows}
    found = {}
    smes = Sme.objects.filter(regency=regency, desa__code__startswith=regency.code + ".").values_list(
        "pk", "name", "desa__code", "status"
    )
    for pk, name, desa_code, status in smes.iterator(chunk_size=5000):
        key = _row_key(name, desa_code)
        if key in wanted:
            found[key] = (pk, status)
    return found


def _verified_at(days_ago: int) -> dt.datetime:
    day = AS_OF - dt.timedelta(days=days_ago)
    # Office hours in Bekasi (WIB).
    return timezone.make_aware(
        dt.datetime(day.year, day.month, day.day, 10, 0), timezone.get_fixed_timezone(420)
    )


@transaction.atomic
def apply_statuses(*, rows: Sequence[DemoSme], regency: Region, users: dict) -> int:
    """Verify most imported SMEs (by the officer of their kecamatan, with a note), submit some, leave
    the rest as drafts; each change audited. Returns how many changed."""
    ids = _sme_ids(rows, regency)
    # field -> value -> SME ids: one UPDATE per distinct value (and thousand ids) instead of per row.
    updates: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    entries, entry_dates = [], []
    # build_entry only reads the id and name, and building a full Sme per row costs more than the rest.
    stub = Sme()
    for row in rows:
        found = ids.get(_row_key(row.name, row.desa.code))
        if found is None or found[1] == row.status:
            continue
        pk, old = found
        updates["status"][row.status].append(pk)
        actor, verb, changes = users["admin"], "registry.sme.status_changed", {"status": [old, row.status]}
        if row.status == STATUS_VERIFIED:
            actor = users["petugas.cikarang"] if row.kecamatan.code == CIKARANG_UTARA else users["petugas"]
            updates["status_note"][row.note].append(pk)
            updates["verified_by_id"][actor.pk].append(pk)
            updates["verified_at"][_verified_at(row.verified_days_ago)].append(pk)
            verb, changes["status_note"] = "registry.sme.verified", ["", row.note]
        elif row.status == STATUS_SUBMITTED:
            verb = "registry.sme.submitted"
        stub.pk, stub.name = pk, row.name
        entries.append(build_entry(actor=actor, verb=verb, obj=stub, changes=changes, note=row.note))
        # The entry is dated when the record says it happened, not the day the demo was built.
        at = _verified_at(row.verified_days_ago if row.status == STATUS_VERIFIED else SUBMITTED_DAYS_AGO)
        entry_dates.append(at)
    for field, by_value in updates.items():
        for value, pks in by_value.items():
            for start in range(0, len(pks), 900):
                Sme.objects.filter(pk__in=pks[start : start + 900]).update(**{field: value})
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    _date_entries(zip(entries, entry_dates, strict=True))
    return len(entries)


# The demo's history, dated as the records tell it: the spreadsheet was imported before the first
# verification (at most 720 days before AS_OF), submissions came in the week before AS_OF.
IMPORTED_DAYS_AGO = 730
SUBMITTED_DAYS_AGO = 7


def _date_entries(dated) -> None:
    """Set the time of audit entries already written (auto_now_add dates them now)."""
    by_date: dict[dt.datetime, list[int]] = defaultdict(list)
    for entry, at in dated:
        by_date[at].append(entry.pk)
    for at, pks in by_date.items():
        for start in range(0, len(pks), 900):
            AuditEntry.objects.filter(pk__in=pks[start : start + 900]).update(at=at)


def date_import_entries(job) -> None:
    """Date an import's entries (the job's own and those of the SMEs it wrote) on the import day."""
    entries = AuditEntry.objects.filter(note__contains=f"(import {job.public_id})")
    entries.update(at=_verified_at(IMPORTED_DAYS_AGO))
    AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(job), object_id=str(job.pk)
    ).update(at=_verified_at(IMPORTED_DAYS_AGO))


@transaction.atomic
def link_demo_owner(*, rows: Sequence[DemoSme], regency: Region, owner, actor) -> None:
    """Give the demo SME owner account its two businesses."""
    ids = _sme_ids(rows, regency)
    for row in rows:
        found = ids.get(_row_key(row.name, row.desa.code))
        if found is None:
            continue
        sme = Sme(pk=found[0], name=row.name)
        _link, created = Sme.accounts.through.objects.get_or_create(sme_id=sme.pk, user_id=owner.pk)
        if created:
            entry = log_action(
                actor=actor,
                verb="registry.sme.account_linked",
                obj=sme,
                changes={"accounts": [None, owner.username]},
                note="demo data",
            )
            _date_entries([(entry, _verified_at(IMPORTED_DAYS_AGO - 1))])

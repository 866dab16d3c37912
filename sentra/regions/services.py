"""Loading the Kemendagri region tree from CSV files shipped with Sentra or supplied by a Dinas."""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Region, region_key

DATA_DIR = Path(__file__).resolve().parent / "data"
KECAMATAN_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
DESA_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")


class RegionFileError(ValueError):
    """A region file that does not have the expected shape; the message names file and line."""


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _read_csv(path: Path, required: set[str]) -> list[dict[str, str]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            missing = required - set(reader.fieldnames or [])
            if missing:
                raise RegionFileError(
                    _("%(file)s lacks the column(s) %(columns)s")
                    % {"file": path.name, "columns": ", ".join(sorted(missing))}
                )
            return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except (OSError, UnicodeDecodeError) as exc:
        raise RegionFileError(
            _("%(file)s cannot be read: %(error)s") % {"file": path, "error": exc}
        ) from None


def _lookup_name(filename: str, code: str) -> str | None:
    for row in _read_csv(DATA_DIR / filename, {"code", "name"}):
        if row["code"] == code:
            return row["name"]
    return None


def _upsert(rows: list[Region], result: LoadResult) -> dict[str, Region]:
    existing = {r.code: r for r in Region.objects.filter(code__in=[r.code for r in rows])}
    to_create, to_update = [], []
    fields = ["name", "key", "level", "kind", "parent", "bps_code"]
    for row in rows:
        row.key = region_key(row.name)
        old = existing.get(row.code)
        if old is None:
            to_create.append(row)
        elif any(getattr(old, f) != getattr(row, f) for f in fields):
            for f in fields:
                setattr(old, f, getattr(row, f))
            to_update.append(old)
        else:
            result.unchanged += 1
    Region.objects.bulk_create(to_create)
    Region.objects.bulk_update(to_update, fields)
    result.created += len(to_create)
    result.updated += len(to_update)
    return {r.code: r for r in Region.objects.filter(code__in=[r.code for r in rows])}


@transaction.atomic
def load_regions(
    *,
    regency_code: str,
    kecamatan_csv: Path,
    desa_csv: Path,
    regency_name: str | None = None,
) -> LoadResult:
    """Load (or refresh) one regency with its kecamatan and desa/kelurahan. Running it twice changes nothing."""
    if not re.fullmatch(r"\d{2}\.\d{2}", regency_code):
        raise RegionFileError(_("A regency code looks like 32.16, not %(code)s") % {"code": regency_code})
    province_code = regency_code[:2]
    province_name = _lookup_name("provinces.csv", province_code)
    if province_name is None:
        raise RegionFileError(_("Unknown province code %(code)s") % {"code": province_code})
    regency_name = regency_name or _lookup_name("regencies.csv", regency_code)
    if not regency_name:
        raise RegionFileError(
            _("Give the regency's name with --name: %(code)s is not in the shipped list")
            % {"code": regency_code}
        )

    kecamatan_rows = _read_csv(kecamatan_csv, {"code", "name"})
    desa_rows = _read_csv(desa_csv, {"code", "name", "kecamatan_code", "type"})
    result = LoadResult()
    province = _upsert(
        [
            Region(
                code=province_code, name=province_name, level=Region.Level.PROVINCE, kind=Region.Kind.PROVINCE
            )
        ],
        result,
    )[province_code]
    kind = Region.Kind.KOTA if regency_code[3] == "7" else Region.Kind.KABUPATEN
    regency = _upsert(
        [
            Region(
                code=regency_code, name=regency_name, level=Region.Level.REGENCY, kind=kind, parent=province
            )
        ],
        result,
    )[regency_code]

    kecamatan = []
    for line, row in enumerate(kecamatan_rows, start=2):
        if not KECAMATAN_RE.match(row["code"]) or not row["code"].startswith(regency_code + "."):
            raise RegionFileError(
                _("%(file)s line %(line)s: %(code)s is not a kecamatan code of %(regency)s")
                % {"file": kecamatan_csv.name, "line": line, "code": row["code"], "regency": regency_code}
            )
        kecamatan.append(
            Region(
                code=row["code"],
                name=row["name"],
                level=Region.Level.KECAMATAN,
                kind=Region.Kind.KECAMATAN,
                parent=regency,
                bps_code=row.get("bps_code", ""),
            )
        )
    kecamatan_by_code = _upsert(kecamatan, result)

    desa = []
    for line, row in enumerate(desa_rows, start=2):
        parent = kecamatan_by_code.get(row["kecamatan_code"])
        if not DESA_RE.match(row["code"]) or parent is None or not row["code"].startswith(parent.code + "."):
            raise RegionFileError(
                _("%(file)s line %(line)s: %(code)s is not a desa code of a kecamatan in the kecamatan file")
                % {"file": desa_csv.name, "line": line, "code": row["code"]}
            )
        if row["type"] not in (Region.Kind.DESA, Region.Kind.KELURAHAN):
            raise RegionFileError(
                _("%(file)s line %(line)s: type must be desa or kelurahan, not %(type)s")
                % {"file": desa_csv.name, "line": line, "type": row["type"]}
            )
        desa.append(
            Region(
                code=row["code"],
                name=row["name"],
                level=Region.Level.DESA,
                kind=row["type"],
                parent=parent,
                bps_code=row.get("bps_code", ""),
            )
        )
    _upsert(desa, result)
    return result


def load_home_regency() -> LoadResult:
    """The shipped Kabupaten Bekasi tree."""
    return load_regions(
        regency_code="32.16",
        kecamatan_csv=DATA_DIR / "bekasi_kecamatan.csv",
        desa_csv=DATA_DIR / "bekasi_desa_kelurahan.csv",
    )

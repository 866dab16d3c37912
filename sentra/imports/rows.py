"""One spreadsheet row -> the owner, SME and permit values it carries, the reasons it cannot be
imported, and the warnings about values it imports without.

Which problems reject a row and which only leave a value out is the SME spec's to say (`Field.rejects`,
`Field.required`); this module applies it, cell by cell and for the checks that need the whole row
(regions, KBLI with its category, an owner name for a NIK).

Pure data work: the only queries are made once per import, when the region resolver loads the home
regency's kecamatan, desa and the aliases officers have confirmed.
"""

import csv
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sentra.core.masking import mask_value
from sentra.regions.models import Region
from sentra.regions.services import DATA_DIR as REGION_DATA
from sentra.registry import normalize as norm
from sentra.registry.claims import name_key_for
from sentra.registry.kbli import category_for

from .sme_spec import FIELDS_BY_KEY, Field

KECAMATAN, DESA = Region.Level.KECAMATAN, Region.Level.DESA
KBLI_VERSIONS = (2020, 2025)


@dataclass(slots=True)
class RowError:
    """Why a value cannot be used: the row is rejected, or (`warning`) imported without the value."""

    code: str
    column: str
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)
    # The cell as the file had it (masked for personal data), so the officer sees what was wrong.
    original: str = ""
    warning: bool = False

    def message(self) -> str:
        """The reason in the active language (stored untranslated, so each reader gets their own)."""
        text = gettext(self.msgid)
        try:
            return text % self.params if self.params else text
        except (KeyError, TypeError, ValueError):
            return text

    def as_json(self) -> list:
        return [self.code, self.column, self.msgid, self.params, self.original, self.warning]

    @classmethod
    def from_json(cls, data: list) -> "RowError":
        return cls(*data)  # a plan stored before warnings existed has four items: no original, no warning


def _source_text(message: Any) -> str:
    with translation.override(None):
        return str(message)


def _plain_params(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, int | float | str) else str(v) for k, v in params.items()}


def error(code: str, column: str, message: Any, /, **params: Any) -> RowError:
    # Positional-only, so that a message may have a %(code)s of its own ("KBLI %(code)s …").
    return RowError(code, column, _source_text(message), _plain_params(params))


def from_normalization(exc: norm.NormalizationError, column: str) -> RowError:
    return RowError(exc.code, column, _source_text(exc.message), _plain_params(exc.params))


ORIGINAL_MAX_LENGTH = 100


def original_text(key: str, cell: Any, fields: dict[str, Field] = FIELDS_BY_KEY) -> str:
    """A cell as an officer would recognise it in their file; personal data masked (UU PDP).

    `fields` is the import kind's fields (the SME spec's unless told)."""
    if isinstance(cell, dt.datetime | dt.date):
        text = cell.strftime("%d/%m/%Y")
    elif isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))
    else:
        text = " ".join(str(cell).split())
    if fields[key].personal:
        text = mask_value(key, text)
    return text if len(text) <= ORIGINAL_MAX_LENGTH else text[: ORIGINAL_MAX_LENGTH - 1] + "…"


@dataclass(slots=True)
class Unmatched:
    """A region spelling nobody has matched yet: listed once per import for the officer to map."""

    level: str
    scope: str  # the kecamatan code a desa spelling was looked up in, "" for kecamatan
    spelling: str
    key: str
    candidates: tuple[str, ...]


@dataclass(slots=True)
class MappedRow:
    number: int
    raw: list[Any]
    sme: dict[str, Any] = field(default_factory=dict)
    owner: dict[str, Any] = field(default_factory=dict)
    permits: list[tuple[str, str, Any]] = field(default_factory=list)
    forum: str = ""
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)


def name_key(name: str) -> str:
    """A spelling-insensitive business name, the same key officers' edits and the duplicate finder use."""
    return name_key_for(name)


# --- cell cleaners ----------------------------------------------------------------------------------


class CellError(ValueError):
    def __init__(self, code: str, message: Any, **params: Any) -> None:
        super().__init__(code)
        self.code, self.message, self.params = code, message, params


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def text_cleaner(max_length: int) -> Callable[[Any], str]:
    def clean(value: Any) -> str:
        text = " ".join(_as_text(value).split())
        if len(text) > max_length:
            raise CellError(
                "too_long", _("The text is %(length)s characters long, the limit is %(max)s."),
                length=len(text), max=max_length,
            )  # fmt: skip
        return text

    return clean


def clean_rt(value: Any) -> str:
    text = _as_text(value).lstrip("'")
    if not text.isdigit() or len(text) > 4:
        raise CellError("rt_format", _("RT and RW are numbers of up to 4 digits, not %(value)s."), value=text)
    return text.zfill(3)


def clean_email(value: Any) -> str:
    text = _as_text(value).lower()
    try:
        validate_email(text)
    except ValidationError:
        raise CellError("email_format", _("%(value)s is not an email address."), value=text) from None
    return text


def coordinate_cleaner(limit: int) -> Callable[[Any], Decimal]:
    def clean(value: Any) -> Decimal:
        try:
            number = Decimal(_as_text(value).replace(",", "."))
        except InvalidOperation:
            raise CellError("coordinate_format", _("%(value)s is not a coordinate."), value=value) from None
        if not number.is_finite() or abs(number) > limit:
            raise CellError("coordinate_range", _("%(value)s is out of range."), value=value)
        return number.quantize(Decimal("0.000001"))

    return clean


def _count(value: Any) -> int | None:
    return norm.normalize_int(value, min=0, max=1_000_000)


def _month(value: Any) -> int | None:
    return norm.normalize_int(value, min=1, max=12)


def _birth_date(value: Any):
    return norm.normalize_date(value)


# field key -> (cleaner, where the value goes: "sme", "owner", "permit" or "region")
CLEANERS: dict[str, Callable[[Any], Any]] = {
    "name": text_cleaner(200),
    "brand": text_cleaner(150),
    "phone": norm.normalize_phone,
    "whatsapp": norm.normalize_phone,
    "email": clean_email,
    "address": text_cleaner(300),
    "rt": clean_rt,
    "rw": clean_rt,
    "latitude": coordinate_cleaner(90),
    "longitude": coordinate_cleaner(180),
    "kbli": _as_text,  # checked with its version once the KBLI category column is known
    "kbli_category": _as_text,
    "main_activity": text_cleaner(300),
    "products": text_cleaner(5000),
    "legal_form": text_cleaner(60),
    "start_year": norm.normalize_start,  # (year, month or None)
    "start_month": _month,
    "employees": _count,
    "capital": norm.normalize_money,
    "turnover": norm.normalize_money,
    "assets": norm.normalize_money,
    "nib": norm.normalize_nib,
    "npwp": norm.normalize_npwp,
    "forum": text_cleaner(150),
    "source_ref": text_cleaner(64),
    "owner_name": text_cleaner(150),
    "owner_nik": norm.normalize_nik,
    "owner_gender": norm.normalize_gender,
    "owner_birth_date": _birth_date,
    "owner_disability": norm.normalize_bool,
    "owner_education": text_cleaner(60),
    "owner_address": text_cleaner(300),
    "owner_rt": clean_rt,
    "owner_rw": clean_rt,
    "halal": norm.normalize_halal,
    "halal_expires": norm.normalize_date,
    "pirt": norm.normalize_pirt,
    "bpom": norm.normalize_bpom,
    "hki": text_cleaner(40),
    "sni": text_cleaner(40),
    # Region names are matched as a whole once the row's other values are known.
    "desa": _as_text,
    "kecamatan": _as_text,
    "regency": _as_text,
    "province": _as_text,
    "owner_desa": _as_text,
    "owner_kecamatan": _as_text,
    "owner_regency": _as_text,
    "owner_province": _as_text,
}
for _key in (
    "workers_paid_male", "workers_paid_female", "workers_paid_disabled_male", "workers_paid_disabled_female",
    "workers_unpaid_male", "workers_unpaid_female", "workers_unpaid_disabled_male", "workers_unpaid_disabled_female",
):  # fmt: skip
    CLEANERS[_key] = _count

SME_FIELDS = {
    "name", "brand", "phone", "whatsapp", "email", "address", "rt", "rw", "latitude", "longitude", "main_activity",
    "products", "legal_form", "start_year", "start_month", "employees", "capital", "turnover", "assets",
    "nib", "npwp", "source_ref",
    "workers_paid_male", "workers_paid_female", "workers_paid_disabled_male", "workers_paid_disabled_female",
    "workers_unpaid_male", "workers_unpaid_female", "workers_unpaid_disabled_male", "workers_unpaid_disabled_female",
}  # fmt: skip
OWNER_FIELDS = {
    "owner_name": "name", "owner_nik": "nik", "owner_gender": "gender", "owner_birth_date": "birth_date",
    "owner_disability": "has_disability", "owner_education": "education", "owner_address": "address",
    "owner_rt": "rt", "owner_rw": "rw",
}  # fmt: skip
PERMIT_FIELDS = {"halal": "halal", "pirt": "pirt", "bpom": "bpom", "hki": "hki", "sni": "sni"}


# --- regions ---------------------------------------------------------------------------------------


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


class RegionResolver:
    """Matches region spellings to the home regency's kecamatan and desa, caching every answer."""

    def __init__(self, regency: Region, aliases: dict[tuple[str, str, str], int] | None = None) -> None:
        self.regency = regency
        regions = list(Region.objects.within(regency).filter(level__in=[KECAMATAN, DESA]).only(
            "id", "code", "name", "level", "parent_id"
        ))  # fmt: skip
        self.by_code = {r.code: r for r in regions}
        self.by_id = {r.pk: r for r in regions}
        self.kecamatan_names = {r.code: r.name for r in regions if r.level == KECAMATAN}
        self.desa_names: dict[str, dict[str, str]] = {}
        self.all_desa_names: dict[str, str] = {}
        for r in regions:
            if r.level == DESA:
                self.desa_names.setdefault(r.code.rsplit(".", 1)[0], {})[r.code] = r.name
                self.all_desa_names[r.code] = r.name
        self.aliases = aliases or {}
        self._cache: dict[tuple[str, str, str], Region | Unmatched | norm.NormalizationError] = {}
        self.home_keys = _regency_keys(regency)
        # Other provinces by every spelling of their name and by code: a province column is only
        # checked against these, so that "Jabar" or a typo in it does not cost the row.
        home_province = regency.code.split(".")[0]
        self.other_provinces = {
            key
            for code, name in province_names().items()
            if code != home_province
            for key in (*_province_keys(name), code)
        }

    def kecamatan(self, spelling: str) -> Region | Unmatched | norm.NormalizationError:
        return self._resolve(KECAMATAN, "", spelling, self.kecamatan_names)

    def desa(self, spelling: str, kecamatan: Region | None) -> Region | Unmatched | norm.NormalizationError:
        if kecamatan is not None:
            return self._resolve(DESA, kecamatan.code, spelling, self.desa_names.get(kecamatan.code, {}))
        return self._resolve(DESA, "", spelling, self.all_desa_names)

    def is_home_regency(self, spelling: str) -> bool:
        key = norm.region_key(spelling)
        return key in self.home_keys or _digits(spelling) == _digits(self.regency.code)

    def is_home_province(self, spelling: str) -> bool:
        digits = _digits(spelling)
        if digits and len(digits) == len(spelling.strip()):
            return digits not in self.other_provinces
        return norm.region_key(spelling) not in self.other_provinces

    def _resolve(self, level: str, scope: str, spelling: str, names: dict[str, str]):
        key = norm.region_key(spelling)
        cache_key = (level, scope, key)
        found = self._cache.get(cache_key)
        if found is None:
            found = self._lookup(level, scope, spelling, key, names)
            self._cache[cache_key] = found
        return found

    def _lookup(self, level: str, scope: str, spelling: str, key: str, names: dict[str, str]):
        alias = self.aliases.get((level, scope, key))
        if alias is not None and alias in self.by_id:
            return self.by_id[alias]
        by_code = self._by_code(spelling, names)
        if by_code is not None:
            return by_code
        try:
            code = norm.match_region_name(spelling, names)
        except norm.NormalizationError as exc:
            if exc.code == "region_unknown":
                return Unmatched(level, scope, spelling, key, exc.candidates)
            return exc
        return self.by_code[code]

    def _by_code(self, spelling: str, names: dict[str, str]) -> Region | None:
        digits = _digits(spelling)
        if len(digits) < 6 or len(digits) != len(spelling.replace(".", "").strip()):
            return None
        for code in names:
            if _digits(code) == digits:
                return self.by_code[code]
        return None


@functools.cache
def province_names() -> dict[str, str]:
    """Every province, code -> name, from the reference list shipped with Sentra's regions."""
    with open(REGION_DATA / "provinces.csv", encoding="utf-8") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


def _province_keys(name: str) -> set[str]:
    base = norm.region_key(re.sub(r"^(provinsi|prov)\.?\s+", "", name.strip(), flags=re.I))
    return {norm.region_key(name), base, "prov" + base, "provinsi" + base}


def _regency_keys(regency: Region) -> set[str]:
    base = re.sub(r"^(kabupaten|kab|kota)\.?\s+", "", regency.name.strip(), flags=re.I)
    keys = {norm.region_key(regency.name), norm.region_key(base)}
    kind = "kota" if regency.kind == Region.Kind.KOTA else "kab"
    keys |= {kind + norm.region_key(base), ("kabupaten" if kind == "kab" else "kota") + norm.region_key(base)}
    return keys


# --- the row mapper ---------------------------------------------------------------------------------


_UNSEEN = object()
# Distinct cleaned cells kept per column; columns of unique values (names, NIK) stop filling it here.
CLEANED_CELLS_KEPT = 1000


class RowMapper:
    """Turns raw rows into MappedRow values, for a given column mapping."""

    def __init__(
        self,
        *,
        headers: list[str],
        mapping: list[str | None],
        resolver: RegionResolver,
        scope: list[int] | None = None,
        kbli_version: int = 2020,
    ) -> None:
        self.headers = headers
        self.resolver = resolver
        self.scope = set(scope) if scope is not None else None
        self.kbli_version = kbli_version
        self.columns: list[tuple[int, Field, str, Callable[[Any], Any], dict]] = []
        self.column_of: dict[str, str] = {}
        self.index_of: dict[str, int] = {}
        for index, key in enumerate(mapping):
            if not key or key not in CLEANERS or FIELDS_BY_KEY[key].ignored:
                continue
            header = headers[index] if index < len(headers) else ""
            column = header or str(FIELDS_BY_KEY[key].label)
            self.columns.append((index, FIELDS_BY_KEY[key], column, CLEANERS[key], {}))
            self.column_of[key] = header
            self.index_of[key] = index

    def map(self, number: int, raw: list[Any]) -> MappedRow:
        row = MappedRow(number=number, raw=raw)
        values: dict[str, Any] = {}
        width = len(raw)
        for index, spec, column, clean, seen in self.columns:
            if index >= width:
                continue
            cell = raw[index]
            if cell is None or cell == "" or (isinstance(cell, str) and not cell.strip()):
                continue
            # Most columns repeat a few values (kecamatan, KBLI, years, amounts): each distinct cell
            # is cleaned once per column. The type is part of the key: True, 1 and 1.0 are equal keys.
            cell_key = (type(cell), cell)
            value = seen.get(cell_key, _UNSEEN)
            if value is _UNSEEN:
                value = self._clean(clean, cell, column, spec)
                if len(seen) < CLEANED_CELLS_KEPT:
                    seen[cell_key] = value
            if type(value) is RowError:
                (row.warnings if value.warning else row.errors).append(value)
            elif value is not None and value != "":
                values[spec.key] = value
        self._place(row, values)
        return row

    @staticmethod
    def _clean(clean: Callable[[Any], Any], cell: Any, column: str, spec: Field) -> Any:
        """The cleaned value, or the RowError saying why the cell cannot be used."""
        try:
            return clean(cell)
        except norm.NormalizationError as exc:
            problem = from_normalization(exc, column)
        except CellError as exc:
            problem = error(exc.code, column, exc.message, **exc.params)
        problem.original = original_text(spec.key, cell)
        problem.warning = not spec.rejects_row
        return problem

    def _problem(self, row: MappedRow, key: str, problem: RowError) -> None:
        """A check of the whole row about one field: it rejects or warns as the field's spec says."""
        index = self.index_of.get(key)
        if index is not None and index < len(row.raw):
            problem.original = original_text(key, row.raw[index])
        problem.warning = not FIELDS_BY_KEY[key].rejects_row
        (row.warnings if problem.warning else row.errors).append(problem)

    def _place(self, row: MappedRow, values: dict[str, Any]) -> None:
        sme, owner = row.sme, row.owner
        start = values.pop("start_year", None)
        if start is not None:
            sme["start_year"], month = start
            if month is not None and "start_month" not in values:
                sme["start_month"] = month
        for key, value in values.items():
            if key in SME_FIELDS:
                sme[key] = value
            elif key in OWNER_FIELDS:
                owner[OWNER_FIELDS[key]] = value
        if "name" not in sme and not any(e.column == self.column_of.get("name") for e in row.errors):
            row.errors.append(
                error("name_missing", self.column_of.get("name", ""), _("The business name is empty."))
            )
        if "name" not in owner and not any(e.column == self.column_of.get("owner_name") for e in row.errors):
            column = self.column_of.get("owner_name", "")
            if "nik" in owner:
                row.errors.append(error("owner_name_missing", column, _("A NIK is given but no owner name.")))
            else:
                row.errors.append(error("owner_name_missing", column, _("The owner name is empty.")))
        if "phone" not in sme and "whatsapp" in sme:
            sme["phone"] = sme["whatsapp"]  # the business's one number: it is on WhatsApp
        if "phone" in sme:
            owner["phone"] = sme["phone"]
        if "birth_date" in owner:
            owner["birth_year"] = owner["birth_date"].year
        row.forum = values.get("forum", "")
        self._kbli(row, values)
        self._permits(row, values)
        self._regions(row, values)

    def _kbli(self, row: MappedRow, values: dict[str, Any]) -> None:
        code = values.get("kbli")
        if code is None:
            return
        raw = row.raw[self.index_of["kbli"]]
        letter = str(values.get("kbli_category", "")).strip().upper()[:1]
        # Only a category letter in the file can say the code is from another KBLI edition.
        versions = (self.kbli_version, *[v for v in KBLI_VERSIONS if v != self.kbli_version and letter])
        failure = None
        for version in versions:
            try:
                digits = norm.normalize_kbli(raw, version=version)
                category = category_for(digits, version)
            except norm.NormalizationError as exc:
                failure = failure or exc
                continue
            if letter and category.letter != letter:
                continue
            row.sme.update(kbli_code=digits, kbli_version=version, kbli_category=category.letter)
            return
        column = self.column_of["kbli"]
        if failure is not None:
            self._problem(row, "kbli", from_normalization(failure, column))
        else:
            self._problem(row, "kbli", error(
                "kbli_category_mismatch", column, _("KBLI %(code)s does not belong to category %(letter)s."),
                code=code, letter=letter,
            ))  # fmt: skip

    def _permits(self, row: MappedRow, values: dict[str, Any]) -> None:
        for key, kind in PERMIT_FIELDS.items():
            if key in values:
                expires = values.get("halal_expires") if kind == "halal" else None
                row.permits.append((kind, values[key], expires))

    def _regions(self, row: MappedRow, values: dict[str, Any]) -> None:
        resolver = self.resolver
        for key in ("province", "regency"):
            if key in values and not self._home(key, values):
                self._problem(row, key, error(
                    "outside_regency", self.column_of[key], _("%(value)s is outside %(regency)s."),
                    value=values[key], regency=resolver.regency.name,
                ))  # fmt: skip
                return
        kecamatan, desa = self._region_pair(row, values, "kecamatan", "desa")
        if kecamatan is not None:
            row.sme["kecamatan_id"] = kecamatan.pk
        if desa is not None:
            row.sme["desa_id"] = desa.pk
        if self.scope is not None and (kecamatan is None or kecamatan.pk not in self.scope):
            if kecamatan is None and "kecamatan" in values:
                pass  # already rejected as an unknown spelling
            else:
                row.errors.append(
                    error(
                        "outside_scope", self.column_of.get("kecamatan", ""),
                        _("This business is not in a kecamatan you work in."),
                    )
                )  # fmt: skip
        for key in ("owner_province", "owner_regency"):
            if key in values and not self._home(key, values):
                return  # The owner lives outside the regency: their home is not in the tree to link to.
        kecamatan, desa = self._region_pair(row, values, "owner_kecamatan", "owner_desa")
        if kecamatan is not None:
            row.owner["kecamatan_id"] = kecamatan.pk
        if desa is not None:
            row.owner["desa_id"] = desa.pk

    def _home(self, key: str, values: dict[str, Any]) -> bool:
        """Whether a province or regency cell names the home regency's (only these two levels)."""
        if key.endswith("province"):
            return self.resolver.is_home_province(values[key])
        return self.resolver.is_home_regency(values[key])

    def _region_pair(self, row: MappedRow, values: dict[str, Any], kec_key: str, desa_key: str):
        kecamatan = desa = None
        if kec_key in values:
            kecamatan = self._accept(row, kec_key, self.resolver.kecamatan(values[kec_key]))
            if kecamatan is None:
                return None, None
        if desa_key in values:
            desa = self._accept(row, desa_key, self.resolver.desa(values[desa_key], kecamatan))
            if desa is not None and kecamatan is None:
                kecamatan = self.resolver.by_code[desa.code.rsplit(".", 1)[0]]
        return kecamatan, desa

    def _accept(self, row: MappedRow, key: str, found) -> Region | None:
        column = self.column_of.get(key, "")
        if isinstance(found, Region):
            return found
        if isinstance(found, Unmatched):
            row.unmatched.append(found)
            self._problem(row, key, error(
                "region_unknown", column, _("%(value)s is not a known %(level)s name; map it on the check page."),
                value=found.spelling, level=Region.Level(found.level).label,
            ))  # fmt: skip
            return None
        self._problem(row, key, from_normalization(found, column))
        return None

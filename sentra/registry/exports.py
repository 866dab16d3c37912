"""Exports of a filtered registry list to .csv (streamed), .xlsx (xlsxwriter, constant memory), and
.csv in the national SIDT layout (streamed).

All read the rows with `.iterator(chunk_size=2000)`, so 100,000 SMEs cost the same memory as 2,000.
Personal columns (owner NIK and phone, the business phone) come only on request, only for Dinas
staff, and every such export is written to the personal-data access log before a row leaves.
"""

import csv
import datetime as dt
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sentra.core.audit import log_personal_access
from sentra.core.masking import mask_nik
from sentra.core.permissions import can_see_personal_data

from .models import Permit, Sme

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Column:
    header: Callable[[], str]
    value: Callable[[Sme], Any]
    kind: str = "text"  # text, number, money or date
    personal_field: str = ""


def _latest(sme: Sme, kind: str) -> Permit | None:
    """The permit of a kind that runs longest; one without expiry counts as longest."""
    permits = [p for p in sme.export_permits if p.kind == kind]
    return max(permits, key=lambda p: p.expires_on or dt.date.max, default=None)


def _permit_number(kind: str) -> Callable[[Sme], str]:
    return lambda sme: getattr(_latest(sme, kind), "number", "")


def _permit_expiry(kind: str) -> Callable[[Sme], dt.date | None]:
    return lambda sme: getattr(_latest(sme, kind), "expires_on", None)


COLUMNS = [
    Column(lambda: _("Sentra ID"), lambda s: str(s.public_id)),
    Column(lambda: _("Business name"), lambda s: s.name),
    Column(lambda: _("Brand"), lambda s: s.brand),
    Column(lambda: _("Owner name"), lambda s: s.owner.name if s.owner else ""),
    Column(lambda: _("Kecamatan"), lambda s: s.kecamatan.name if s.kecamatan else ""),
    Column(lambda: _("Desa / kelurahan"), lambda s: s.desa.name if s.desa else ""),
    Column(lambda: _("Business address"), lambda s: s.address),
    Column(lambda: _("KBLI code"), lambda s: s.kbli_code),
    Column(lambda: _("KBLI category"), lambda s: s.kbli_category),
    Column(lambda: _("Main activity"), lambda s: s.main_activity),
    Column(lambda: _("Products"), lambda s: s.products),
    Column(lambda: _("Scale"), lambda s: s.get_scale_display() if s.scale else ""),
    Column(lambda: _("Scale decided by"), lambda s: s.get_scale_basis_display() if s.scale_basis else ""),
    Column(lambda: _("Capital (Rp)"), lambda s: s.capital, "money"),
    Column(lambda: _("Yearly turnover (Rp)"), lambda s: s.turnover, "money"),
    Column(lambda: _("Employees"), lambda s: s.employees, "number"),
    Column(lambda: _("NIB"), lambda s: s.nib or ""),
    Column(lambda: _("NPWP"), lambda s: s.npwp),
    Column(lambda: _("Halal certificate"), _permit_number(Permit.Kind.HALAL)),
    Column(lambda: _("Halal valid until"), _permit_expiry(Permit.Kind.HALAL), "date"),
    Column(lambda: _("P-IRT"), _permit_number(Permit.Kind.PIRT)),
    Column(lambda: _("P-IRT valid until"), _permit_expiry(Permit.Kind.PIRT), "date"),
    Column(lambda: _("Forum"), lambda s: s.forum.name if s.forum else ""),
    Column(lambda: _("Status"), lambda s: s.get_status_display()),
    Column(lambda: _("Updated"), lambda s: timezone.localtime(s.updated_at).date(), "date"),
]
PERSONAL_COLUMNS = [
    Column(
        lambda: _("Owner NIK"), lambda s: (s.owner.nik or "") if s.owner else "", personal_field="owner.nik"
    ),
    Column(
        lambda: _("Owner phone"), lambda s: s.owner.phone if s.owner else "", personal_field="owner.phone"
    ),
    Column(lambda: _("Business phone"), lambda s: s.phone, personal_field="phone"),
    Column(lambda: _("WhatsApp"), lambda s: s.whatsapp, personal_field="whatsapp"),
]


def columns_for(*, include_personal: bool) -> list[Column]:
    return COLUMNS + PERSONAL_COLUMNS if include_personal else COLUMNS


def export_rows(smes: QuerySet) -> QuerySet:
    permits = Prefetch("permits", queryset=Permit.objects.order_by("id"), to_attr="export_permits")
    return (
        smes.select_related("owner", "kecamatan", "desa", "forum")
        .prefetch_related(permits)
        .iterator(chunk_size=CHUNK_SIZE)
    )


def _log_if_personal(*, user, columns: list[Column], rows: int, detail: str) -> None:
    fields = [c.personal_field for c in columns if c.personal_field]
    if fields:
        log_personal_access(user=user, kind="export", fields=fields, rows=rows, detail=detail)


def export_detail(query: dict[str, str]) -> str:
    """The filters of an export for the access log, with a NIK typed as a search masked."""
    parts = []
    for key, value in query.items():
        if key == "q" and re.search(r"\d{8,}", value):
            value = re.sub(r"\d{8,}", lambda m: mask_nik(m.group()), value)
        parts.append(f"{key}={value}")
    return "&".join(parts)


def _filename(extension: str) -> str:
    return f"umkm-{timezone.localdate():%Y-%m-%d}.{extension}"


# --- CSV ---------------------------------------------------------------------------------------

# Spreadsheet programs run a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+")


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(smes: QuerySet, columns: list[Column], language: str) -> Iterator[str]:
    # The rows are written while the response streams, after the request's language has been
    # deactivated: headers and labels ("Verified") need it back, one row at a time.
    writer = csv.writer(_Echo())
    with translation.override(language):
        # The byte-order mark makes Excel read the file as UTF-8 (names with é, ñ…).
        header = "\ufeff" + writer.writerow([c.header() for c in columns])
    yield header
    for sme in export_rows(smes):
        with translation.override(language):
            line = writer.writerow([csv_cell(c.value(sme)) for c in columns])
        yield line


def export_csv(*, smes: QuerySet, user, include_personal: bool, detail: str = "") -> StreamingHttpResponse:
    columns = columns_for(include_personal=include_personal and can_see_personal_data(user))
    if any(c.personal_field for c in columns):
        _log_if_personal(user=user, columns=columns, rows=smes.count(), detail=detail)
    lines = _csv_lines(smes, columns, translation.get_language())
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


# --- XLSX --------------------------------------------------------------------------------------


def _write_xlsx(target, smes: QuerySet, columns: list[Column]) -> int:
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet(_("SMEs"))
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0"})
    date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.freeze_panes(1, 0)
    for col, column in enumerate(columns):
        sheet.set_column(col, col, 12 if column.kind in ("money", "number", "date") else 22)
        sheet.write_string(0, col, column.header(), bold)
    rows = 0
    for rows, sme in enumerate(export_rows(smes), start=1):
        for col, column in enumerate(columns):
            value = column.value(sme)
            if value is None or value == "":
                continue
            if column.kind == "date":
                sheet.write_datetime(rows, col, dt.datetime.combine(value, dt.time()), date)
            elif column.kind in ("money", "number"):
                sheet.write_number(rows, col, value, money if column.kind == "money" else None)
            else:
                # Always as text: NIK, NIB and NPWP are longer than Excel keeps digits of a number.
                sheet.write_string(rows, col, str(value))
    sheet.autofilter(0, 0, max(rows, 1), len(columns) - 1)
    workbook.close()
    return rows


def export_xlsx(*, smes: QuerySet, user, include_personal: bool, detail: str = "") -> FileResponse:
    columns = columns_for(include_personal=include_personal and can_see_personal_data(user))
    # FileResponse closes the file once it is sent; until then it must stay open.
    target = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        rows = _write_xlsx(target, smes, columns)
        _log_if_personal(user=user, columns=columns, rows=rows, detail=detail)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# --- SIDT --------------------------------------------------------------------------------------
#
# The layout of the national SME database (SIDT, schema of 2026-04-15): 49 columns, one row per
# business, the owner's columns repeated on each of their businesses, values written as SIDT writes
# them (Indonesian words, region names in capitals, ISO dates) whatever the officer's language. A
# Sentra record that came from SIDT keeps its SIDT id; others leave it for SIDT to give. The file
# is for machines: plain UTF-8 without the byte-order mark the list's .csv has for Excel.
# Importing it back into Sentra needs no mapping (tests/registry/test_export_sidt.py).

_SIDT_GENDER = {"M": "Laki-laki", "F": "Perempuan"}
_SIDT_SCALE = {"micro": "Mikro", "small": "Kecil", "medium": "Menengah", "large": "Besar"}
_SIDT_YES_NO = {True: "Ya", False: "Tidak", None: ""}
# SIDT's worker columns (the last cut to "..._perempua" by SIDT itself) and the fields they count.
_SIDT_WORKERS = {
    "dibayar_laki": "workers_paid_male",
    "dibayar_perempuan": "workers_paid_female",
    "dibayar_disabil_laki": "workers_paid_disabled_male",
    "dibayar_disabil_perempuan": "workers_paid_disabled_female",
    "not_dibayar_laki": "workers_unpaid_male",
    "not_dibayar_perempuan": "workers_unpaid_female",
    "not_dibayar_disabil_laki": "workers_unpaid_disabled_male",
    "not_dibayar_disabil_perempua": "workers_unpaid_disabled_female",
}


def _owner(attribute: str) -> Callable[[Sme], Any]:
    return lambda sme: getattr(sme.owner, attribute) if sme.owner is not None else None


def _region_name(region) -> str:
    return region.name.upper() if region is not None else ""


def _sidt_columns(names: dict[int, Any]) -> list[Column]:
    """The 49 columns in SIDT's order. `names` holds the regencies and provinces by id (one query)."""

    def up(region_id: int | None, steps: int) -> str:
        """A regency's name (steps=1) or its province's (steps=2)."""
        region = names.get(region_id)
        for _step in range(steps - 1):
            region = names.get(region.parent_id) if region is not None else None
        return _region_name(region)

    def home(steps: int) -> Callable[[Sme], str]:
        def value(sme: Sme) -> str:
            kecamatan = sme.owner.kecamatan if sme.owner is not None else None
            return up(kecamatan.parent_id, steps) if kecamatan is not None else ""

        return value

    def sidt(header: str, value: Callable[[Sme], Any], personal_field: str = "") -> Column:
        return Column(lambda: header, value, personal_field=personal_field)

    def workers(field: str) -> Column:
        return sidt(f"tk_{field}", lambda s: getattr(s, _SIDT_WORKERS[field]))

    now = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
    return [
        sidt("id_data_badan_usaha", lambda s: s.source_ref if s.source == Sme.Source.SIDT else ""),
        sidt("nik_pengusaha", _owner("nik"), "owner.nik"),
        sidt("nama_pengusaha", _owner("name")),
        sidt("nib", lambda s: s.nib or ""),
        sidt("jenis_kelamin", lambda s: _SIDT_GENDER.get(s.owner.gender, "") if s.owner else ""),
        sidt("is_disabilitas", lambda s: _SIDT_YES_NO[s.owner.has_disability] if s.owner else ""),
        sidt("tanggal_lahir", _owner("birth_date"), "owner.birth_date"),
        sidt("pendidikan_formal", _owner("education")),
        sidt("kontak_hp", lambda s: s.phone or (s.owner.phone if s.owner else ""), "phone"),
        sidt("prov_pengusaha", home(2)),
        sidt("kab_pengusaha", home(1)),
        sidt(
            "kec_pengusaha", lambda s: _region_name(s.owner.kecamatan) if s.owner else "", "owner.kecamatan"
        ),
        sidt("kel_pengusaha", lambda s: _region_name(s.owner.desa) if s.owner else "", "owner.desa"),
        sidt("alamat_pengusaha", _owner("address"), "owner.address"),
        sidt("rt_pengusaha", _owner("rt"), "owner.rt"),
        sidt("rw_pengusaha", _owner("rw"), "owner.rw"),
        sidt("nama_usaha", lambda s: s.name),
        sidt("kegiatan_utama", lambda s: s.main_activity),
        sidt("produk_utama", lambda s: s.products),
        sidt("kategori_kbli", lambda s: s.kbli_category),
        sidt("kode_kbli", lambda s: s.kbli_code),
        sidt("status_badan_usaha", lambda s: s.legal_form),
        sidt("skala_usaha", lambda s: _SIDT_SCALE.get(s.scale, "")),
        sidt("modal_pendirian", lambda s: s.capital),
        sidt("bulan_mulai_operasi", lambda s: s.start_month),
        sidt("tahun_mulai_operasi", lambda s: s.start_year),
        sidt("omzet_tahunan", lambda s: s.turnover),
        sidt("asset", lambda s: s.assets),
        sidt("prov_usaha", lambda s: up(s.regency_id, 2)),
        sidt("kab_usaha", lambda s: up(s.regency_id, 1)),
        sidt("kec_usaha", lambda s: _region_name(s.kecamatan)),
        sidt("kel_usaha", lambda s: _region_name(s.desa)),
        sidt("alamat_usaha", lambda s: s.address),
        sidt("rt_usaha", lambda s: s.rt),
        sidt("rw_usaha", lambda s: s.rw),
        sidt("foto_usaha", lambda s: ""),
        sidt("alamat_latitude", lambda s: s.latitude),
        sidt("alamat_longitude", lambda s: s.longitude),
        *(workers(field) for field in _SIDT_WORKERS),
        sidt("pulled_at", lambda s: now),
        sidt("updated_at", lambda s: timezone.localtime(s.updated_at).strftime("%Y-%m-%d %H:%M:%S")),
        sidt("source_page", lambda s: ""),
    ]


def _sidt_lines(smes: QuerySet, columns: list[Column], personal: bool) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([c.header() for c in columns])
    rows = smes.select_related("owner__kecamatan", "owner__desa", "kecamatan", "desa").iterator(
        chunk_size=CHUNK_SIZE
    )
    for sme in rows:
        yield writer.writerow(
            [csv_cell(None if c.personal_field and not personal else c.value(sme)) for c in columns]
        )


def export_sidt(*, smes: QuerySet, user, include_personal: bool, detail: str = "") -> StreamingHttpResponse:
    """The registry list in SIDT's 49 columns; the personal ones are blank unless asked for by Dinas staff."""
    from sentra.regions.models import Region

    personal = include_personal and can_see_personal_data(user)
    names = {r.pk: r for r in Region.objects.exclude(level__in=[Region.Level.KECAMATAN, Region.Level.DESA]).only(
        "name", "parent_id"
    )}  # fmt: skip
    columns = _sidt_columns(names)
    if personal:
        _log_if_personal(user=user, columns=columns, rows=smes.count(), detail=detail)
    response = StreamingHttpResponse(
        _sidt_lines(smes, columns, personal), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="sidt-{_filename("csv")}"'
    return response

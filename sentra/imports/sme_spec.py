"""What an SME spreadsheet may contain, how its column headers are recognised, and what a value that
cannot be used does to its row.

Headers are compared by a key that ignores case, spaces, punctuation and a unit in brackets, so
"No. HP/WA", "no hp wa" and "NO_HP_WA" are one header. The Sentra template headers (written by the
demo generator and offered for download) and the national SIDT export (49 columns) both match
without any manual mapping.

A row is rejected only where it cannot stand: without a business or owner name, outside the
regency, with an identifier that records are matched by (NIB, NIK), or an amount that cannot be read.
Any other unusable value (a phone with a prefix nobody has, an email without @, a date that is no
date) is left out and the row imports with a warning: officers would rather have the business with
one cell empty than not have it at all.
"""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Field:
    key: str
    label: Promise | str
    headers: tuple[str, ...]
    # Recognised, but not imported: Sentra computes it (scale, KBLI category) or has no use for it.
    ignored: bool = False
    # The row cannot stand without it: an empty cell rejects the row, and the mapping must have it.
    required: bool = False
    # An unusable value rejects the row (required fields, the identifiers rows are matched by, the
    # business's region, amounts); any other field's unusable value is left out, with a warning.
    rejects: bool = False
    # Personal data (UU PDP): a value of it is masked wherever the import shows one.
    personal: bool = False

    @property
    def rejects_row(self) -> bool:
        return self.required or self.rejects


FIELDS: tuple[Field, ...] = (
    # The business
    Field(
        "name",
        _("Business name"),
        ("Nama Usaha", "Nama UMKM", "Nama UKM", "Nama Perusahaan", "Business name", "Business", "nama_usaha"),
        required=True,
    ),
    Field("brand", _("Brand"), ("Merek", "Merk", "Brand", "Merek Dagang", "Nama Merek")),
    Field(
        "phone",
        _("Phone / WhatsApp"),
        (
            "No. HP/WA",
            "No HP",
            "No. HP",
            "HP",
            "Telepon",
            "Telp",
            "No. Telp",
            "No. Telepon",
            "Phone",
            "Phone number",
            "kontak_hp",
            "Kontak",
        ),
        personal=True,
    ),
    Field(
        "whatsapp",
        _("WhatsApp"),
        ("WhatsApp", "WA", "No. WA", "Nomor WA", "No. WhatsApp", "Nomor WhatsApp"),
        personal=True,
    ),
    Field("email", _("Email"), ("Email", "E-mail", "Surel", "Alamat Email")),
    Field(
        "address",
        _("Business address"),
        ("Alamat Usaha", "Alamat", "Alamat Tempat Usaha", "Business address", "Address", "alamat_usaha"),
    ),
    Field("rt", _("RT"), ("RT", "rt_usaha", "RT Usaha")),
    Field("rw", _("RW"), ("RW", "rw_usaha", "RW Usaha")),
    Field(
        "desa",
        _("Desa / kelurahan"),
        ("Desa/Kelurahan", "Desa", "Kelurahan", "Kel.", "Desa Kelurahan", "Village", "kel_usaha"),
        rejects=True,
    ),
    Field(
        "kecamatan",
        _("Kecamatan"),
        ("Kecamatan", "Kec.", "Kec", "District", "Sub-district", "kec_usaha"),
        rejects=True,
    ),
    Field(
        "regency",
        _("Regency / city"),
        ("Kabupaten/Kota", "Kabupaten", "Kab/Kota", "Regency", "kab_usaha"),
        rejects=True,
    ),
    Field("province", _("Province"), ("Provinsi", "Province", "prov_usaha"), rejects=True),
    Field("latitude", _("Latitude"), ("Latitude", "Lat", "alamat_latitude")),
    Field("longitude", _("Longitude"), ("Longitude", "Long", "Lng", "Lon", "alamat_longitude")),
    Field("kbli", _("KBLI code"), ("KBLI", "Kode KBLI", "KBLI code", "kode_kbli")),
    Field("kbli_category", _("KBLI category"), ("Kategori KBLI", "KBLI category", "kategori_kbli")),
    Field(
        "main_activity",
        _("Main activity"),
        (
            "Kegiatan Usaha",
            "Kegiatan Utama",
            "Jenis Usaha",
            "Bidang Usaha",
            "Main activity",
            "Activity",
            "kegiatan_utama",
        ),
    ),
    Field(
        "products",
        _("Products"),
        ("Produk", "Produk Utama", "Products", "Product", "Jenis Produk", "produk_utama"),
    ),
    Field(
        "legal_form",
        _("Legal form"),
        ("Bentuk Usaha", "Badan Usaha", "Status Badan Usaha", "Legal form", "status_badan_usaha"),
    ),
    # A year or a whole date: a date gives the month too, unless the file has a start-month column.
    Field(
        "start_year",
        _("Start year or date"),
        (
            "Tahun Mulai",
            "Tahun Berdiri",
            "Tahun Mulai Usaha",
            "Tanggal Mulai Usaha",
            "Tgl. Mulai Usaha",
            "Tanggal Mulai",
            "Mulai Usaha",
            "Tanggal Berdiri",
            "Tgl. Berdiri",
            "Start year",
            "Year started",
            "Start date",
            "Date started",
            "Business start date",
            "Started",
            "Year founded",
            "Date founded",
            "Founded",
            "Year established",
            "Date established",
            "Established",
            "tahun_mulai_operasi",
        ),
    ),
    Field("start_month", _("Start month"), ("Bulan Mulai", "Start month", "bulan_mulai_operasi")),
    Field(
        "employees",
        _("Employees"),
        (
            "Jumlah Tenaga Kerja",
            "Tenaga Kerja",
            "Jumlah Karyawan",
            "Karyawan",
            "Jumlah Pekerja",
            "Employees",
            "Workers",
        ),
    ),
    Field("workers_paid_male", _("Paid workers, men"), ("tk_dibayar_laki",)),
    Field("workers_paid_female", _("Paid workers, women"), ("tk_dibayar_perempuan",)),
    Field("workers_paid_disabled_male", _("Paid workers with disability, men"), ("tk_dibayar_disabil_laki",)),
    Field(
        "workers_paid_disabled_female",
        _("Paid workers with disability, women"),
        ("tk_dibayar_disabil_perempuan",),
    ),
    Field("workers_unpaid_male", _("Unpaid workers, men"), ("tk_not_dibayar_laki",)),
    Field("workers_unpaid_female", _("Unpaid workers, women"), ("tk_not_dibayar_perempuan",)),
    Field(
        "workers_unpaid_disabled_male",
        _("Unpaid workers with disability, men"),
        ("tk_not_dibayar_disabil_laki",),
    ),
    # SIDT cuts this header to "..._perempua"; both spellings are accepted.
    Field(
        "workers_unpaid_disabled_female",
        _("Unpaid workers with disability, women"),
        ("tk_not_dibayar_disabil_perempua", "tk_not_dibayar_disabil_perempuan"),
    ),
    Field(
        "capital",
        _("Capital (Rp)"),
        ("Modal Usaha", "Modal", "Modal Awal", "Capital", "modal_pendirian"),
        rejects=True,
    ),
    Field(
        "turnover",
        _("Yearly turnover (Rp)"),
        (
            "Omzet per Tahun",
            "Omzet",
            "Omset",
            "Omzet Tahunan",
            "Omset per Tahun",
            "Turnover",
            "Yearly turnover",
            "Annual turnover",
            "omzet_tahunan",
        ),
        rejects=True,
    ),
    Field("assets", _("Assets (Rp)"), ("Aset", "Asset", "Assets", "Total Aset"), rejects=True),
    Field("nib", _("NIB"), ("NIB", "No. NIB", "Nomor Induk Berusaha"), rejects=True),
    Field("npwp", _("NPWP"), ("NPWP", "No. NPWP")),
    Field("forum", _("SME forum"), ("Forum UMKM", "Forum UKM", "Forum")),
    Field("source_ref", _("SIDT record id"), ("id_data_badan_usaha",)),
    Field("scale_declared", _("Declared scale"), ("Skala Usaha", "skala_usaha"), ignored=True),
    # The owner
    Field(
        "owner_name",
        _("Owner name"),
        ("Nama Pemilik", "Pemilik", "Owner", "Owner name", "Nama Pelaku Usaha", "nama_pengusaha"),
        required=True,
    ),
    Field(
        "owner_nik",
        _("Owner NIK"),
        ("NIK", "NIK Pemilik", "No. KTP", "No KTP", "KTP", "nik_pengusaha"),
        rejects=True,
        personal=True,
    ),
    Field(
        "owner_gender", _("Owner gender"), ("Jenis Kelamin", "JK", "L/P", "Gender", "Sex", "jenis_kelamin")
    ),
    Field(
        "owner_birth_date",
        _("Owner birth date"),
        ("Tanggal Lahir", "Tgl Lahir", "Tgl. Lahir", "Birth date", "Date of birth", "tanggal_lahir"),
        personal=True,
    ),
    Field(
        "owner_disability",
        _("Owner has a disability"),
        ("Disabilitas", "Penyandang Disabilitas", "is_disabilitas"),
    ),
    Field(
        "owner_education",
        _("Owner's formal education"),
        ("Pendidikan", "Pendidikan Terakhir", "Education", "pendidikan_formal"),
    ),
    Field(
        "owner_address",
        _("Owner home address"),
        ("Alamat Pemilik", "Alamat Rumah", "Alamat KTP", "alamat_pengusaha"),
        personal=True,
    ),
    # The owner's home, unlike the business, may be outside the regency or unknown: a spelling that
    # matches nothing leaves it out (the business is still placed by its own region).
    Field("owner_rt", _("Owner RT"), ("RT Pemilik", "rt_pengusaha"), personal=True),
    Field("owner_rw", _("Owner RW"), ("RW Pemilik", "rw_pengusaha"), personal=True),
    Field(
        "owner_desa",
        _("Owner desa / kelurahan"),
        ("Desa Pemilik", "Kelurahan Pemilik", "kel_pengusaha"),
        personal=True,
    ),
    Field("owner_kecamatan", _("Owner kecamatan"), ("Kecamatan Pemilik", "kec_pengusaha"), personal=True),
    Field("owner_regency", _("Owner regency / city"), ("Kabupaten Pemilik", "kab_pengusaha")),
    Field("owner_province", _("Owner province"), ("Provinsi Pemilik", "prov_pengusaha")),
    # Permits
    Field(
        "halal",
        _("Halal certificate number"),
        (
            "No. Sertifikat Halal",
            "Sertifikat Halal",
            "No. Halal",
            "Halal",
            "Nomor Halal",
            "Halal certificate",
        ),
    ),
    Field(
        "halal_expires",
        _("Halal certificate valid until"),
        ("Halal Berlaku Sampai", "Masa Berlaku Halal", "Halal valid until", "Halal expiry"),
    ),
    Field("pirt", _("P-IRT number"), ("No. P-IRT", "P-IRT", "PIRT", "No. PIRT", "SPP-IRT")),
    Field("bpom", _("BPOM number"), ("No. BPOM", "BPOM", "BPOM MD", "No. MD")),
    Field("hki", _("HKI / trademark number"), ("HKI", "No. HKI", "Merek Terdaftar", "HAKI")),
    Field("sni", _("SNI certificate"), ("SNI", "No. SNI", "Sertifikat SNI")),
    # Columns of SIDT and of Sentra's own rejected-rows file that carry nothing to import.
    Field("photo", _("Photo"), ("foto_usaha", "Foto", "Foto Usaha"), ignored=True),
    Field("row_number", _("Row number"), ("No", "No.", "Nomor", "No Urut", "Row"), ignored=True),
    Field(
        "reason",
        _("Reason (from a rejected-rows file)"),
        ("Alasan", "Reason", "Alasan Ditolak"),
        ignored=True,
    ),
    Field("sidt_meta", _("SIDT bookkeeping"), ("pulled_at", "updated_at", "source_page"), ignored=True),
)

FIELDS_BY_KEY = {f.key: f for f in FIELDS}
REQUIRED = tuple(f.key for f in FIELDS if f.required)

# The canonical Sentra template, in order: what the demo generator writes and users may download.
TEMPLATE_HEADERS = (
    "Nama Usaha", "Merek", "Nama Pemilik", "NIK", "Jenis Kelamin", "Tanggal Lahir", "No. HP/WA", "Email",
    "Alamat Usaha", "RT", "RW", "Desa/Kelurahan", "Kecamatan", "Latitude", "Longitude", "KBLI",
    "Kegiatan Usaha", "Produk", "Tahun Mulai", "Jumlah Tenaga Kerja", "Modal Usaha", "Omzet per Tahun",
    "NIB", "NPWP", "No. Sertifikat Halal", "Halal Berlaku Sampai", "No. P-IRT", "No. BPOM", "Forum UMKM",
)  # fmt: skip

# The first column of every SIDT export; its presence marks the file's source as "sidt".
SIDT_MARKER = "id_data_badan_usaha"
REASON_HEADER = _("Reason")

_BRACKETED = re.compile(r"\(.*?\)|\[.*?\]")
_UNIT_SUFFIX = re.compile(r"(rp|idr)$")


def header_key(text: object) -> str:
    """ "No. HP/WA" -> "nohpwa"; "Modal Usaha (Rp)" -> "modalusaha"."""
    plain = _BRACKETED.sub("", str(text or "")).lower()
    key = re.sub(r"[^a-z0-9]", "", plain)
    return _UNIT_SUFFIX.sub("", key) if len(key) > 5 else key


_KEY_TO_FIELD: dict[str, str] = {}
for _field in FIELDS:
    for _header in _field.headers:
        _KEY_TO_FIELD.setdefault(header_key(_header), _field.key)


def field_for_header(header: object) -> str | None:
    return _KEY_TO_FIELD.get(header_key(header))


def match_headers(headers: list[str]) -> list[str | None]:
    """The field each column feeds, by position; None for an unknown column or a second one for a field."""
    mapping: list[str | None] = []
    taken: set[str] = set()
    for header in headers:
        key = field_for_header(header)
        if key is not None and key in taken and not FIELDS_BY_KEY[key].ignored:
            key = None
        if key is not None:
            taken.add(key)
        mapping.append(key)
    return mapping


def recognised_count(mapping: list[str | None]) -> int:
    return sum(1 for key in mapping if key and not FIELDS_BY_KEY[key].ignored)


def is_sidt(headers: list[str]) -> bool:
    return any(header_key(h) == header_key(SIDT_MARKER) for h in headers)


def field_choices() -> list[tuple[str, str]]:
    return [(f.key, str(f.label)) for f in FIELDS if not f.ignored]

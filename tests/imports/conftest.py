"""Small spreadsheets written on the fly: Sentra template rows, SIDT rows, and writers for each format."""

import csv
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation
from stdnum import luhn

from sentra.imports.sme_spec import TEMPLATE_HEADERS


def nik(serial: int, *, kecamatan: str = "09", day: int = 12, female: bool = False) -> str:
    return f"3216{kecamatan}{day + 40 if female else day:02d}0590{serial:04d}"


def nib(serial: int) -> str:
    return f"91200{serial:08d}"


def npwp(serial: int) -> str:
    first = f"01{serial:06d}"
    return first + luhn.calc_check_digit(first) + "407000"


def template_row(i: int, **overrides) -> dict:
    """One valid row of the Sentra template, in Cikarang Utara unless told otherwise."""
    row = {
        "Nama Usaha": f"Keripik Singkong Bu Siti {i}",
        "Merek": f"Siti Snack {i}",
        "Nama Pemilik": f"Siti Rahayu {i}",
        "NIK": nik(i + 1, female=True),
        "Jenis Kelamin": "P",
        "Tanggal Lahir": "12/05/1990",
        "No. HP/WA": f"0812{i + 10000000:08d}",
        "Email": f"siti{i}@example.id",
        "Alamat Usaha": f"Jl. Raya Industri No. {i}",
        "RT": "001",
        "RW": "002",
        "Desa/Kelurahan": "Karangasih",
        "Kecamatan": "Cikarang Utara",
        "Latitude": "-6.2612",
        "Longitude": "107.1521",
        "KBLI": "10794",
        "Kegiatan Usaha": "Produksi keripik singkong",
        "Produk": "Keripik singkong balado; keripik original",
        "Tahun Mulai": "2015",
        "Jumlah Tenaga Kerja": "3",
        "Modal Usaha": "25000000",
        "Omzet per Tahun": "Rp 120.000.000",
        "NIB": nib(i + 1),
        "NPWP": "",
        "No. Sertifikat Halal": f"ID3216{i + 1:010d}",
        "Halal Berlaku Sampai": "31/12/2028",
        "No. P-IRT": "",
        "No. BPOM": "",
        "Forum UMKM": "Forum UMKM Cikarang Utara",
    }
    row.update(overrides)
    return row


def write_xlsx(path: Path, headers, rows, *, title_rows=()) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for line in title_rows:
        sheet.append(list(line))
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(h, "") for h in headers] if isinstance(row, dict) else list(row))
    book.save(path)
    return path


def write_csv(path: Path, headers, rows, *, delimiter=",", encoding="utf-8") -> Path:
    with open(path, "w", newline="", encoding=encoding) as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row.get(h, "") for h in headers] if isinstance(row, dict) else row)
    return path


@pytest.fixture
def template_file(tmp_path):
    """A factory: template_file(rows, name="smes.xlsx") writes the Sentra template with those rows."""

    def make(rows, name="smes.xlsx", headers=TEMPLATE_HEADERS):
        path = tmp_path / name
        if name.endswith(".csv"):
            return write_csv(path, headers, rows)
        return write_xlsx(path, headers, rows)

    return make


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def english(settings):
    """Tests read the English source strings; one test per page checks the Indonesian."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


SIDT_HEADERS = [
    h.strip()
    for h in [
        "id_data_badan_usaha",
        " nik_pengusaha",
        " nama_pengusaha",
        " nib",
        " jenis_kelamin",
        " is_disabilitas",
        " tanggal_lahir",
        "\npendidikan_formal",
        " kontak_hp",
        " prov_pengusaha",
        " kab_pengusaha",
        " kec_pengusaha",
        " kel_pengusaha",
        "\nalamat_pengusaha",
        " rt_pengusaha",
        " rw_pengusaha",
        " nama_usaha",
        " kegiatan_utama",
        " produk_utama",
        " kategori_kbli",
        "\nkode_kbli",
        " status_badan_usaha",
        " skala_usaha",
        " modal_pendirian",
        " bulan_mulai_operasi",
        " tahun_mulai_operasi",
        "\nomzet_tahunan",
        " asset",
        " prov_usaha",
        " kab_usaha",
        " kec_usaha",
        " kel_usaha",
        " alamat_usaha",
        " rt_usaha",
        " rw_usaha",
        "\nfoto_usaha",
        " alamat_latitude",
        " alamat_longitude",
        " tk_dibayar_laki",
        " tk_dibayar_perempuan",
        "\ntk_dibayar_disabil_laki",
        " tk_dibayar_disabil_perempuan",
        " tk_not_dibayar_laki",
        " tk_not_dibayar_perempuan",
        "\ntk_not_dibayar_disabil_laki",
        " tk_not_dibayar_disabil_perempua",
        " pulled_at",
        " updated_at",
        " source_page",
    ]
]


def sidt_row(i: int, **overrides) -> dict:
    """One SIDT export row: the owner lives in Tambun Selatan, the business is in Cikarang Utara."""
    row = {
        "id_data_badan_usaha": f"SIDT-{i:06d}",
        "nik_pengusaha": nik(500 + i, kecamatan="06", day=3),
        "nama_pengusaha": f"Ahmad Fauzi {i}",
        "nib": nib(700 + i),
        "jenis_kelamin": "Laki-laki",
        "is_disabilitas": "Ya",
        "tanggal_lahir": "1985-05-03",
        "pendidikan_formal": "SMA/SMK",
        "kontak_hp": "+6281311112222",
        "prov_pengusaha": "JAWA BARAT",
        "kab_pengusaha": "KABUPATEN BEKASI",
        "kec_pengusaha": "TAMBUN SELATAN",
        "kel_pengusaha": "",
        "alamat_pengusaha": "Perum Griya Asri Blok C2 No. 7",
        "rt_pengusaha": "3",
        "rw_pengusaha": "11",
        "nama_usaha": f"Bengkel Las Fauzi {i}",
        "kegiatan_utama": "Jasa pengelasan",
        "produk_utama": "Pagar, teralis, kanopi",
        "kategori_kbli": "C",
        "kode_kbli": "25111",
        "status_badan_usaha": "Perorangan",
        "skala_usaha": "Mikro",
        "modal_pendirian": "150000000",
        "bulan_mulai_operasi": "7",
        "tahun_mulai_operasi": "2012",
        "omzet_tahunan": "480000000",
        "asset": "90000000",
        "prov_usaha": "JAWA BARAT",
        "kab_usaha": "KABUPATEN BEKASI",
        "kec_usaha": "CIKARANG UTARA",
        "kel_usaha": "KARANGASIH",
        "alamat_usaha": "Jl. Raya Cikarang-Cibarusah Km 2",
        "rt_usaha": "2",
        "rw_usaha": "4",
        "foto_usaha": "https://example.invalid/foto.jpg",
        "alamat_latitude": "-6.2701",
        "alamat_longitude": "107.1398",
        "tk_dibayar_laki": "3",
        "tk_dibayar_perempuan": "1",
        "tk_dibayar_disabil_laki": "1",
        "tk_dibayar_disabil_perempuan": "0",
        "tk_not_dibayar_laki": "1",
        "tk_not_dibayar_perempuan": "2",
        "tk_not_dibayar_disabil_laki": "0",
        "tk_not_dibayar_disabil_perempua": "1",
        "pulled_at": "2026-04-15 10:00:00",
        "updated_at": "2026-04-01 08:00:00",
        "source_page": "12",
    }
    row.update(overrides)
    return row

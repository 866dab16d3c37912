import pytest

from sentra.imports.sme_spec import TEMPLATE_HEADERS, header_key, is_sidt, match_headers

from .conftest import SIDT_HEADERS


def test_every_sentra_template_header_matches_a_field_with_no_mapping():
    mapping = match_headers(list(TEMPLATE_HEADERS))
    assert None not in mapping
    assert len(set(mapping)) == len(TEMPLATE_HEADERS)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Nama Usaha", "name"),
        ("NAMA UMKM", "name"),
        ("Business name", "name"),
        ("NIK", "owner_nik"),
        ("NIK Pemilik", "owner_nik"),
        ("No. KTP", "owner_nik"),
        ("Nama Pemilik", "owner_name"),
        ("Owner", "owner_name"),
        ("No HP", "phone"),
        ("No. HP/WA", "phone"),
        ("WhatsApp", "whatsapp"),
        ("No. WA", "whatsapp"),
        ("Telepon", "phone"),
        ("Alamat", "address"),
        ("Desa", "desa"),
        ("Kelurahan", "desa"),
        ("Desa/Kelurahan", "desa"),
        ("Kecamatan", "kecamatan"),
        ("Kec.", "kecamatan"),
        ("KBLI", "kbli"),
        ("Produk", "products"),
        ("Modal", "capital"),
        ("Modal Usaha (Rp)", "capital"),
        ("Omzet", "turnover"),
        ("Omzet per Tahun", "turnover"),
        ("Omset", "turnover"),
        ("NIB", "nib"),
        ("NPWP", "npwp"),
        ("Sertifikat Halal", "halal"),
        ("No. Halal", "halal"),
        ("P-IRT", "pirt"),
        ("PIRT", "pirt"),
        ("BPOM", "bpom"),
        ("HKI", "hki"),
        ("SNI", "sni"),
        ("Tahun Mulai", "start_year"),
        ("Tenaga Kerja", "employees"),
        ("Jumlah Karyawan", "employees"),
        ("Jenis Kelamin", "owner_gender"),
        ("Tanggal Lahir", "owner_birth_date"),
        ("E-mail", "email"),
        ("Merek", "brand"),
        ("Latitude", "latitude"),
        ("Longitude", "longitude"),
        ("RT", "rt"),
        ("RW", "rw"),
        ("  nama   usaha ", "name"),
    ],
)
def test_indonesian_and_english_header_variants_are_recognised(header, field):
    assert match_headers([header]) == [field]


def test_headers_compare_without_case_spaces_or_punctuation():
    assert header_key("No. HP/WA") == header_key("no hp wa") == header_key("NO_HP_WA")


def test_an_unknown_column_and_a_second_column_for_one_field_are_left_unmapped():
    assert match_headers(["Nama Usaha", "Catatan", "Nama UMKM"]) == ["name", None, None]


def test_the_sidt_export_maps_every_column_with_no_manual_mapping():
    mapping = match_headers(SIDT_HEADERS)
    assert len(SIDT_HEADERS) == 49
    assert None not in mapping
    by_header = dict(zip(SIDT_HEADERS, mapping, strict=True))
    assert by_header["alamat_pengusaha"] == "owner_address"
    assert by_header["alamat_usaha"] == "address"
    assert by_header["kec_pengusaha"] == "owner_kecamatan"
    assert by_header["kec_usaha"] == "kecamatan"
    assert by_header["is_disabilitas"] == "owner_disability"
    assert by_header["tk_not_dibayar_disabil_perempua"] == "workers_unpaid_disabled_female"
    assert by_header["id_data_badan_usaha"] == "source_ref"
    assert is_sidt(SIDT_HEADERS)
    assert not is_sidt(list(TEMPLATE_HEADERS))


def test_the_reason_column_of_a_rejected_rows_file_is_recognised_and_ignored():
    from sentra.imports.sme_spec import FIELDS_BY_KEY

    [key] = match_headers(["Alasan"])
    assert FIELDS_BY_KEY[key].ignored

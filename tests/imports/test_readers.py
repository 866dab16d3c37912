"""Reading files: every reason a file is refused is one translated line, never a traceback."""

import pytest
import xlsxwriter
from django.utils import translation

from sentra.imports.readers import FileRejected, open_table, sniff_delimiter
from sentra.imports.sme_spec import TEMPLATE_HEADERS

from .conftest import template_row, write_csv, write_xlsx


def rejection(path, name=""):
    with pytest.raises(FileRejected) as caught:
        open_table(path, name=name or path.name)
    return caught.value


def test_an_xlsx_is_read_from_its_first_non_empty_sheet_below_title_rows(tmp_path):
    path = tmp_path / "data.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("Kosong")
    sheet = book.add_worksheet("Data")
    sheet.write_row(0, 0, ["Data UMKM Kecamatan Cikarang Utara 2026"])
    sheet.write_row(2, 0, ["Nama Usaha", "Nama Pemilik", "NIK", "Kecamatan"])
    sheet.write_row(3, 0, ["Warung Bu Imas", "Imas", "3216094407900012", "Cikarang Utara"])
    book.close()
    table = open_table(path)
    assert table.sheet_name == "Data"
    assert table.header_row == 3
    assert table.headers == ["Nama Usaha", "Nama Pemilik", "NIK", "Kecamatan"]
    assert list(table.rows) == [(4, ["Warung Bu Imas", "Imas", "3216094407900012", "Cikarang Utara"])]


@pytest.mark.parametrize(("delimiter", "encoding"), [(",", "utf-8-sig"), (";", "cp1252"), ("\t", "utf-8")])
def test_a_csv_is_read_whatever_its_delimiter_and_encoding(tmp_path, delimiter, encoding):
    path = write_csv(
        tmp_path / "data.csv",
        TEMPLATE_HEADERS,
        [template_row(1, **{"Nama Pemilik": "Siti Aisyah Façade", "Alamat Usaha": "Jl. Merdeka, No. 5"})],
        delimiter=delimiter,
        encoding=encoding,
    )
    table = open_table(path)
    assert table.headers == list(TEMPLATE_HEADERS)
    [(number, row)] = list(table.rows)
    assert number == 2
    assert row[2] == "Siti Aisyah Façade"
    assert row[8] == "Jl. Merdeka, No. 5"


def test_the_delimiter_is_the_one_that_splits_lines_into_most_columns_consistently():
    assert sniff_delimiter(["a;b;c,d\n", "1;2;3,5\n"]) == ";"
    assert sniff_delimiter(["a,b,c\n", "1,2,3\n"]) == ","


def test_a_pdf_is_not_a_spreadsheet(tmp_path):
    path = tmp_path / "laporan.pdf"
    path.write_bytes(b"%PDF-1.7\n\x00\x01binary")
    assert rejection(path).code == "not_spreadsheet"


def test_a_binary_file_named_csv_is_not_a_spreadsheet(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert rejection(path).code == "not_spreadsheet"


def test_a_zip_that_is_not_a_workbook_is_not_a_spreadsheet(tmp_path):
    import zipfile

    path = tmp_path / "data.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert rejection(path).code == "not_spreadsheet"


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"")
    assert rejection(path).code == "empty"


def test_a_workbook_with_only_empty_sheets_is_refused_as_empty(tmp_path):
    path = tmp_path / "data.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet()
    book.close()
    assert rejection(path).code == "empty"


def test_a_password_protected_xlsx_is_refused_with_a_clear_reason(tmp_path):
    path = tmp_path / "rahasia.xlsx"
    # An encrypted Office file is an OLE compound file, whatever its extension says.
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    error = rejection(path)
    assert error.code == "encrypted"
    assert "password" in str(error)


def test_a_file_over_the_size_limit_is_refused(tmp_path, settings):
    settings.SENTRA_IMPORT_MAX_MB = 1
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b,c\n" * 200_000)
    error = rejection(path)
    assert error.code == "too_large"
    assert "1 MB" in str(error)


def test_a_file_without_a_recognisable_header_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "data.xlsx", ["Kolom A", "Kolom B", "Kolom C"], [["1", "2", "3"]])
    assert rejection(path).code == "no_header"


def test_rejection_reasons_are_translated(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"")
    with translation.override("en"):
        assert str(rejection(path)) == "The file is empty."
    with translation.override("id"):
        assert str(rejection(path)) != "The file is empty."


def write_ods(path, rows):
    """A minimal OpenDocument spreadsheet, as LibreOffice Calc saves one: a zip of XML parts."""
    import zipfile
    from xml.sax.saxutils import escape

    def cell(value):
        if isinstance(value, int):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="UMKM">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        # The mimetype comes first and uncompressed: that is how readers recognise the format.
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)


def test_an_ods_from_libreoffice_is_read(tmp_path):
    path = tmp_path / "umkm.ods"
    write_ods(path, [["Nama Usaha", "NIK", "Tahun Mulai"], ["Warung Bu Imas", "3216094407900012", 2019]])
    table = open_table(path)
    assert table.headers == ["Nama Usaha", "NIK", "Tahun Mulai"]
    assert [row[:2] for _number, row in table.rows] == [["Warung Bu Imas", "3216094407900012"]]


@pytest.mark.django_db
def test_an_ods_imports_like_an_xlsx(tmp_path, officer):
    from sentra.imports.services import import_file
    from sentra.registry.models import Sme

    path = tmp_path / "umkm.ods"
    row = template_row(1, **{"Nama Usaha": "Keripik Ods"})
    write_ods(path, [list(TEMPLATE_HEADERS), [row.get(h, "") for h in TEMPLATE_HEADERS]])
    job = import_file(path=path, actor=officer)
    assert (job.status, job.created, job.rejected) == ("done", 1, 0)
    assert Sme.objects.get().name == "Keripik Ods"

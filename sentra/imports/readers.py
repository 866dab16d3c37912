"""Reading spreadsheets: .xlsx/.xls/.ods through python-calamine, .csv with encoding and delimiter sniffing.

Rows are streamed as lists of raw cell values, with their 1-based row number in the file. A file that
cannot be read is refused with `FileRejected`, whose message is one translated line for the user.
"""

import codecs
import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .sme_spec import match_headers, recognised_count

ZIP_MAGIC = b"PK\x03\x04"
# OLE compound file: a legacy .xls, or an Office file encrypted with a password.
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SPREADSHEET_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"}
HEADER_MIN_CELLS = 3
HEADER_SEARCH_ROWS = 30
CSV_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
CSV_DELIMITERS = (",", ";", "\t")
_CHUNK = 1 << 20


class FileRejected(Exception):
    """The file as a whole cannot be imported; `message` says why in one line."""

    def __init__(self, code: str, message: Any) -> None:
        super().__init__(code)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def max_bytes() -> int:
    return settings.SENTRA_IMPORT_MAX_MB * 1024 * 1024


def too_large() -> FileRejected:
    return FileRejected(
        "too_large",
        _("The file is larger than %(mb)s MB; split it into smaller files.")
        % {"mb": settings.SENTRA_IMPORT_MAX_MB},
    )


def detect_format(path: Path, *, name: str = "") -> str:
    """ "xlsx", "xls", "ods" or "csv", judged by the file's first bytes; the extension only breaks ties."""
    extension = Path(name or path.name).suffix.lower()
    size = path.stat().st_size
    if size == 0:
        raise FileRejected("empty", _("The file is empty."))
    if size > max_bytes():
        raise too_large()
    with open(path, "rb") as f:
        head = f.read(8192)
    if head.startswith(CFB_MAGIC):
        if extension in {".xlsx", ".xlsm", ".ods"}:
            raise FileRejected(
                "encrypted",
                _("The file is protected with a password; save it again without a password and upload that."),
            )
        return "xls"
    if head.startswith(ZIP_MAGIC):
        return _zip_format(path)
    if extension in {".csv", ".txt", ""} and _looks_like_text(head):
        return "csv"
    raise FileRejected(
        "not_spreadsheet", _("This is not a spreadsheet: upload an .xlsx, .xls, .ods or .csv file.")
    )


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and b"spreadsheet" in archive.read("mimetype"):
                return "ods"
    except zipfile.BadZipFile:
        pass
    raise FileRejected(
        "not_spreadsheet", _("This is not a spreadsheet: upload an .xlsx, .xls, .ods or .csv file.")
    )


def _looks_like_text(head: bytes) -> bool:
    return b"\x00" not in head


@dataclass
class Table:
    """A sheet (or CSV file) positioned after its header row."""

    headers: list[str]
    header_row: int
    rows: Iterator[tuple[int, list[Any]]]
    sheet_name: str = ""
    encoding: str = ""
    delimiter: str = ""
    close: Any = field(default=None, repr=False)


def sme_recognised(headers: list[str]) -> int:
    return recognised_count(match_headers(headers))


def open_table(path: Path, *, name: str = "", recognise=sme_recognised) -> Table:
    """The first non-empty sheet's header and a stream of the rows under it.

    `recognise` counts the import kind's fields a row of headers names: a header row names one at least.
    """
    kind = detect_format(path, name=name)
    if kind == "csv":
        rows, encoding, delimiter, closer = _csv_rows(path)
        table = _with_header(rows, sheet_name="", close=closer, recognise=recognise)
        table.encoding, table.delimiter = encoding, delimiter
        return table
    return _calamine_table(path, recognise)


def _calamine_table(path: Path, recognise=sme_recognised) -> Table:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        for index in range(len(workbook.sheet_names)):
            sheet = workbook.get_sheet_by_index(index)
            if sheet.height == 0 or sheet.width == 0:
                continue
            rows = ((number, row) for number, row in enumerate(sheet.iter_rows(), start=sheet.start[0] + 1))
            table = _with_header(rows, sheet_name=sheet.name, close=workbook.close, recognise=recognise)
            return table
    except python_calamine.PasswordError:
        raise FileRejected(
            "encrypted",
            _("The file is protected with a password; save it again without a password and upload that."),
        ) from None
    except FileRejected:
        raise
    except Exception:  # noqa: BLE001 - calamine raises many kinds for a damaged file; the user needs one line.
        raise FileRejected(
            "unreadable",
            _("The file cannot be read as a spreadsheet; it may be damaged. Save it again and retry."),
        ) from None
    raise FileRejected("empty", _("The file is empty."))


def _with_header(
    rows: Iterator[tuple[int, list[Any]]], *, sheet_name: str, close: Any, recognise=sme_recognised
) -> Table:
    seen_any = False
    for number, row in rows:
        filled = sum(1 for value in row if not _blank(value))
        seen_any = seen_any or filled > 0
        if filled >= HEADER_MIN_CELLS:
            headers = [_header_text(value) for value in row]
            while headers and not headers[-1]:
                headers.pop()
            if recognise(headers) == 0:
                break
            return Table(headers=headers, header_row=number, rows=rows, sheet_name=sheet_name, close=close)
        if number >= HEADER_SEARCH_ROWS:
            break
    if not seen_any:
        raise FileRejected("empty", _("The file is empty."))
    raise FileRejected(
        "no_header",
        _(
            "No header row was recognised: the first row with three or more filled cells must name the "
            "columns, e.g. Nama Usaha, Nama Pemilik, NIK, Kecamatan."
        ),
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


# --- CSV -------------------------------------------------------------------------------------------


def sniff_encoding(path: Path) -> str:
    """The first of utf-8-sig, cp1252 and latin-1 that decodes the whole file (latin-1 always does)."""
    for encoding in CSV_ENCODINGS[:-1]:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as f:
                while chunk := f.read(_CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return CSV_ENCODINGS[-1]


def sniff_delimiter(sample_lines: list[str]) -> str:
    """The delimiter that splits the opening lines into the most columns, consistently."""
    best, best_score = ",", -1
    for delimiter in CSV_DELIMITERS:
        widths = [len(row) for row in csv.reader(sample_lines, delimiter=delimiter) if any(row)]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = common * widths.count(common) if common >= 2 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(path: Path):
    encoding = sniff_encoding(path)
    f = open(path, encoding=encoding, newline="")  # noqa: SIM115 - closed by Table.close or on exhaustion.
    sample = []
    for _index in range(HEADER_SEARCH_ROWS):
        line = f.readline()
        if not line:
            break
        sample.append(line)
    delimiter = sniff_delimiter(sample)
    f.seek(0)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            yield from enumerate(csv.reader(f, delimiter=delimiter), start=1)
        finally:
            f.close()

    return rows(), encoding, delimiter, f.close

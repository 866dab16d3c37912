"""Report workbooks (.xlsx), one way for every area: a sheet per table, a bold frozen header row,
and Rupiah shown with thousands separators."""

import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

MONEY = "#,##0"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def new_workbook() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    return book


def add_sheet(book: Workbook, title: str, headers: list[str], rows, *, width: int = 20) -> None:
    sheet = book.create_sheet(title[:31])  # Excel's limit on a sheet name
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = width


def workbook_bytes(book: Workbook) -> bytes:
    # In these reports a whole number above 10,000 is an amount of Rupiah (counts and years stay below).
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, int) and not isinstance(cell.value, bool) and cell.value > 10_000:
                    cell.number_format = MONEY
    target = io.BytesIO()
    book.save(target)
    return target.getvalue()


def attachment(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

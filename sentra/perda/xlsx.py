"""The yearly compliance report as .xlsx: one row per business and period, and a summary per business."""

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .report import COUNTED, YearReport

MONEY = "#,##0"


def _sheet(book, title: str, headers: list[str], rows) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 20


def build_workbook(result: YearReport) -> bytes:
    book = Workbook()
    book.remove(book.active)
    _sheet(
        book,
        _("Businesses"),
        [_("Business"), _("Category"), _("Measured on"), _("Percentage required"), _("Share of the year (%)"),
         *[str(s.label) for s in COUNTED]],
        ([r.obligation.partner.name, r.obligation.get_category_display(), r.obligation.get_basis_display(),
          float(r.obligation.percentage), float(r.share) if r.share is not None else None,
          *[r.counts[s.value] for s in COUNTED]] for r in result.rows),
    )  # fmt: skip
    rows = []
    for row in result.rows:
        for cell in row.cells:
            report = cell.report
            rows.append(
                [row.obligation.partner.name, cell.period.label, cell.period.start, cell.period.end, cell.status_label,
                 float(report.total) if report and not report.in_rupiah else (report.total_idr if report else None),
                 float(report.allocated) if report and not report.in_rupiah else (report.allocated_idr if report else None),
                 float(report.share) if report else None,
                 float(report.percentage) if report and report.percentage is not None else None,
                 str(report.public_id) if report else ""]
            )  # fmt: skip
    _sheet(
        book,
        _("Periods"),
        [_("Business"), _("Period"), _("Period starts"), _("Period ends"), _("Status"), _("Total"),
         _("For SMEs and cooperatives"), _("Share (%)"), _("Percentage required"), _("Report")],
        rows,
    )  # fmt: skip
    for sheet in book.worksheets:
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                if isinstance(cell.value, int) and not isinstance(cell.value, bool) and cell.value > 10_000:
                    cell.number_format = MONEY
    target = io.BytesIO()
    book.save(target)
    return target.getvalue()


def response(result: YearReport) -> HttpResponse:
    answer = HttpResponse(
        build_workbook(result),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    answer["Content-Disposition"] = f'attachment; filename="kepatuhan-perda-{result.year}.xlsx"'
    return answer

"""The yearly compliance report as .xlsx: one row per business and period, and a summary per business."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from sentra.core.xlsx import add_sheet, attachment, new_workbook, workbook_bytes

from .report import COUNTED, YearReport


def build_workbook(result: YearReport) -> bytes:
    book = new_workbook()
    add_sheet(
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
    add_sheet(
        book,
        _("Periods"),
        [_("Business"), _("Period"), _("Period starts"), _("Period ends"), _("Status"), _("Total"),
         _("For SMEs and cooperatives"), _("Share (%)"), _("Percentage required"), _("Report")],
        rows,
    )  # fmt: skip
    return workbook_bytes(book)


def response(result: YearReport) -> HttpResponse:
    return attachment(build_workbook(result), f"kepatuhan-perda-{result.year}.xlsx")

"""The officer's Bebeli report as an .xlsx workbook: one sheet per table of the report page."""

from django.utils.translation import gettext as _

from sentra.core.xlsx import add_sheet, new_workbook, workbook_bytes

from .reports import Report


def _pct(value):
    return None if value is None else round(value, 1)


def build_workbook(report: Report) -> bytes:
    book = new_workbook()
    headers = [_("Period"), _("Verified total (Rp)"), _("Purchases"), _("Growth (%)")]
    add_sheet(
        book, _("By year"), headers, ([r.label, r.amount, r.count, _pct(r.growth)] for r in report.years)
    )
    add_sheet(
        book,
        _("By month"),
        [*headers, _("SMEs")],
        ([r.label, r.amount, r.count, _pct(r.growth), r.smes] for r in report.months),
    )
    add_sheet(
        book,
        _("By buyer"),
        [_("Buyer"), _("Verified total (Rp)"), _("Purchases"), _("SMEs"), _("Target (Rp)"), _("Of target (%)"),
         _("Goods and services budget (Rp)"), _("Of budget (%)"), _("Meets the national 40%"), _("Top 3 SMEs' share (%)")],
        ([r.label, r.amount, r.count, r.smes, r.extra["target"], _pct(r.extra["of_target"]), r.extra["budget"],
          _pct(r.extra["of_budget"]), r.extra["meets_national"], _pct(r.extra["top3_share"])] for r in report.buyers),
    )  # fmt: skip
    for title, rows in ((_("By kecamatan"), report.kecamatan), (_("By sector"), report.sectors),
                        (_("By SME scale"), report.scales)):  # fmt: skip
        add_sheet(
            book,
            title,
            [_("Group"), _("Verified total (Rp)"), _("Purchases"), _("SMEs")],
            ([r.label, r.amount, r.count, r.smes] for r in rows),
        )
    add_sheet(
        book,
        _("Summary"),
        [_("Figure"), _("Value")],
        [
            [_("Year"), report.year],
            [_("Verified total (Rp)"), report.total],
            [_("Purchases"), report.count],
            [_("Distinct SMEs that sold"), report.distinct_smes],
            [_("Median days from receipt to payment"), report.median_days],
            [_("Waiting for verification"), report.pending_count],
            [_("Waiting for verification (Rp)"), report.pending_amount],
        ],
    )
    return workbook_bytes(book)

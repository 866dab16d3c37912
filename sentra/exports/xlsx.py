"""The export report as an .xlsx workbook: one sheet per table of the report page, and the shipments."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from sentra.core.xlsx import add_sheet, attachment, new_workbook, workbook_bytes

from .reports import Report, shipments_in_scope


def build_workbook(report: Report, *, user) -> bytes:
    book = new_workbook()
    add_sheet(
        book,
        _("By year"),
        [_("Year"), _("Products shipped"), _("Products for the first time"), _("Products gone international (running)"),
         _("SMEs exporting for the first time"), _("Shipments"), _("Export value (Rp)"), _("Median days PO to shipment")],
        ([r.year, r.products_shipped, r.products_first, r.products_cumulative, r.smes_first, r.shipments, r.value_idr,
          r.median_days] for r in report.years),
    )  # fmt: skip
    years = [r.year for r in report.years]
    add_sheet(
        book,
        _("By country and year"),
        [_("Country"), *[str(y) for y in years], _("Total (Rp)")],
        ([countries.name(c["country"]), *[c["years"].get(y, 0) for y in years], c["total"]] for c in report.country_years),
    )  # fmt: skip
    add_sheet(
        book,
        _("Destinations"),
        [_("Country"), _("Shipments"), _("Products"), _("SMEs"), _("Export value (Rp)")],
        (
            [countries.name(c["country"]), c["shipments"], c["products"], c["smes"], c["value"]]
            for c in report.countries
        ),
    )
    add_sheet(
        book,
        _("First-time exporters"),
        [_("SME"), _("First shipment")],
        ([r["name"], r["first"]] for r in report.first_time_smes),
    )
    shipments = (
        shipments_in_scope(user)
        .select_related("order", "order__deal__sme", "order__deal__buyer")
        .order_by("shipped_on", "id")
    )
    add_sheet(
        book,
        _("Shipments"),
        [_("Shipment date"), _("SME"), _("Buyer"), _("Destination country"), _("PO number"), _("PO date"),
         _("Currency"), _("PO value (minor units)"), _("Exchange rate"), _("Value (Rp)"), _("PEB number"),
         _("Port of loading"), _("Customs facilitation"), _("Dinas facilitation")],
        ([s.shipped_on, s.order.deal.sme.name, s.order.deal.buyer.name, countries.name(s.destination_country.code),
          s.order.number, s.order.ordered_on, s.order.currency, s.order.value_minor, s.order.rate, s.order.value_idr,
          s.peb_number, s.port, s.customs_facilitation, s.dinas_facilitation] for s in shipments.iterator(chunk_size=2000)),
    )  # fmt: skip
    return workbook_bytes(book)


def report_response(report: Report, *, user) -> HttpResponse:
    return attachment(build_workbook(report, user=user), f"ekspor-{timezone.localdate():%Y-%m-%d}.xlsx")

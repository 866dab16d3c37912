"""The public transparency page: Bebeli's verified totals, aggregates only, for anyone to check.

No names of people, no single business's figure: buyer and kecamatan cells, month and year totals
resting on fewer than three SMEs are suppressed (see `reports`), civil servants buying for themselves
appear only together.
"""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sentra.core.permissions import public

from . import charts, reports
from .forms import YearForm


def _year(request):
    form = YearForm(request.GET)
    return form.cleaned_data["year"] if form.is_valid() else None


@public
def transparency(request):
    figures = reports.public_figures(year=_year(request))
    chart = charts.monthly_bars(figures.months, year=figures.year)
    return render(request, "bebeli/public.html", {"figures": figures, "chart": chart, "months": range(1, 13)})


@public
def transparency_csv(request):
    figures = reports.public_figures(year=_year(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bebeli-{figures.year}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("table"), _("name"), _("year"), _("month"), _("verified total (Rp)"), _("SMEs")])
    for month in figures.months:
        amount = "" if month["amount"] is None else month["amount"]  # suppressed, like the cells below
        writer.writerow([_("all"), "", figures.year, month["month"], amount, month["smes"]])
    for table, rows in ((_("buyer"), figures.buyers), (_("kecamatan"), figures.kecamatan)):
        for name, cells, _year_cell in rows:
            for month, cell in enumerate(cells, start=1):
                if cell.smes:
                    amount = "" if cell.amount is None else cell.amount
                    writer.writerow([table, name, figures.year, month, amount, cell.smes])
    writer.writerow(
        [_("median days from receipt to payment"), "", figures.year, "", figures.median_days or "", ""]
    )
    return response

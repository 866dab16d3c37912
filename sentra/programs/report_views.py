"""Reports of the programmes: reach, attendance, outcomes, sales before and after, and the .xlsx."""

import io

import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.permissions import DINAS, role_required
from sentra.registry.models import Sme
from sentra.sales import channels as sales

from . import reports
from .access import get_programme_for_user, load_scope, programmes_for_user, smes_for_user
from .forms import ReportFilterForm
from .models import CompletionCertificate, Outcome
from .outcomes import scale_moves
from .views import PAGE_SIZE, _query_without, programme_years

OUTCOME_FILTERS = {
    "certificate": lambda: Outcome.objects.filter(enrolment=OuterRef("pk"), kind=Outcome.Kind.CERTIFICATE),
    "product": lambda: Outcome.objects.filter(enrolment=OuterRef("pk"), kind=Outcome.Kind.PRODUCT),
    "completed": lambda: CompletionCertificate.objects.filter(
        enrolment=OuterRef("pk"), revoked_at__isnull=True
    ),
}


def _report(request) -> dict:
    load_scope(request.user)
    form = ReportFilterForm(request.GET, years=programme_years())
    year = form.chosen_year
    programmes = reports.programmes_in(programmes_for_user(request.user), year)
    smes = smes_for_user(request.user)
    rows = reports.programme_figures(programmes, smes)
    return {
        "form": form,
        "year": year,
        "reach": reports.reach(reports.participations(programmes, smes)),
        "programmes": rows,
        "sales": reports.sales_before_after(rows, smes),
        "channels": sales.channels(),
        "clinic": reports.clinic_figures(smes, year=year),
        "as_of": timezone.now(),
        "query": _query_without(request, "page"),
    }


@role_required(*DINAS)
def report(request):
    return render(request, "programs/reports.html", _report(request))


@role_required(*DINAS)
def report_smes(request):
    """The participants behind a reach figure: by kecamatan, sector, scale or programme."""
    load_scope(request.user)
    form = ReportFilterForm(request.GET, years=programme_years())
    programmes = reports.programmes_in(programmes_for_user(request.user), form.chosen_year)
    enrolments = reports.participations(programmes, smes_for_user(request.user))
    filters = {
        "kecamatan": "sme__kecamatan__code",
        "sector": "sme__kbli_category",
        "scale": "sme__scale",
        "programme": "programme__public_id",
    }
    for name, lookup in filters.items():
        if name in request.GET:
            try:
                enrolments = enrolments.filter(**{lookup: request.GET[name]})
            except ValidationError:  # a malformed programme id
                raise Http404 from None
    outcome = request.GET.get("outcome")
    if outcome in OUTCOME_FILTERS:
        enrolments = enrolments.filter(Exists(OUTCOME_FILTERS[outcome]()))
    elif outcome == "naik_kelas":
        moved = scale_moves(
            enrolments.select_related("programme").only("id", "sme_id", "programme__starts_on")
        )
        enrolments = enrolments.filter(pk__in=list(moved))
    enrolments = enrolments.select_related("sme", "sme__kecamatan", "programme").order_by(
        "sme__name", "programme__starts_on", "id"
    )
    page = Paginator(enrolments, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "page_query": _query_without(request, "page"), "form": form}
    return render(request, "programs/report_smes.html", context)


@role_required(*DINAS)
def report_sales(request, public_id, group, period):
    """The sales lines behind a before/after figure, each linking to its record in its channel."""
    load_scope(request.user)
    if group not in reports.GROUPS or period not in ("before", "after"):
        raise Http404
    programme = get_programme_for_user(request.user, public_id)
    year = reports.before_year(programme) if period == "before" else reports.after_year(programme)
    smes = reports.group_smes(programme, smes_for_user(request.user), group)
    where = sales.SalesFilter(
        sme_ids=smes.values("pk"),
        start=timezone.datetime(year, 1, 1).date(),
        end=timezone.datetime(year, 12, 31).date(),
        verified_only=True,
    )
    total = sales.grand_total(where=where)
    paginator = Paginator(range(total.count), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    lines = sales.lines(where=where, limit=PAGE_SIZE, offset=page.start_index() - 1 if total.count else 0)
    names = dict(Sme.objects.filter(pk__in={line["sme_id"] for line in lines}).values_list("pk", "name"))
    publics = dict(Sme.objects.filter(pk__in=names).values_list("pk", "public_id"))
    for line in lines:
        line["sme_name"] = names.get(line["sme_id"], "—")
        line["sme_public_id"] = publics.get(line["sme_id"])
    context = {
        "programme": programme,
        "group": group,
        "period": period,
        "year": year,
        "total": total,
        "group_size": smes.count(),
        "lines": lines,
        "page": page,
        "page_query": _query_without(request, "page"),
        "channels": {c.code: c.label for c in sales.channels()},
    }
    return render(request, "programs/report_sales.html", context)


@role_required(*DINAS)
def report_xlsx(request):
    """The report as a workbook: one sheet per table, figures as numbers."""
    data = _report(request)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0"})

    def sheet(title, headers, rows):
        ws = book.add_worksheet(title[:31])
        ws.write_row(0, 0, headers, bold)
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                ws.write(i, j, value, money if isinstance(value, int) and abs(value) >= 10_000 else None)
        ws.set_column(0, 0, 40)
        ws.set_column(1, len(headers), 16)

    reach = data["reach"]
    sheet(
        _("Reach"),
        [_("Group"), _("Value"), _("SMEs reached")],
        [(_("All programmes"), "", reach.total)]
        + [(_("Kecamatan"), r["sme__kecamatan__name"] or "—", r["smes"]) for r in reach.by_kecamatan]
        + [(_("Sector"), r["label"], r["smes"]) for r in reach.by_sector]
        + [(_("Scale"), str(r["label"]), r["smes"]) for r in reach.by_scale]
        + [
            (_("Programme"), f"{r['programme__code']} {r['programme__title']}", r["smes"])
            for r in reach.by_programme
        ],
    )
    sheet(
        _("Programmes"),
        [
            _("Code"),
            _("Programme"),
            _("Kind"),
            _("Starts"),
            _("Participants"),
            _("Sessions held"),
            _("Check-ins"),
            _("Attendance rate (%)"),
            _("Certificates obtained"),
            _("Products improved"),
            _("Scale moved up"),
            _("Completion certificates"),
        ],
        [
            (
                p.code,
                p.title,
                str(p.get_kind_display()),
                p.starts_on.isoformat(),
                p.participants,
                p.sessions_held,
                p.checkins,
                p.attendance_rate if p.attendance_rate is not None else "",
                p.certificates_obtained,
                p.products_improved,
                p.naik_kelas,
                p.completion_certificates,
            )
            for p in data["programmes"]
        ],
    )
    sheet(
        _("Sales before and after"),
        [
            _("Programme"),
            _("Year before"),
            _("Year after"),
            _("Participants"),
            _("Participants' sales before (Rp)"),
            _("Participants' sales after (Rp)"),
            _("Per participant before (Rp)"),
            _("Per participant after (Rp)"),
            _("Comparison SMEs"),
            _("Comparison sales before (Rp)"),
            _("Comparison sales after (Rp)"),
            _("Per comparison SME before (Rp)"),
            _("Per comparison SME after (Rp)"),
        ],
        [
            (
                f"{c.programme.code} {c.programme.title}",
                c.before_year,
                c.after_year,
                c.participants.size,
                c.participants.before,
                c.participants.after,
                c.participants.before_per_sme or 0,
                c.participants.after_per_sme or 0,
                c.comparison.size,
                c.comparison.before,
                c.comparison.after,
                c.comparison.before_per_sme or 0,
                c.comparison.after_per_sme or 0,
            )
            for c in data["sales"]
        ],
    )
    clinic = data["clinic"]
    sheet(
        _("Clinic"),
        [_("Figure"), _("Count")],
        [
            (_("Consultations held"), clinic["consultations"]),
            (_("SMEs consulted"), clinic["smes"]),
            (_("Outcomes recorded"), clinic["outcomes"]),
            (_("Outcomes verified by a second officer"), clinic["verified"]),
        ],
    )
    book.close()
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    suffix = data["year"] or _("all-years")
    response["Content-Disposition"] = f'attachment; filename="laporan-program-{suffix}.xlsx"'
    return response

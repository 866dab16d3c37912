"""Pages of the Perda 30% area, for officers and for the partner users of the obligated businesses.

Obligation and report pages open to both; everything is fetched through `get_*_for_user`, which
answers 404 for another organisation's records. Partner users pick benefiting SMEs by business
name (among those that let their kind of partner find them) or by NIB, never by owner name or NIK,
and see their name and kecamatan, nothing more.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.accounts.models import Role
from sentra.core.audit import history_for
from sentra.core.permissions import DINAS, role_required
from sentra.partners import consent
from sentra.partners.models import Evidence as PartnerEvidence
from sentra.registry.models import Cooperative, Sme
from sentra.registry.search import search_smes

from . import compliance, report, services, xlsx
from .forms import EvidenceForm, ObligationForm, PickForm, ReportForm, ReviewForm
from .models import Category, Obligation, Realisation, ReportEvidence

PAGE_SIZE = 25
PICK_RESULTS = 10
ANYONE = (*DINAS, Role.PARTNER)


# --- scope -------------------------------------------------------------------------------------


def get_obligation_for_user(user, public_id) -> Obligation:
    return get_object_or_404(
        Obligation.objects.for_user(user).select_related("partner", "officer"), public_id=public_id
    )


def reports_for_user(user):
    return Realisation.objects.filter(obligation__in=Obligation.objects.for_user(user))


def get_report_for_user(user, public_id) -> Realisation:
    return get_object_or_404(
        reports_for_user(user).select_related(
            "obligation", "obligation__partner", "submitted_by", "reviewed_by", "outlet"
        ),
        public_id=public_id,
    )


def _form_page(request, template: str, context: dict, *, bound: bool):
    return render(request, template, context, status=400 if bound else 200)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


# --- obligations -------------------------------------------------------------------------------


@role_required(*ANYONE)
def obligation_list(request):
    obligations = (
        Obligation.objects.for_user(request.user)
        .select_related("partner")
        .annotate(
            report_count=Count("reports", distinct=True),
            waiting=Count(
                "reports", filter=Q(reports__status=Realisation.ReviewStatus.SUBMITTED), distinct=True
            ),
        )
    )
    category = request.GET.get("category", "")
    if category in Category.values:
        obligations = obligations.filter(category=category)
    page = Paginator(obligations.order_by("partner__name", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "category": category, "categories": Category.choices}
    return render(request, "perda/obligation_list.html", context)


def _obligation_form_page(request, *, obligation: Obligation | None):
    data = request.POST if request.method == "POST" else None
    initial = {}
    if obligation is None:
        initial = {"starts_on": dt.date(timezone.localdate().year, 1, 1)}
    form = ObligationForm(data, instance=obligation, initial=initial)
    if data is not None and form.is_valid():
        try:
            if obligation is None:
                obligation = services.create_obligation(actor=request.user, data=form.service_data())
                messages.success(request, _("The obligation is registered."))
            else:
                services.update_obligation(
                    obligation=obligation, actor=request.user, data=form.service_data()
                )
                messages.success(request, _("The changes are saved."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("perda:obligation_detail", public_id=obligation.public_id)
    context = {"form": form, "obligation": obligation}
    return _form_page(request, "perda/obligation_form.html", context, bound=data is not None)


@role_required(*DINAS)
def obligation_create(request):
    return _obligation_form_page(request, obligation=None)


@role_required(*DINAS)
def obligation_edit(request, public_id):
    return _obligation_form_page(request, obligation=get_obligation_for_user(request.user, public_id))


@role_required(*ANYONE)
def obligation_detail(request, public_id):
    obligation = get_obligation_for_user(request.user, public_id)
    today = timezone.localdate()
    reports = {r.period_start: r for r in obligation.reports.all()}
    cells = []
    for period in reversed(services.reportable_periods(obligation, today=today)):
        found = reports.get(period.start)
        status = compliance.status_for(
            report=found, period=period, grace_days=obligation.grace_days, today=today
        )
        cells.append(report.Cell(period=period, status=status, report=found))
    context = {
        "obligation": obligation,
        "cells": cells,
        "today": today,
        "is_dinas": request.user.is_dinas,
    }
    if request.user.is_dinas:
        context["history"] = history_for(obligation).select_related("actor")[:50]
    return render(request, "perda/obligation_detail.html", context)


# --- reports -----------------------------------------------------------------------------------


def _open_periods(obligation: Obligation, today: dt.date) -> list[compliance.Period]:
    taken = set(obligation.reports.values_list("period_start", flat=True))
    periods = services.reportable_periods(obligation, today=today)
    return [p for p in reversed(periods) if p.start not in taken]


def _prefill(request, obligation: Obligation, outlets) -> dict:
    """The form's first values from the query: a period link, or the "fill in from the outlet" form
    above the report form. An outlet the business does not host answers 404."""
    initial = {
        name: request.GET[name]
        for name in ("period", "total", "allocated", "description")
        if name in request.GET
    }
    if not request.GET.get("outlet"):
        return initial
    try:
        outlet = get_object_or_404(outlets, public_id=request.GET["outlet"])
    except ValidationError:
        raise Http404 from None
    initial["outlet"] = outlet
    if outlet.floor_m2 is not None and not obligation.in_rupiah and not initial.get("allocated"):
        initial["allocated"] = outlet.floor_m2
    return initial


@role_required(*ANYONE)
def report_create(request, public_id):
    obligation = get_obligation_for_user(request.user, public_id)
    today = timezone.localdate()
    periods = _open_periods(obligation, today)
    data = request.POST if request.method == "POST" else None
    outlets = services.hosted_outlets(obligation)
    initial = _prefill(request, obligation, outlets) if data is None else {}
    form = ReportForm(
        data,
        request.FILES or None,
        obligation=obligation,
        periods=periods,
        outlets=outlets,
        initial=initial,
    )
    if data is not None and form.is_valid():
        f = form.cleaned_data
        try:
            created = services.submit_report(
                obligation=obligation,
                actor=request.user,
                period_start=dt.date.fromisoformat(f["period"]),
                total=f["total"],
                allocated=f["allocated"],
                description=f["description"],
                outlet=f.get("outlet"),
                smes=f.get("smes", []),
                evidence=f["evidence"],
                evidence_kind=form.evidence_kind,
                caption=f["caption"],
                today=today,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The report is submitted. Name the SMEs and cooperatives that benefit.")
            )
            return redirect("perda:report_detail", public_id=created.public_id)
    context = {
        "form": form,
        "obligation": obligation,
        "periods": periods,
        "outlet_choices": list(outlets),
        "chosen_outlet": form.outlet,
    }
    return _form_page(request, "perda/report_form.html", context, bound=data is not None)


@role_required(*ANYONE)
def report_edit(request, public_id):
    found = get_report_for_user(request.user, public_id)
    if found.status == Realisation.ReviewStatus.ACCEPTED:
        raise Http404
    data = request.POST if request.method == "POST" else None
    rupiah = found.in_rupiah
    initial = {
        "total": found.total_idr if rupiah else found.total_m2,
        "allocated": found.allocated_idr if rupiah else found.allocated_m2,
        "description": found.description,
        "outlet": found.outlet,
    }
    outlets = services.hosted_outlets(found.obligation)
    form = ReportForm(data, obligation=found.obligation, creating=False, outlets=outlets, initial=initial)
    if data is not None and form.is_valid():
        f = form.cleaned_data
        try:
            services.update_report(
                report=found,
                actor=request.user,
                total=f["total"],
                allocated=f["allocated"],
                description=f["description"],
                outlet=f["outlet"] if "outlet" in form.fields else services.KEEP,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("perda:report_detail", public_id=found.public_id)
    context = {"form": form, "obligation": found.obligation, "report": found}
    return _form_page(request, "perda/report_form.html", context, bound=data is not None)


def _pick(request, found_report: Realisation) -> tuple[PickForm, list, list]:
    """SMEs and cooperatives matching the search, not already named. Partner users match business
    names of SMEs that consented to their kind of partner, or an exact NIB, among verified SMEs, and
    cooperatives by name; officers search the SMEs of their scope as in the registry."""
    form = PickForm(request.GET)
    query = form.cleaned_data.get("q", "").strip() if form.is_valid() else ""
    if len(query) < 3:
        return form, [], []
    smes = Sme.objects.active().verified().exclude(pk__in=found_report.smes.values("pk"))
    if request.user.is_dinas:
        smes = search_smes(smes.filter(pk__in=Sme.objects.for_user(request.user).values("pk")), query)
    else:
        # By name only among the SMEs that let this kind of partner find them (their consent);
        # by NIB any verified SME, since a tenant that gives its NIB means to be named.
        consenting = consent.consenting_smes(found_report.obligation.partner).values("pk")
        smes = smes.filter(Q(name__icontains=query, pk__in=consenting) | Q(nib=query))
    cooperatives = Cooperative.objects.filter(
        status=Cooperative.Status.ACTIVE, name__icontains=query
    ).exclude(pk__in=found_report.cooperatives.values("pk"))
    return (
        form,
        list(
            smes.select_related("kecamatan")
            .only("public_id", "name", "kecamatan__name")
            .order_by("name", "id")[:PICK_RESULTS]
        ),
        list(cooperatives.select_related("kecamatan").order_by("name", "id")[:PICK_RESULTS]),
    )


def _outlet_url(user, outlet) -> str:
    """Where the report's outlet opens for this reader: its page for the officers whose scope holds it,
    its turnover page for the partner running a cooperation outlet; nowhere for anyone else."""
    from sentra.outlets.models import Outlet

    if outlet is None or not Outlet.objects.for_user(user).filter(pk=outlet.pk).exists():
        return ""
    if user.is_dinas:
        return reverse("outlets:detail", args=[outlet.public_id])
    return reverse("outlets:turnover", args=[outlet.public_id]) if outlet.is_cooperation else ""


def _report_context(request, found: Realisation, **extra) -> dict:
    editable = found.status != Realisation.ReviewStatus.ACCEPTED
    context = {
        "report": found,
        "obligation": found.obligation,
        "period": compliance.period_starting(found.obligation.period, found.period_start),
        "status": compliance.status_for(
            report=found,
            period=compliance.period_starting(found.obligation.period, found.period_start),
            grace_days=found.obligation.grace_days,
            today=timezone.localdate(),
        ),
        "smes": found.smes.select_related("kecamatan").order_by("name"),
        "cooperatives": found.cooperatives.select_related("kecamatan").order_by("name"),
        "evidence": found.evidence.select_related("uploaded_by"),
        "editable": editable,
        "is_dinas": request.user.is_dinas,
        "outlet_url": _outlet_url(request.user, found.outlet),
    }
    if editable:
        pick_form, found_smes, found_coops = _pick(request, found)
        context.update(
            pick_form=pick_form,
            found_smes=found_smes,
            found_coops=found_coops,
            evidence_form=EvidenceForm(),
        )
    if request.user.is_dinas:
        context["history"] = history_for(found).select_related("actor")[:50]
        if found.status == Realisation.ReviewStatus.SUBMITTED:
            context["review_form"] = ReviewForm()
    context["status_label"] = compliance.Status(context["status"]).label
    context.update(extra)
    return context


@role_required(*ANYONE)
def report_detail(request, public_id):
    found = get_report_for_user(request.user, public_id)
    context = _report_context(request, found)
    if request.htmx and request.htmx.target == "pick-results":
        return render(request, "perda/_pick_results.html", context)
    return render(request, "perda/report_detail.html", context)


@role_required(*ANYONE)
@require_POST
def report_beneficiaries(request, public_id):
    found = get_report_for_user(request.user, public_id)
    try:
        smes = list(Sme.objects.active().verified().filter(public_id__in=request.POST.getlist("sme")[:50]))
        coops = list(Cooperative.objects.filter(public_id__in=request.POST.getlist("cooperative")[:50]))
    except ValidationError:
        smes, coops = [], []
    if not smes and not coops:
        messages.error(request, _("Choose an SME or a cooperative first."))
        return redirect("perda:report_detail", public_id=found.public_id)
    try:
        if request.POST.get("action") == "remove":
            services.set_beneficiaries(report=found, actor=request.user, remove=[*smes, *coops])
            messages.success(request, _("Removed from the report."))
        else:
            services.set_beneficiaries(report=found, actor=request.user, add=[*smes, *coops])
            messages.success(request, _("Added to the report."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("perda:report_detail", public_id=found.public_id)


@role_required(*ANYONE)
@require_POST
def report_evidence(request, public_id):
    found = get_report_for_user(request.user, public_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(
                report=found,
                actor=request.user,
                upload=form.cleaned_data["file"],
                kind=form.kind,
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The evidence is added."))
            return redirect("perda:report_detail", public_id=found.public_id)
    context = _report_context(request, found, evidence_form=form)
    return render(request, "perda/report_detail.html", context, status=400)


@role_required(*DINAS)
@require_POST
def report_review(request, public_id):
    found = get_report_for_user(request.user, public_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.review_report(
                report=found, actor=request.user, accept=accept, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The report is accepted.") if accept else _("The report is returned.")
            )
            return redirect("perda:report_detail", public_id=found.public_id)
    context = _report_context(request, found, review_form=form)
    return render(request, "perda/report_detail.html", context, status=400)


@role_required(*ANYONE)
def evidence_file(request, pk):
    evidence = get_object_or_404(ReportEvidence.objects.select_related("report"), pk=pk)
    # Through the report's scope: a report out of reach answers 404 for its evidence too.
    get_report_for_user(request.user, evidence.report.public_id)
    content_type = "application/pdf" if evidence.kind == PartnerEvidence.Kind.DOCUMENT else None
    return FileResponse(evidence.file.open("rb"), content_type=content_type)


# --- officers' lists and the yearly report -----------------------------------------------------


@role_required(*DINAS)
def report_list(request):
    """Reports filtered by year, review status, outcome, obligation: where every report figure leads."""
    reports = Realisation.objects.select_related("obligation", "obligation__partner")
    year = request.GET.get("year", "")
    if year.isdigit():
        reports = reports.filter(period_start__year=int(year))
    status = request.GET.get("status", "")
    if status in Realisation.ReviewStatus.values:
        reports = reports.filter(status=status)
    outcome = request.GET.get("outcome", "")
    if outcome in compliance.Outcome.values:
        reports = reports.filter(status=Realisation.ReviewStatus.ACCEPTED, outcome=outcome)
    category = request.GET.get("category", "")
    if category in Category.values:
        reports = reports.filter(obligation__category=category)
    obligation = None
    if request.GET.get("obligation"):
        try:
            obligation = (
                Obligation.objects.filter(public_id=request.GET["obligation"])
                .select_related("partner")
                .first()
            )
        except ValidationError:
            obligation = None
        reports = reports.filter(obligation=obligation) if obligation else reports.none()
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": Paginator(
            reports.order_by("-period_start", "obligation__partner__name", "id"), PAGE_SIZE
        ).get_page(request.GET.get("page")),
        "page_query": query.urlencode(),
        "year": year,
        "status": status,
        "outcome": outcome,
        "category": category,
        "obligation": obligation,
        "statuses": Realisation.ReviewStatus.choices,
        "outcomes": compliance.Outcome.choices,
        "categories": Category.choices,
    }
    return render(request, "perda/report_list.html", context)


def _report_link(year: int, status: str) -> str:
    base = reverse("perda:report_list") + f"?year={year}"
    if status in compliance.Outcome.values:
        return f"{base}&outcome={status}"
    if status == compliance.Status.IN_REVIEW:
        return f"{base}&status=submitted"
    if status == compliance.Status.RETURNED:
        return f"{base}&status=returned"
    return reverse("perda:compliance") + f"?year={year}&status={status}"


@role_required(*DINAS)
def compliance_report(request):
    year = _year(request)
    result = report.build(year)
    status = request.GET.get("status", "")
    rows = (
        [row for row in result.rows if row.has(status)] if status in compliance.Status.values else result.rows
    )
    context = {
        "report": result,
        "rows": rows,
        "year": year,
        "status": status,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
        "totals": [(value, label, n, _report_link(year, value)) for value, label, n in result.total_items],
    }
    return render(request, "perda/compliance.html", context)


@role_required(*DINAS)
def compliance_xlsx(request):
    return xlsx.response(report.build(_year(request)))

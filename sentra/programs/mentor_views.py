"""Mentoring: the Dinas's list of mentors, a mentor's own SMEs and visits, cohorts and their KPIs.

Mentors sign in with the account they already have: Dinas officers, or partner users whose
organisation lends them as pendamping. The pages that are theirs check the Mentor record, not a role.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.accounts.models import Role
from sentra.core.audit import history_for
from sentra.core.permissions import DINAS, role_required
from sentra.registry.search import search_smes

from . import mentoring
from .access import (
    get_assignment_for_user,
    get_kpi_report_for_user,
    get_programme_for_user,
    get_risk_task_for_user,
    load_scope,
    mentor_for_user,
    smes_for_user,
)
from .charts import weekly_line
from .forms import AssignForm, MentorForm, NoteForm, ResolutionForm, VisitForm
from .models import ClinicBooking, KpiReport, Mentor, MentorAssignment, RiskTask
from .views import _page, next_url

MENTOR_ROLES = (Role.ADMIN, Role.OFFICER, Role.PARTNER)


# --- the Dinas's mentors -----------------------------------------------------------------------


@role_required(*DINAS)
def mentor_list(request):
    mentors = (
        Mentor.objects.select_related("partner", "user")
        .annotate(smes=Count("assignments", filter=Q(assignments__ended_on__isnull=True)))
        .order_by("-active", "name", "id")
    )
    return render(request, "programs/mentor_list.html", {"page": _page(mentors, request)})


def _mentor_form_page(request, *, mentor: Mentor | None):
    data = request.POST if request.method == "POST" else None
    form = MentorForm(data, instance=mentor)
    if data is not None and form.is_valid():
        mentor = mentoring.save_mentor(actor=request.user, data=form.cleaned_data, mentor=mentor)
        messages.success(request, _("The mentor is saved."))
        return redirect("programs:mentor_detail", pk=mentor.pk)
    return render(
        request,
        "programs/mentor_form.html",
        {"form": form, "mentor": mentor},
        status=400 if data is not None else 200,
    )


@role_required(*DINAS)
def mentor_create(request):
    return _mentor_form_page(request, mentor=None)


@role_required(*DINAS)
def mentor_edit(request, pk):
    return _mentor_form_page(request, mentor=get_object_or_404(Mentor, pk=pk))


@role_required(*DINAS)
def mentor_detail(request, pk):
    """A mentor's SMEs, with a picker to assign another one from the registry."""
    load_scope(request.user)
    mentor = get_object_or_404(Mentor.objects.select_related("partner", "user"), pk=pk)
    assignments = (
        mentor.assignments.filter(ended_on__isnull=True)
        .select_related("sme", "sme__kecamatan", "programme")
        .annotate(visits_count=Count("visits"))
        .order_by("sme__name")
    )
    query = request.GET.get("q", "").strip()
    candidates = (
        search_smes(smes_for_user(request.user), query).select_related("kecamatan")[:20] if query else []
    )
    context = {
        "mentor": mentor,
        "assignments": assignments,
        "q": query,
        "candidates": candidates,
        "history": history_for(mentor)[:50],
    }
    return render(request, "programs/mentor_detail.html", context)


def _assign(request, form: AssignForm, *, programme=None):
    if not form.is_valid():
        messages.error(request, _("Choose the mentor and the business to assign."))
        return
    mentor = form.cleaned_data["mentor"]
    sme = get_object_or_404(smes_for_user(request.user), public_id=form.cleaned_data["sme"])
    try:
        mentoring.assign_mentor(
            mentor=mentor, sme=sme, actor=request.user, programme=programme, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(sme)s is assigned to %(mentor)s.") % {"sme": sme.name, "mentor": mentor.name}
        )


@role_required(*DINAS)
@require_POST
def mentor_assign(request, pk):
    """Assign an SME to this mentor, outside any cohort."""
    load_scope(request.user)
    mentor = get_object_or_404(Mentor, pk=pk)
    _assign(request, AssignForm({**request.POST.dict(), "mentor": mentor.pk}))
    return redirect("programs:mentor_detail", pk=mentor.pk)


@role_required(*DINAS)
@require_POST
def cohort_assign(request, public_id):
    """Give a cohort SME its mentor for the cohort (its at-risk tasks go to them)."""
    load_scope(request.user)
    programme = get_programme_for_user(request.user, public_id)
    if not programme.is_cohort:
        raise Http404
    _assign(request, AssignForm(request.POST), programme=programme)
    return redirect("programs:cohort", public_id=programme.public_id)


@role_required(*DINAS)
@require_POST
def assignment_end(request, pk):
    load_scope(request.user)
    assignment = get_assignment_for_user(request.user, pk)
    if assignment.ended_on is None:
        mentoring.end_assignment(assignment=assignment, actor=request.user)
        messages.success(request, _("The mentoring of %(sme)s has ended.") % {"sme": assignment.sme.name})
    return redirect("programs:mentor_detail", pk=assignment.mentor_id)


# --- a mentor's own pages ----------------------------------------------------------------------


@role_required(*MENTOR_ROLES)
def my_mentoring(request):
    """A mentor's day: their SMEs, open at-risk tasks, KPI reports to review, clinic consultations."""
    mentor = mentor_for_user(request.user)
    if mentor is None:
        return render(request, "programs/not_a_mentor.html", status=200)
    assignments = (
        mentor.assignments.filter(ended_on__isnull=True)
        .select_related("sme", "sme__kecamatan", "programme")
        .annotate(visits_count=Count("visits"))
        .order_by("sme__name")
    )
    mentored = MentorAssignment.objects.filter(
        mentor=mentor,
        ended_on__isnull=True,
        sme=OuterRef("enrolment__sme"),
        programme=OuterRef("enrolment__programme"),
    )
    to_review = (
        KpiReport.objects.filter(Exists(mentored), reviewed_at__isnull=True)
        .select_related("enrolment__sme", "enrolment__programme")
        .order_by("week_start", "id")[:50]
    )
    context = {
        "mentor": mentor,
        "assignments": assignments,
        "tasks": RiskTask.objects.filter(mentor=mentor, status=RiskTask.Status.OPEN).select_related(
            "enrolment__sme", "enrolment__programme"
        ),
        "to_review": to_review,
        "consultations": ClinicBooking.objects.filter(
            slot__consultant=mentor, status=ClinicBooking.Status.BOOKED
        )
        .select_related("sme", "slot")
        .order_by("slot__starts_at")[:50],
    }
    return render(request, "programs/my_mentoring.html", context)


@role_required(*MENTOR_ROLES)
def assignment_detail(request, pk):
    """One mentored SME: visit logs (with the form to add one, kept offline if need be)."""
    load_scope(request.user)
    assignment = get_assignment_for_user(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = VisitForm(data, initial={"visited_on": timezone.localdate()})
    if data is not None:
        if assignment.ended_on is not None:
            raise Http404
        if form.is_valid():
            try:
                visit, created = mentoring.record_visit(
                    assignment=assignment,
                    actor=request.user,
                    visited_on=form.cleaned_data["visited_on"],
                    notes=form.cleaned_data["notes"],
                    next_steps=form.cleaned_data["next_steps"],
                    client_key=form.cleaned_data["client_key"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if request.headers.get("X-Outbox"):
                    return render(request, "programs/_visit_sent.html", {"visit": visit, "created": created})
                messages.success(request, _("The visit is recorded."))
                return redirect("programs:assignment_detail", pk=assignment.pk)
        if request.headers.get("X-Outbox"):
            return render(request, "programs/_form_errors.html", {"form": form}, status=400)
    context = {
        "assignment": assignment,
        "visits": assignment.visits.select_related("recorded_by").order_by("-visited_on", "-id"),
        "form": form,
        "is_dinas": request.user.is_dinas,
    }
    return render(request, "programs/assignment.html", context, status=400 if data is not None else 200)


# --- cohorts -----------------------------------------------------------------------------------


@role_required(*DINAS)
def cohort(request, public_id):
    """An acceleration cohort: each SME's weekly turnover line, its mentor and who is at risk."""
    load_scope(request.user)
    programme = get_programme_for_user(request.user, public_id)
    if not programme.is_cohort:
        raise Http404
    weeks = list(reversed(mentoring.reportable_weeks(programme)))
    members = list(
        programme.enrolments.participating()
        .select_related("sme", "sme__kecamatan")
        .prefetch_related(Prefetch("kpi_reports", queryset=KpiReport.objects.order_by("week_start")))
        .order_by("sme__name")
    )
    risks = mentoring.open_risks(programme)
    mentors = {
        a.sme_id: a
        for a in MentorAssignment.objects.filter(programme=programme, ended_on__isnull=True).select_related(
            "mentor"
        )
    }
    rows = []
    for enrolment in members:
        reports = list(enrolment.kpi_reports.all())
        rows.append(
            {
                "enrolment": enrolment,
                "reports": reports,
                "latest": reports[-1] if reports else None,
                "line": weekly_line(
                    weeks, {r.week_start: r.turnover for r in reports}, label=enrolment.sme.name
                ),
                "risk": risks.get(enrolment.pk),
                "assignment": mentors.get(enrolment.sme_id),
                "unreviewed": sum(1 for r in reports if r.reviewed_at is None),
            }
        )
    rows.sort(key=lambda row: (row["risk"] is None, row["enrolment"].sme.name))
    context = {
        "programme": programme,
        "rows": rows,
        "weeks": weeks,
        "at_risk": sum(1 for row in rows if row["risk"]),
        "mentors": Mentor.objects.filter(active=True).order_by("name"),
        "as_of": timezone.now(),
    }
    return render(request, "programs/cohort.html", context)


@role_required(*MENTOR_ROLES, Role.SME_OWNER)
def kpi_photo(request, pk):
    """A KPI report's photo, for its owner, its mentor and the Dinas only (never a public URL)."""
    load_scope(request.user)
    report = get_kpi_report_for_user(request.user, pk)
    if not report.photo:
        raise Http404
    return FileResponse(report.photo.open("rb"), content_type="image/jpeg")


@role_required(*MENTOR_ROLES)
@require_POST
def kpi_review(request, pk):
    load_scope(request.user)
    report = get_kpi_report_for_user(request.user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        mentoring.review_kpi_report(report=report, actor=request.user, note=form.cleaned_data["note"])
        messages.success(
            request, _("The report of %(sme)s is reviewed.") % {"sme": report.enrolment.sme.name}
        )
    return redirect(next_url(request, reverse("programs:my_mentoring")))


@role_required(*MENTOR_ROLES)
@require_POST
def risk_close(request, pk):
    load_scope(request.user)
    task = get_risk_task_for_user(request.user, pk)
    form = ResolutionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what was done for the business."))
    else:
        try:
            mentoring.close_risk_task(
                task=task, actor=request.user, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The task is closed."))
    return redirect(next_url(request, reverse("programs:my_mentoring")))

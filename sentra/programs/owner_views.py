"""/my/programs/: an SME owner's programmes on the phone — apply, show the attendance card, report a
cohort week, book the clinic — and the forum coordinator's meetings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.accounts.models import Role
from sentra.core.permissions import role_required
from sentra.registry.models import Sme

from . import clinic, mentoring, services
from .access import coordinated_forums, get_enrolment_for_user, get_kpi_report_for_user, smes_for_user
from .forms import (
    ApplyForm,
    ForumActivityForm,
    KpiCorrectForm,
    KpiReportForm,
    PhotoForm,
    ReasonForm,
    clinic_booking,
)
from .models import (
    Attendance,
    ClinicBooking,
    CompletionCertificate,
    Enrolment,
    Programme,
    Topic,
)
from .views import card_item, render_cards

OWNER = Role.SME_OWNER
# A forum's cards on one page, for printing; a forum larger than this prints its cards in parts.
MAX_CARDS = 500


def _own_smes(user):
    return smes_for_user(user).filter(status__in=services.TAKING_PART).order_by("name")


def _open_programmes(user):
    """Open programmes at least one of the owner's verified businesses may apply for."""
    smes = list(_own_smes(user).select_related("kecamatan"))
    enrolled = Enrolment.objects.filter(programme=OuterRef("pk"), sme__in=smes).exclude(
        status=Enrolment.Status.WITHDRAWN
    )
    programmes = (
        Programme.objects.open_for_applications()
        .exclude(Exists(enrolled))
        .select_related("organiser")
        .prefetch_related("eligible_kecamatan", "eligible_forums")
        .order_by("starts_on", "id")[:50]
    )
    return [p for p in programmes if any(not services.eligibility_problems(p, s) for s in smes)], smes


@role_required(OWNER)
def my_programmes(request):
    enrolments = (
        Enrolment.objects.filter(sme__in=smes_for_user(request.user))
        .select_related("programme", "sme")
        .annotate(
            has_certificate=Exists(
                CompletionCertificate.objects.filter(enrolment=OuterRef("pk"), revoked_at__isnull=True)
            )
        )
        .order_by("-programme__starts_on", "-id")
    )
    open_programmes, smes = _open_programmes(request.user)
    context = {
        "enrolments": enrolments,
        "open_programmes": open_programmes,
        "has_smes": bool(smes),
        "bookings": ClinicBooking.objects.filter(sme__in=smes_for_user(request.user))
        .select_related("sme", "slot__consultant")
        .order_by("-slot__starts_at")[:20],
        "forums": coordinated_forums(request.user),
        "now": timezone.now(),
    }
    return render(request, "programs/owner/my_programmes.html", context)


@role_required(OWNER)
def programme_apply(request, public_id):
    programme = get_object_or_404(
        Programme.objects.open_for_applications().select_related("organiser"), public_id=public_id
    )
    smes = _own_smes(request.user)
    data = request.POST if request.method == "POST" else None
    form = ApplyForm(data, smes=smes)
    if data is not None and form.is_valid():
        try:
            services.apply_for_programme(
                programme=programme,
                sme=form.cleaned_data["sme"],
                actor=request.user,
                motivation=form.cleaned_data["motivation"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Your application is sent. The Dinas selects the participants and lets you know here."),
            )
            return redirect("my_programs:home")
    context = {
        "programme": programme,
        "form": form,
        "sessions": programme.sessions.order_by("starts_at"),
        "problems": {s.pk: services.eligibility_problems(programme, s) for s in smes},
        "smes": smes,
    }
    return render(request, "programs/owner/apply.html", context, status=400 if data is not None else 200)


def _kpi_form(enrolment, data=None):
    return KpiReportForm(data, programme=enrolment.programme) if enrolment.programme.is_cohort else None


@role_required(OWNER)
def my_enrolment(request, pk):
    enrolment = get_enrolment_for_user(request.user, pk)
    programme = enrolment.programme
    card = None
    if enrolment.status == Enrolment.Status.ACCEPTED:
        card = card_item(services.ensure_card(sme=enrolment.sme, programme=programme))
    context = {
        "enrolment": enrolment,
        "programme": programme,
        "card": card,
        "sessions": programme.sessions.annotate(
            came=Exists(Attendance.objects.filter(session=OuterRef("pk"), sme_id=enrolment.sme_id))
        ).order_by("starts_at"),
        "certificate": CompletionCertificate.objects.filter(
            enrolment=enrolment, revoked_at__isnull=True
        ).first(),
        "kpi_form": _kpi_form(enrolment) if enrolment.status == Enrolment.Status.ACCEPTED else None,
        "reports": enrolment.kpi_reports.order_by("-week_start") if programme.is_cohort else [],
        "reason_form": ReasonForm(),
        "can_withdraw": services.can_withdraw(enrolment),
        "now": timezone.now(),
    }
    return render(request, "programs/owner/enrolment.html", context)


@role_required(OWNER)
@require_POST
def my_withdraw(request, pk):
    enrolment = get_enrolment_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason, then try again."))
    else:
        try:
            services.withdraw_enrolment(
                enrolment=enrolment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("You have withdrawn from %(programme)s.") % {"programme": enrolment.programme.title},
            )
    return redirect("my_programs:enrolment", pk=enrolment.pk)


@role_required(OWNER)
@require_POST
def kpi_submit(request, pk):
    """A week's figures, sent through the outbox (kept on the phone while offline); the photo follows
    separately once online, since the outbox keeps text only."""
    enrolment = get_enrolment_for_user(request.user, pk)
    form = _kpi_form(enrolment, request.POST)
    if form is None:
        raise Http404
    outbox = bool(request.headers.get("X-Outbox"))
    report, already, status = None, None, 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = mentoring.submit_kpi_report(
                enrolment=enrolment,
                actor=request.user,
                week_start=data["week_start"],
                turnover=data["turnover"],
                orders=data["orders"],
                note=data["note"],
                client_key=data["client_key"],
            )
            status = 200
        except mentoring.AlreadyReported as exc:
            already = exc.report
            status = 409
        except ValidationError as exc:
            form.add_error(None, exc)
    if outbox:
        return render(
            request,
            "programs/owner/_kpi_result.html",
            {
                "report": report,
                "already": already,
                "form": form,
                "enrolment": enrolment,
                "photo_form": PhotoForm(),
            },
            status=status,
        )
    if report is not None:
        messages.success(request, _("The week's report is sent. Add a photo if you have one."))
    elif already is not None:
        messages.warning(request, _("That week is already reported. Correct that report instead."))
        return redirect("my_programs:kpi_correct", pk=already.pk)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("my_programs:enrolment", pk=enrolment.pk)


@role_required(OWNER)
def kpi_correct(request, pk):
    report = get_kpi_report_for_user(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = KpiCorrectForm(
        data, initial={"turnover": report.turnover, "orders": report.orders, "note": report.note}
    )
    if data is not None and form.is_valid():
        mentoring.correct_kpi_report(report=report, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The report is corrected; your mentor sees the new figures."))
        return redirect("my_programs:enrolment", pk=report.enrolment_id)
    return render(
        request,
        "programs/owner/kpi_correct.html",
        {"report": report, "form": form, "photo_form": PhotoForm()},
        status=400 if data is not None else 200,
    )


@role_required(OWNER)
@require_POST
def kpi_photo_upload(request, pk):
    report = get_kpi_report_for_user(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a photo to send."))
    else:
        try:
            mentoring.attach_kpi_photo(report=report, actor=request.user, upload=form.cleaned_data["photo"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The photo is added to the week's report."))
    return redirect("my_programs:enrolment", pk=report.enrolment_id)


# --- the clinic --------------------------------------------------------------------------------


@role_required(OWNER)
def clinic_book(request):
    """Book a consultant: choose the topic, then one of the free slots of a consultant on it."""
    smes = _own_smes(request.user)
    form, topic, slots, booking = clinic_booking(request, smes)
    if booking is not None:
        messages.success(
            request,
            _("Your consultation is booked for %(when)s.")
            % {"when": timezone.localtime(booking.slot.starts_at).strftime("%d-%m-%Y %H:%M")},
        )
        return redirect("my_programs:home")
    context = {
        "form": form,
        "topic": topic,
        "topics": Topic.choices,
        "slots": slots[:30],
        "has_smes": smes.exists(),
    }
    return render(
        request, "programs/owner/clinic_book.html", context, status=400 if request.method == "POST" else 200
    )


@role_required(OWNER)
@require_POST
def clinic_cancel(request, pk):
    booking = get_object_or_404(ClinicBooking.objects.filter(sme__in=smes_for_user(request.user)), pk=pk)
    try:
        clinic.cancel_booking(booking=booking, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect("my_programs:home")


# --- the forum coordinator ---------------------------------------------------------------------


def _coordinated_forum(user, pk):
    return get_object_or_404(coordinated_forums(user).select_related("kecamatan"), pk=pk)


@role_required(OWNER)
def forum_home(request, pk):
    """The coordinator's page: record a meeting or joint activity, then take attendance at it."""
    forum = _coordinated_forum(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = ForumActivityForm(data, initial={"day": timezone.localdate()})
    if data is not None and form.is_valid():
        session = services.save_session(actor=request.user, data=form.service_data(), forum=forum)
        messages.success(request, _("The activity is recorded. Take attendance now."))
        return redirect("programs:session_attendance", public_id=session.public_id)
    activities = forum.sessions.annotate(present=Count("attendances")).order_by("-starts_at", "-id")[:30]
    members = Sme.objects.filter(forum=forum, merged_into__isnull=True).count()
    context = {"forum": forum, "form": form, "activities": activities, "members": members}
    return render(request, "programs/owner/forum_home.html", context, status=400 if data is not None else 200)


@role_required(OWNER)
def forum_cards(request, pk):
    forum = _coordinated_forum(request.user, pk)
    members = list(Sme.objects.filter(forum=forum, merged_into__isnull=True).order_by("name")[:MAX_CARDS])
    back = reverse("my_programs:forum_home", args=[forum.pk])
    return render_cards(request, smes=members, title=forum.name, back_url=back, forum=forum)

"""The clinic for the Dinas and its consultants: the schedule, consultations, and verifying outcomes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.accounts.models import Role
from sentra.core.audit import history_for
from sentra.core.permissions import DINAS, role_required
from sentra.registry.models import Sme

from . import clinic, services
from .access import bookings_for_user, get_booking_for_user, load_scope, mentor_for_user
from .forms import ConsultationForm, ReasonForm, SlotsForm, clinic_booking
from .models import ClinicBooking, ClinicSlot, Topic
from .views import _page, next_url

CONSULTANT_ROLES = (Role.ADMIN, Role.OFFICER, Role.PARTNER)
# Where SMEs are sent for permits; offered as suggestions, any office may be typed.
PERMIT_OFFICES = (
    "DPMPTSP Kabupaten Bekasi (OSS / NIB)",
    "Dinas Kesehatan Kabupaten Bekasi (P-IRT)",
    "BPJPH / LPH (sertifikat halal)",
    "Balai POM (izin edar MD)",
    "DJKI Kemenkumham (merek)",
)


@role_required(*DINAS)
def clinic_home(request):
    """The clinic's schedule from today, the bookings, and the outcomes waiting for a second officer."""
    load_scope(request.user)
    now = timezone.now()
    data = request.POST if request.method == "POST" else None
    form = SlotsForm(data)
    if data is not None and form.is_valid():
        try:
            slots = clinic.add_slots(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(count)s slots added.") % {"count": len(slots)})
            return redirect("programs:clinic")
    upcoming = (
        ClinicSlot.objects.filter(starts_at__gte=now.replace(hour=0, minute=0))
        .select_related("consultant")
        .prefetch_related("bookings__sme")
        .order_by("starts_at", "id")
    )
    bookings = bookings_for_user(request.user)
    to_verify = (
        bookings.exclude(outcome="")
        .filter(outcome_verified_at__isnull=True)
        .select_related("sme", "slot__consultant", "outcome_recorded_by")
        .order_by("outcome_recorded_at", "id")
    )
    context = {
        "form": form,
        "page": _page(upcoming, request),
        "to_verify": [(b, clinic.can_verify(b, request.user)) for b in to_verify[:50]],
        "recent": bookings.exclude(status=ClinicBooking.Status.BOOKED)
        .select_related("sme", "slot__consultant")
        .order_by("-slot__starts_at")[:20],
    }
    return render(request, "programs/clinic.html", context, status=400 if data is not None else 200)


@role_required(*DINAS)
def clinic_book_for_sme(request, sme):
    """An officer books the clinic for a business that phoned or walked in: its topic, then a slot.

    The same booking as the owner's own (clinic.book_slot), recorded as booked by the officer; the
    business must be one the officer may see and one that may take part (verified or submitted).
    """
    load_scope(request.user)
    smes = Sme.objects.for_user(request.user).filter(public_id=sme)
    business = smes.first()
    if business is None:
        raise Http404
    smes = smes.filter(status__in=services.TAKING_PART)
    form, topic, slots, booking = clinic_booking(request, smes, initial={"sme": business.public_id})
    if booking is not None:
        messages.success(
            request,
            _("%(business)s is booked for %(when)s.")
            % {
                "business": business.name,
                "when": timezone.localtime(booking.slot.starts_at).strftime("%d-%m-%Y %H:%M"),
            },
        )
        return redirect("programs:booking_detail", booking.pk)
    context = {
        "sme": business,
        "may_take_part": smes.exists(),
        "form": form,
        "topic": topic,
        "topics": Topic.choices,
        "slots": slots[:30],
    }
    return render(
        request, "programs/clinic_book.html", context, status=400 if request.method == "POST" else 200
    )


def _booking_context(request, booking: ClinicBooking, **extra) -> dict:
    mentor = mentor_for_user(request.user)
    is_consultant = mentor is not None and mentor.pk == booking.slot.consultant_id
    context = {
        "booking": booking,
        "referrals": booking.referrals.select_related("programme", "partner"),
        "can_record": request.user.is_dinas or is_consultant,
        "can_verify": clinic.can_verify(booking, request.user),
        "form": ConsultationForm(
            initial={
                "status": booking.status if booking.status != "booked" else None,
                "advice": booking.advice,
                "outcome": booking.outcome,
            }
        ),
        "offices": PERMIT_OFFICES,
        "reason_form": ReasonForm(),
        "history": history_for(booking)[:50],
    }
    context.update(extra)
    return context


@role_required(*CONSULTANT_ROLES)
def booking_detail(request, pk):
    load_scope(request.user)
    booking = get_booking_for_user(request.user, pk)
    return render(request, "programs/booking.html", _booking_context(request, booking))


@role_required(*CONSULTANT_ROLES)
@require_POST
def booking_record(request, pk):
    load_scope(request.user)
    booking = get_booking_for_user(request.user, pk)
    context = _booking_context(request, booking)
    if not context["can_record"]:
        return render(request, "403.html", status=403)
    form = ConsultationForm(request.POST)
    if form.is_valid():
        try:
            clinic.record_consultation(
                booking=booking,
                actor=request.user,
                status=form.cleaned_data["status"],
                advice=form.cleaned_data["advice"],
                outcome=form.cleaned_data["outcome"],
                referrals=form.referrals(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The consultation is recorded."))
            return redirect("programs:booking_detail", pk=booking.pk)
    context["form"] = form
    return render(request, "programs/booking.html", context, status=400)


@role_required(*DINAS)
@require_POST
def booking_verify(request, pk):
    load_scope(request.user)
    booking = get_booking_for_user(request.user, pk)
    try:
        clinic.verify_outcome(booking=booking, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The outcome is verified and counts in the reports."))
    return redirect(next_url(request, reverse("programs:clinic")))

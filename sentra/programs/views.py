"""The officer-facing programmes: programmes, sessions, participants, attendance and outcomes."""

import base64
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.accounts.models import Role
from sentra.core import qr
from sentra.core.audit import history_for
from sentra.core.pdf import render_pdf
from sentra.core.permissions import DINAS, role_required
from sentra.registry.models import Scale, Sme
from sentra.registry.search import search_smes

from . import outcomes, services
from .access import (
    get_enrolment_for_user,
    get_programme_for_user,
    get_session_for_user,
    load_scope,
    programmes_for_user,
    smes_for_user,
)
from .attendance import check_in, undo_check_in
from .forms import (
    CertificateOutcomeForm,
    CheckInForm,
    ProductOutcomeForm,
    ProgrammeFilterForm,
    ProgrammeForm,
    ReasonForm,
    SessionForm,
)
from .models import Attendance, AttendanceCard, CompletionCertificate, Enrolment, Programme, Session

PAGE_SIZE = 50
HISTORY_LENGTH = 50


def _page(queryset, request, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def next_url(request, default: str) -> str:
    """Where a form asked to return to (`next`), when that is a page of this site."""
    candidate = request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def programme_years() -> list[int]:
    years = Programme.objects.dates("starts_on", "year", order="DESC")
    return [d.year for d in years]


# --- programmes --------------------------------------------------------------------------------


@role_required(*DINAS)
def programme_list(request):
    load_scope(request.user)
    form = ProgrammeFilterForm(request.GET, years=programme_years())
    programmes = (
        form.apply(programmes_for_user(request.user))
        .select_related("organiser")
        .annotate(participants=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.ACCEPTED)))
        .order_by("-starts_on", "-id")
    )
    context = {
        "form": form,
        "page": _page(programmes, request),
        "page_query": _query_without(request, "page"),
    }
    return render(request, "programs/programme_list.html", context)


def _programme_form_page(request, *, programme: Programme | None):
    data = request.POST if request.method == "POST" else None
    form = ProgrammeForm(data, instance=programme, user=request.user)
    if data is not None and form.is_valid():
        kecamatan, forums = form.cleaned_data["eligible_kecamatan"], form.cleaned_data["eligible_forums"]
        if programme is None:
            programme = services.create_programme(
                actor=request.user, data=form.service_data(), kecamatan=kecamatan, forums=forums
            )
            messages.success(request, _("The programme is saved. Add its sessions and enrol SMEs."))
        else:
            services.update_programme(
                programme=programme,
                actor=request.user,
                data=form.service_data(),
                kecamatan=kecamatan,
                forums=forums,
            )
            messages.success(request, _("The changes are saved."))
        return redirect("programs:programme_detail", public_id=programme.public_id)
    return render(
        request,
        "programs/programme_form.html",
        {"form": form, "programme": programme},
        status=400 if data is not None else 200,
    )


@role_required(*DINAS)
def programme_create(request):
    load_scope(request.user)
    return _programme_form_page(request, programme=None)


@role_required(*DINAS)
def programme_edit(request, public_id):
    load_scope(request.user)
    return _programme_form_page(request, programme=get_programme_for_user(request.user, public_id))


def _eligibility(programme: Programme) -> list[tuple[str, str]]:
    labels = services.sector_labels()
    return [
        (_("KBLI categories"), ", ".join(labels.get(s, s) for s in programme.eligible_sectors) or _("any")),
        (_("Scales"), ", ".join(str(Scale(s).label) for s in programme.eligible_scales) or _("any")),
        (
            _("Kecamatan"),
            ", ".join(k.name for k in programme.eligible_kecamatan.all()) or _("the whole regency"),
        ),
        (_("Forums"), ", ".join(f.name for f in programme.eligible_forums.all()) or _("any")),
    ]


def _enrolments_by_status(programme: Programme) -> dict[str, list[Enrolment]]:
    groups = {status: [] for status in Enrolment.Status.values}
    enrolments = (
        programme.enrolments.select_related("sme", "sme__owner", "sme__kecamatan")
        .annotate(has_certificate=Exists(CompletionCertificate.objects.filter(enrolment=OuterRef("pk"))))
        .order_by("waitlisted_at", "created_at", "id")
    )
    for enrolment in enrolments:
        groups[enrolment.status].append(enrolment)
    return groups


@role_required(*DINAS)
def programme_detail(request, public_id):
    load_scope(request.user)
    programme = get_programme_for_user(request.user, public_id)
    sessions = programme.sessions.annotate(present=Count("attendances")).order_by("starts_at", "id")
    groups = _enrolments_by_status(programme)
    shares = outcomes.attendance_shares(programme)
    held = services.held_sessions(programme).count()
    for enrolment in groups[Enrolment.Status.ACCEPTED]:
        enrolment.attended = shares.get(enrolment.sme_id, 0)
    context = {
        "programme": programme,
        "eligibility": _eligibility(programme),
        "sessions": sessions,
        "groups": groups,
        "held": held,
        "places_left": max(programme.quota - len(groups[Enrolment.Status.ACCEPTED]), 0),
        "reason_form": ReasonForm(),
        "history": history_for(programme)[:HISTORY_LENGTH],
        "now": timezone.now(),
    }
    return render(request, "programs/programme_detail.html", context)


@role_required(*DINAS)
def programme_enrol(request, public_id):
    """Pick SMEs to enrol from the registry, narrowed to the programme's eligibility and a search."""
    load_scope(request.user)
    programme = get_programme_for_user(request.user, public_id)
    if request.method == "POST":
        chosen = request.POST.getlist("sme")
        smes = list(smes_for_user(request.user).filter(public_id__in=chosen[:PAGE_SIZE]))
        if not smes:
            messages.error(request, _("Tick at least one SME to enrol."))
        for sme in smes:
            try:
                enrolment = services.enrol_sme(programme=programme, sme=sme, actor=request.user)
            except ValidationError as exc:
                messages.error(request, f"{sme.name}: {' '.join(exc.messages)}")
                continue
            if enrolment.status == Enrolment.Status.ACCEPTED:
                messages.success(request, _("%(sme)s is enrolled.") % {"sme": sme.name})
            else:
                messages.warning(
                    request, _("The programme is full: %(sme)s is on the waiting list.") % {"sme": sme.name}
                )
        return redirect(
            f"{reverse('programs:programme_enrol', args=[programme.public_id])}?{request.GET.urlencode()}"
        )
    query = request.GET.get("q", "").strip()
    enrolled = Enrolment.objects.filter(programme=programme, sme=OuterRef("pk")).exclude(
        status__in=[Enrolment.Status.WITHDRAWN, Enrolment.Status.DECLINED]
    )
    candidates = search_smes(services.eligible_smes(programme, smes_for_user(request.user)), query)
    candidates = (
        candidates.exclude(Exists(enrolled))
        .select_related("owner", "kecamatan", "desa")
        .order_by("name", "id")
    )
    context = {
        "programme": programme,
        "eligibility": _eligibility(programme),
        "page": _page(candidates, request),
        "q": query,
        "page_query": _query_without(request, "page"),
        "places_left": services.places_left(programme),
    }
    return render(request, "programs/enrol.html", context)


@role_required(*DINAS)
@require_POST
def programme_select(request, public_id):
    """Select ticked applicants: participants while places last, then the waiting list."""
    load_scope(request.user)
    programme = get_programme_for_user(request.user, public_id)
    ids = [int(i) for i in request.POST.getlist("enrolment") if i.isdigit()]
    chosen = list(Enrolment.objects.filter(programme=programme, pk__in=ids))
    chosen.sort(key=lambda e: ids.index(e.pk))
    if not chosen:
        messages.error(request, _("Tick the applications to select."))
    else:
        counts = services.select_applicants(programme=programme, enrolments=chosen, actor=request.user)
        messages.success(
            request,
            _(
                "%(accepted)s selected as participants, %(waitlisted)s on the waiting list (the programme is full)."
            )
            % counts,
        )
    return redirect("programs:programme_detail", public_id=programme.public_id)


_ENROLMENT_ACTIONS = {
    "withdraw": (services.withdraw_enrolment, lambda: _("%(sme)s is withdrawn.")),
    "decline": (
        services.decline_application,
        lambda: _("%(sme)s is not selected; the owner sees the reason."),
    ),
}


@role_required(*DINAS)
@require_POST
def enrolment_action(request, pk, action):
    load_scope(request.user)
    if action not in _ENROLMENT_ACTIONS:
        raise Http404
    enrolment = get_enrolment_for_user(request.user, pk)
    service, done = _ENROLMENT_ACTIONS[action]
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason, then try again."))
    else:
        try:
            promoted = service(enrolment=enrolment, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done() % {"sme": enrolment.sme.name})
            if isinstance(promoted, Enrolment):
                messages.info(
                    request, _("%(sme)s moved up from the waiting list.") % {"sme": promoted.sme.name}
                )
    return redirect("programs:programme_detail", public_id=enrolment.programme.public_id)


# --- sessions ----------------------------------------------------------------------------------


def _session_form_page(request, *, programme: Programme, session: Session | None):
    data = request.POST if request.method == "POST" else None
    initial = SessionForm.initial_for(session)
    if session is not None:
        initial.update(title=session.title, venue=session.venue, online_link=session.online_link)
    form = SessionForm(data, initial=initial)
    if data is not None and form.is_valid():
        try:
            services.save_session(
                actor=request.user, data=form.service_data(), session=session, programme=programme
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("programs:programme_detail", public_id=programme.public_id)
    return render(
        request,
        "programs/session_form.html",
        {"form": form, "programme": programme, "session": session},
        status=400 if data is not None else 200,
    )


@role_required(*DINAS)
def session_create(request, public_id):
    load_scope(request.user)
    return _session_form_page(
        request, programme=get_programme_for_user(request.user, public_id), session=None
    )


@role_required(*DINAS)
def session_edit(request, public_id):
    load_scope(request.user)
    session = get_session_for_user(request.user, public_id)
    if session.programme is None:
        raise Http404
    return _session_form_page(request, programme=session.programme, session=session)


# --- attendance --------------------------------------------------------------------------------

ATTENDANCE_ROLES = (Role.ADMIN, Role.OFFICER, Role.SME_OWNER)


def _roll(session: Session, request) -> tuple:
    """The SMEs expected at a session, searched and paged, with whether each is checked in."""
    query = request.GET.get("q", "").strip()
    smes = Sme.objects.filter(services.roll_filter(session))
    present = Attendance.objects.filter(session=session, sme=OuterRef("pk"))
    smes = (
        search_smes(smes, query)
        .select_related("owner")
        .annotate(present=Exists(present))
        .order_by("name", "id")
    )
    return _page(smes, request), query


def _roll_counts(session: Session) -> dict[str, int]:
    return {
        "expected": Sme.objects.filter(services.roll_filter(session)).count(),
        "present": session.attendances.count(),
    }


def _back_url(session: Session) -> str:
    if session.programme_id:
        return reverse("programs:programme_detail", args=[session.programme.public_id])
    return reverse("my_programs:forum_home", args=[session.forum_id])


@role_required(*ATTENDANCE_ROLES)
def session_attendance(request, public_id):
    """The door: scan a QR, type its short code, or tick a name; works offline through the outbox."""
    session = get_session_for_user(request.user, public_id)
    page, query = _roll(session, request)
    context = {
        "session": session,
        "page": page,
        "q": query,
        "page_query": _query_without(request, "page"),
        "counts": _roll_counts(session),
        "recent": session.attendances.select_related("sme").order_by("-checked_in_at", "-id")[:10],
        "back_url": _back_url(session),
    }
    return render(request, "programs/attendance.html", context)


def _queued_at(request) -> dt.datetime | None:
    """When the outbox took a check-in that it sends later (its X-Outbox-At header)."""
    raw = request.headers.get("X-Outbox-At", "")
    try:
        at = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return at if timezone.is_aware(at) else None


@role_required(*ATTENDANCE_ROLES)
@require_POST
def session_check_in(request, public_id):
    session = get_session_for_user(request.user, public_id)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        result = None
        message = _("The check-in could not be read; try again.")
    else:
        data = form.cleaned_data
        sme = None
        if data["sme"]:
            sme = Sme.objects.filter(services.roll_filter(session), public_id=data["sme"]).first()
            if sme is None:
                sme = Sme.objects.filter(public_id=data["sme"]).first()
        if data["sme"] and sme is None:
            result, message = None, _("That business is not in the registry.")
        else:
            result = check_in(
                session=session,
                actor=request.user,
                method=data["method"],
                code=data["code"],
                sme=sme,
                client_key=data["client_key"],
                at=_queued_at(request),
            )
            message = result.message
    if request.headers.get("X-Outbox") or request.htmx:
        status = 200 if result is not None and result.result != "refused" else 400
        return render(
            request, "programs/_checkin_result.html", {"result": result, "message": message}, status=status
        )
    level = messages.success if result is not None and result.recorded else messages.warning
    level(request, message)
    return redirect(next_url(request, reverse("programs:session_attendance", args=[session.public_id])))


def render_cards(request, *, smes: list[Sme], title: str, back_url: str, **roll):
    """The attendance cards of `smes` for a programme or a forum (roll: programme=… or forum=…), made
    where missing, to print or for each owner to show on their phone."""
    services.ensure_cards(smes=smes, **roll)
    cards = (
        AttendanceCard.objects.filter(sme__in=smes, **roll)
        .select_related("sme", "sme__owner")
        .order_by("sme__name")
    )
    return render(
        request,
        "programs/cards.html",
        {"title": title, "cards": [card_item(card) for card in cards], "back_url": back_url},
    )


@role_required(*ATTENDANCE_ROLES)
@require_POST
def attendance_undo(request, pk):
    """Take back a check-in made by mistake (the wrong name ticked), with the reason."""
    attendance = get_object_or_404(Attendance.objects.select_related("session", "sme"), pk=pk)
    session = get_session_for_user(request.user, attendance.session.public_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for taking the check-in back."))
    else:
        undo_check_in(attendance=attendance, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The check-in of %(sme)s is taken back.") % {"sme": attendance.sme.name})
    return redirect("programs:session_attendance", public_id=session.public_id)


def card_item(card: AttendanceCard) -> dict:
    title = _("QR code %(code)s") % {"code": card.display_code}
    return {"card": card, "sme": card.sme, "qr": qr.svg(card.display_code, scale=5, title=title)}


@role_required(*DINAS)
def programme_cards(request, public_id):
    load_scope(request.user)
    programme = get_programme_for_user(request.user, public_id)
    participants = [e.sme for e in programme.enrolments.participating().select_related("sme")]
    back = reverse("programs:programme_detail", args=[programme.public_id])
    return render_cards(request, smes=participants, title=programme.title, back_url=back, programme=programme)


# --- participants and outcomes -----------------------------------------------------------------


def _participant_context(request, enrolment: Enrolment, **extra) -> dict:
    programme = enrolment.programme
    attendance = {
        a.session_id: a
        for a in Attendance.objects.filter(session__programme=programme, sme_id=enrolment.sme_id)
    }
    sessions = [(s, attendance.get(s.pk)) for s in programme.sessions.order_by("starts_at", "id")]
    attended, held = outcomes.attendance_share(enrolment)
    certificate = CompletionCertificate.objects.filter(enrolment=enrolment).first()
    move = outcomes.scale_moves([enrolment]).get(enrolment.pk)
    context = {
        "enrolment": enrolment,
        "programme": programme,
        "sme": enrolment.sme,
        "sessions": sessions,
        "attended": attended,
        "held": held,
        "share": round(100 * attended / held) if held else None,
        "certificate": certificate,
        "outcomes": enrolment.outcomes.select_related("permit", "product").order_by("recorded_at", "id"),
        "scale_move": tuple(Scale(s).label for s in move) if move else None,
        "certificate_form": CertificateOutcomeForm(initial={"certificate": programme.certification or None}),
        "product_form": ProductOutcomeForm(sme=enrolment.sme),
        "reason_form": ReasonForm(),
        "can_withdraw": services.can_withdraw(enrolment),
        "history": history_for(enrolment)[:HISTORY_LENGTH],
    }
    if programme.is_cohort:
        from .mentoring import current_assignment

        context["kpi_reports"] = enrolment.kpi_reports.order_by("-week_start")
        context["assignment"] = current_assignment(sme_id=enrolment.sme_id, programme=programme)
        context["risk_tasks"] = enrolment.risk_tasks.order_by("-opened_at")
    context.update(extra)
    return context


@role_required(*DINAS)
def participant_detail(request, pk):
    load_scope(request.user)
    enrolment = get_enrolment_for_user(request.user, pk)
    return render(request, "programs/participant.html", _participant_context(request, enrolment))


def _record_outcome(request, pk, *, make_form, service, done: str, form_name: str):
    """Record an outcome from the participant page; a refusal shows the page again with the form open."""
    load_scope(request.user)
    enrolment = get_enrolment_for_user(request.user, pk)
    form = make_form(request.POST, enrolment)
    if form.is_valid():
        try:
            service(enrolment=enrolment, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("programs:participant_detail", pk=enrolment.pk)
    context = _participant_context(request, enrolment, **{f"{form_name}_form": form, "open_form": form_name})
    return render(request, "programs/participant.html", context, status=400)


@role_required(*DINAS)
@require_POST
def outcome_certificate(request, pk):
    return _record_outcome(
        request,
        pk,
        make_form=lambda data, _enrolment: CertificateOutcomeForm(data),
        service=outcomes.record_certificate,
        done=_("The certificate is recorded and the business's legality records are updated."),
        form_name="certificate",
    )


@role_required(*DINAS)
@require_POST
def outcome_product(request, pk):
    return _record_outcome(
        request,
        pk,
        make_form=lambda data, enrolment: ProductOutcomeForm(data, sme=enrolment.sme),
        service=outcomes.record_product_improvement,
        done=_("The improvement is recorded."),
        form_name="product",
    )


@role_required(*DINAS)
@require_POST
def certificate_issue(request, pk):
    load_scope(request.user)
    enrolment = get_enrolment_for_user(request.user, pk)
    try:
        outcomes.issue_certificate(enrolment=enrolment, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The completion certificate is issued."))
    return redirect("programs:participant_detail", pk=enrolment.pk)


@role_required(*DINAS)
@require_POST
def certificate_revoke(request, pk):
    load_scope(request.user)
    enrolment = get_enrolment_for_user(request.user, pk)
    certificate = get_object_or_404(CompletionCertificate, enrolment=enrolment)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for revoking."))
    else:
        try:
            outcomes.revoke_certificate(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The certificate is revoked; its public page says so."))
    return redirect("programs:participant_detail", pk=enrolment.pk)


def certificate_document(request, certificate: CompletionCertificate) -> HttpResponse:
    """The completion certificate as a PDF, its QR leading to the public page that verifies it."""
    verify_url = request.build_absolute_uri(reverse("certificates:verify", args=[certificate.public_id]))
    enrolment = certificate.enrolment
    attended, held = outcomes.attendance_share(enrolment)
    pdf = render_pdf(
        "programs/certificate_pdf.html",
        {
            "certificate": certificate,
            "enrolment": enrolment,
            "programme": enrolment.programme,
            "sme": enrolment.sme,
            "attended": attended,
            "held": held,
            "verify_url": verify_url,
            # PNG rather than SVG: a raster QR prints crisply at its size and can be read back from the PDF.
            "qr": "data:image/png;base64," + base64.b64encode(qr.png(verify_url)).decode(),
        },
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="sertifikat-{certificate.number.replace("/", "-")}.pdf"'
    )
    return response


@role_required(*DINAS, Role.SME_OWNER)
def certificate_pdf(request, pk):
    load_scope(request.user)
    enrolment = get_enrolment_for_user(request.user, pk)
    certificate = get_object_or_404(CompletionCertificate, enrolment=enrolment, revoked_at__isnull=True)
    return certificate_document(request, certificate)

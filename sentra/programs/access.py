"""Who reaches which programme, session, participant, mentor record and consultation.

Dinas staff see the programmes of their scope: an officer limited to some kecamatan sees those open
to the whole regency and those for one of their kecamatan. SME owners reach their own businesses'
enrolments and bookings, and the forum they coordinate (the owner account of the forum's coordinator
SME). Mentors and consultants (officers or partner users with a Mentor record) reach the SMEs
assigned to them and the consultations booked with them. Anything else answers 404.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404

from sentra.accounts.models import Role
from sentra.registry.models import Forum, Sme

from .models import (
    ClinicBooking,
    Enrolment,
    KpiReport,
    Mentor,
    MentorAssignment,
    Programme,
    RiskTask,
    Session,
)


def load_scope(user):
    """Read an officer's kecamatan once per request: the scope helpers each ask for it."""
    if user.is_authenticated and user.role == Role.OFFICER:
        prefetch_related_objects([user], "kecamatan")
    return user


def _scope(user) -> list[int] | None:
    return load_scope(user).kecamatan_scope()


def programmes_for_user(user) -> QuerySet:
    if not user.is_dinas:
        return Programme.objects.none()
    programmes = Programme.objects.all()
    scope = _scope(user)
    if scope is None:
        return programmes
    through = Programme.eligible_kecamatan.through
    limited = Exists(through.objects.filter(programme_id=OuterRef("pk")))
    ours = Exists(through.objects.filter(programme_id=OuterRef("pk"), region_id__in=scope))
    return programmes.filter(~limited | ours)


def get_programme_for_user(user, public_id) -> Programme:
    return get_object_or_404(programmes_for_user(user).select_related("organiser"), public_id=public_id)


def smes_for_user(user) -> QuerySet:
    """SMEs the user may pick or see (Dinas by scope, an owner their own)."""
    load_scope(user)
    return Sme.objects.for_user(user)


def coordinated_forums(user) -> QuerySet:
    """Forums whose coordinator SME this owner account runs."""
    if user.role != Role.SME_OWNER:
        return Forum.objects.none()
    return Forum.objects.filter(coordinator__accounts=user, coordinator__merged_into__isnull=True)


def forums_for_user(user) -> QuerySet:
    if user.is_dinas:
        scope = _scope(user)
        forums = Forum.objects.all()
        return forums if scope is None else forums.filter(kecamatan_id__in=scope)
    return coordinated_forums(user)


def sessions_for_user(user) -> QuerySet:
    """Sessions whose attendance the user may take: a programme's (Dinas), a forum's (its
    coordinator, or Dinas in scope)."""
    forum_sessions = Q(forum__in=forums_for_user(user))
    if user.is_dinas:
        return Session.objects.filter(Q(programme__in=programmes_for_user(user)) | forum_sessions)
    return Session.objects.filter(forum_sessions)


def get_session_for_user(user, public_id) -> Session:
    return get_object_or_404(
        sessions_for_user(user).select_related("programme", "forum", "forum__kecamatan"), public_id=public_id
    )


def get_enrolment_for_user(user, pk) -> Enrolment:
    """A participant record: Dinas staff through their programmes, an owner for their own SME."""
    if user.is_dinas:
        enrolments = Enrolment.objects.filter(programme__in=programmes_for_user(user))
    elif user.role == Role.SME_OWNER:
        enrolments = Enrolment.objects.filter(sme__in=smes_for_user(user))
    else:
        enrolments = Enrolment.objects.filter(sme__in=mentored_smes(_mentor_or_404(user)))
    return get_object_or_404(
        enrolments.select_related("programme", "programme__organiser", "sme", "sme__owner", "sme__kecamatan"),
        pk=pk,
    )


def mentor_for_user(user) -> Mentor | None:
    if not (user.is_authenticated and user.role in (Role.ADMIN, Role.OFFICER, Role.PARTNER)):
        return None
    return Mentor.objects.filter(user=user, active=True).first()


def _mentor_or_404(user) -> Mentor:
    mentor = mentor_for_user(user)
    if mentor is None:
        raise Http404
    return mentor


def mentored_smes(mentor: Mentor) -> QuerySet:
    return Sme.objects.filter(
        Exists(MentorAssignment.objects.filter(sme_id=OuterRef("pk"), mentor=mentor, ended_on__isnull=True))
    )


def get_assignment_for_user(user, pk) -> MentorAssignment:
    assignments = MentorAssignment.objects.select_related("mentor", "sme", "sme__kecamatan", "programme")
    if user.is_dinas:
        assignments = assignments.filter(sme__in=smes_for_user(user))
    else:
        assignments = assignments.filter(mentor=_mentor_or_404(user))
    return get_object_or_404(assignments, pk=pk)


def kpi_reports_for_user(user) -> QuerySet:
    reports = KpiReport.objects.all()
    if user.is_dinas:
        return reports.filter(enrolment__programme__in=programmes_for_user(user))
    if user.role == Role.SME_OWNER:
        return reports.filter(enrolment__sme__in=smes_for_user(user))
    mentor = mentor_for_user(user)
    if mentor is None:
        return reports.none()
    return reports.filter(enrolment__sme__in=mentored_smes(mentor))


def get_kpi_report_for_user(user, pk) -> KpiReport:
    return get_object_or_404(
        kpi_reports_for_user(user).select_related("enrolment", "enrolment__programme", "enrolment__sme"),
        pk=pk,
    )


def get_risk_task_for_user(user, pk) -> RiskTask:
    tasks = RiskTask.objects.select_related("enrolment", "enrolment__sme", "enrolment__programme", "mentor")
    if user.is_dinas:
        tasks = tasks.filter(enrolment__programme__in=programmes_for_user(user))
    else:
        tasks = tasks.filter(mentor=_mentor_or_404(user))
    return get_object_or_404(tasks, pk=pk)


def bookings_for_user(user) -> QuerySet:
    bookings = ClinicBooking.objects.all()
    if user.is_dinas or user.role == Role.SME_OWNER:
        return bookings.filter(sme__in=smes_for_user(user))
    mentor = mentor_for_user(user)
    return bookings.filter(slot__consultant=mentor) if mentor is not None else bookings.none()


def get_booking_for_user(user, pk) -> ClinicBooking:
    return get_object_or_404(
        bookings_for_user(user).select_related(
            "sme",
            "sme__kecamatan",
            "slot",
            "slot__consultant",
            "slot__consultant__partner",
            "outcome_recorded_by",
            "outcome_verified_by",
        ),
        pk=pk,
    )

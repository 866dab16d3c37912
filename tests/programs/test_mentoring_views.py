"""Mentors: the Dinas's list, a mentor's own page (officer or partner user), visits, cohorts, the clinic."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import make_user
from sentra.accounts.models import Role
from sentra.programs import clinic, mentoring, services
from sentra.programs.models import Mentor, MentorAssignment, RiskTask, Topic, Visit
from tests.partners.factories import PartnerFactory
from tests.registry.factories import SmeFactory

from .factories import ClinicSlotFactory, MentorFactory, ProgrammeFactory
from .helpers import queries

WEEK = dt.date(2024, 3, 4)


def test_the_dinas_registers_a_partner_user_as_mentor_for_their_organisation(en_client, officer, partner):
    bank = PartnerFactory(name="Bank BJB Cikarang")
    en_client.force_login(officer)
    wrong = en_client.post(
        reverse("programs:mentor_create"),
        {"name": "Fajar", "user": partner.pk, "partner": bank.pk, "active": "on"},
    )
    assert wrong.status_code == 400 and "does not sign in for" in wrong.content.decode()
    bank.users.add(partner)
    en_client.post(
        reverse("programs:mentor_create"),
        {
            "name": "Fajar",
            "user": partner.pk,
            "partner": bank.pk,
            "is_consultant": "on",
            "topics": ["finance"],
            "active": "on",
        },
    )
    mentor = Mentor.objects.get()
    assert mentor.user == partner and mentor.topics == ["finance"]


def test_a_consultant_without_topics_is_refused(en_client, officer):
    en_client.force_login(officer)
    response = en_client.post(
        reverse("programs:mentor_create"), {"name": "X", "is_consultant": "on", "active": "on"}
    )
    assert response.status_code == 400 and not Mentor.objects.exists()


@pytest.fixture
def mentored(officer, partner, kecamatan):
    mentor = MentorFactory(user=partner)
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"])
    assignment = mentoring.assign_mentor(mentor=mentor, sme=sme, actor=officer)
    return assignment


def test_a_partner_mentor_sees_their_smes_and_records_a_visit_through_the_outbox(
    en_client, partner, mentored
):
    en_client.force_login(partner)
    assert mentored.sme.name in en_client.get(reverse("programs:my_mentoring")).content.decode()
    url = reverse("programs:assignment_detail", args=[mentored.pk])
    data = {
        "visited_on": "2024-05-02",
        "notes": "Stok bahan baku menipis",
        "next_steps": "Ajukan KUR",
        "client_key": "v1",
    }
    first = en_client.post(url, data, HTTP_X_OUTBOX="1")
    again = en_client.post(url, data, HTTP_X_OUTBOX="1")
    assert first.status_code == 200 and "already recorded" in again.content.decode()
    assert Visit.objects.get().next_steps == "Ajukan KUR"


def test_a_visit_in_the_future_is_refused(en_client, partner, mentored):
    en_client.force_login(partner)
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    response = en_client.post(
        reverse("programs:assignment_detail", args=[mentored.pk]),
        {"visited_on": tomorrow.isoformat(), "notes": "x"},
    )
    assert response.status_code == 400 and not Visit.objects.exists()


def test_another_mentor_cannot_open_the_assignment(client, mentored):
    other = make_user("mentor_lain", Role.PARTNER)
    MentorFactory(user=other)
    client.force_login(other)
    assert client.get(reverse("programs:assignment_detail", args=[mentored.pk])).status_code == 404


def test_a_partner_who_is_no_mentor_is_told_so(en_client, partner):
    en_client.force_login(partner)
    assert "not registered as a mentor" in en_client.get(reverse("programs:my_mentoring")).content.decode()


@pytest.fixture
def cohort(officer, sme_owner, kecamatan):
    programme = ProgrammeFactory(cohort=True, starts_on=WEEK, ends_on=dt.date(2024, 6, 30), quota=10)
    steady = services.enrol_sme(
        programme=programme, sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]), actor=officer
    )
    falling = services.enrol_sme(
        programme=programme, sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]), actor=officer
    )
    mentor = MentorFactory(user=officer)
    for enrolment in (steady, falling):
        mentoring.assign_mentor(mentor=mentor, sme=enrolment.sme, programme=programme, actor=officer)
    for n, (a, b) in enumerate([(5_000_000, 8_000_000), (5_200_000, 7_000_000), (5_100_000, 5_000_000)]):
        week = WEEK + dt.timedelta(weeks=n)
        mentoring.submit_kpi_report(enrolment=steady, actor=sme_owner, week_start=week, turnover=a, orders=10)
        mentoring.submit_kpi_report(
            enrolment=falling, actor=sme_owner, week_start=week, turnover=b, orders=10
        )
    return {"programme": programme, "steady": steady, "falling": falling, "mentor": mentor}


def test_the_cohort_page_shows_each_line_and_who_is_at_risk_first(en_client, officer, cohort):
    en_client.force_login(officer)
    html = en_client.get(reverse("programs:cohort", args=[cohort["programme"].public_id])).content.decode()
    assert html.count('class="kpi-line"') == 2
    assert html.index(cohort["falling"].sme.name) < html.index(cohort["steady"].sme.name)
    assert "1 at risk" in html and "−38%" in html


def test_the_mentor_reviews_reports_and_closes_the_at_risk_task(en_client, officer, cohort):
    task = RiskTask.objects.get()
    en_client.force_login(officer)
    page = en_client.get(reverse("programs:my_mentoring")).content.decode()
    assert cohort["falling"].sme.name in page and "down 38%" in page
    empty = en_client.post(reverse("programs:risk_close", args=[task.pk]), {"resolution": ""}, follow=True)
    assert "Say what was done" in empty.content.decode()
    en_client.post(reverse("programs:risk_close", args=[task.pk]), {"resolution": "Kunjungan, bantu promosi"})
    task.refresh_from_db()
    assert task.status == "closed" and task.closed_by == officer
    report = cohort["steady"].kpi_reports.first()
    en_client.post(reverse("programs:kpi_review", args=[report.pk]), {"note": "Bagus"})
    report.refresh_from_db()
    assert report.reviewed_by == officer and report.review_note == "Bagus"


def test_the_cohort_page_needs_a_fixed_number_of_queries(client, officer, cohort, sme_owner, kecamatan):

    url = reverse("programs:cohort", args=[cohort["programme"].public_id])
    client.force_login(officer)

    few = queries(client, url)
    for _ in range(3):
        enrolment = services.enrol_sme(
            programme=cohort["programme"],
            sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]),
            actor=officer,
        )
        mentoring.assign_mentor(
            mentor=cohort["mentor"], sme=enrolment.sme, programme=cohort["programme"], actor=officer
        )
        mentoring.submit_kpi_report(
            enrolment=enrolment, actor=sme_owner, week_start=WEEK, turnover=1, orders=1
        )
    assert queries(client, url) == few


def test_assigning_a_cohort_mentor_hands_over_from_the_previous_one(en_client, officer, cohort):
    newcomer = MentorFactory(name="Pendamping Baru")
    en_client.force_login(officer)
    en_client.post(
        reverse("programs:cohort_assign", args=[cohort["programme"].public_id]),
        {"mentor": newcomer.pk, "sme": str(cohort["falling"].sme.public_id)},
    )
    current = MentorAssignment.objects.get(sme=cohort["falling"].sme, ended_on__isnull=True)
    assert current.mentor == newcomer
    assert RiskTask.objects.get().mentor == newcomer  # the open task follows the SME


def test_a_consultant_records_advice_and_a_second_officer_verifies_from_the_clinic_page(
    en_client, client, officer, regency_officer, sme_owner, kecamatan
):
    consultant = MentorFactory(consultant=True, user=officer)
    booking = clinic.book_slot(
        slot=ClinicSlotFactory(consultant=consultant),
        sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]),
        actor=sme_owner,
        topic=Topic.LEGALITY,
    )
    en_client.force_login(officer)
    en_client.post(
        reverse("programs:booking_record", args=[booking.pk]),
        {
            "status": "done",
            "advice": "Urus NIB di OSS",
            "outcome": "NIB terbit",
            "referral_kind": "office",
            "referral_office": "DPMPTSP",
        },
    )
    own = en_client.post(reverse("programs:booking_verify", args=[booking.pk]), follow=True)
    assert "second officer" in own.content.decode()
    booking.refresh_from_db()
    assert booking.outcome_verified_at is None and booking.referrals.get().office == "DPMPTSP"
    en_client.force_login(regency_officer)
    en_client.post(reverse("programs:booking_verify", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.outcome_verified_by == regency_officer


def test_a_referral_without_its_target_is_refused(en_client, officer, sme_owner, kecamatan):
    booking = clinic.book_slot(
        slot=ClinicSlotFactory(),
        sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]),
        actor=sme_owner,
        topic=Topic.LEGALITY,
    )
    en_client.force_login(officer)
    response = en_client.post(
        reverse("programs:booking_record", args=[booking.pk]),
        {"status": "done", "advice": "a", "referral_kind": "partner"},
    )
    assert response.status_code == 400 and not booking.referrals.exists()


def test_the_dinas_adds_clinic_slots_and_past_ones_are_refused(en_client, officer):
    consultant = MentorFactory(consultant=True)
    en_client.force_login(officer)
    day = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    en_client.post(
        reverse("programs:clinic"),
        {
            "consultant": consultant.pk,
            "day": day,
            "first": "09:00",
            "count": "4",
            "minutes": "45",
            "venue": "PLUT",
        },
    )
    assert consultant.clinic_slots.count() == 4
    past = en_client.post(
        reverse("programs:clinic"),
        {
            "consultant": consultant.pk,
            "day": "2024-01-02",
            "first": "09:00",
            "count": "2",
            "minutes": "45",
            "venue": "PLUT",
        },
    )
    assert past.status_code == 400 and consultant.clinic_slots.count() == 4


@pytest.mark.parametrize("role", ["sme_owner", "cashier", "buyer", "outsider"])
def test_mentoring_and_clinic_pages_are_closed_to_other_roles(client, personas, role):
    client.force_login(personas[role])
    assert client.get(reverse("programs:mentor_list")).status_code == 403
    assert client.get(reverse("programs:clinic")).status_code == 403

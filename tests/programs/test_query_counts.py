"""Every list page of the area needs the same number of queries for a few rows as for many."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sentra.programs import clinic, mentoring, services
from sentra.programs.models import Topic
from tests.registry.factories import SmeFactory

from .factories import ClinicSlotFactory, MentorFactory, ProgrammeFactory
from .helpers import queries


def grow(make, client, url, *, few=2, many=8) -> tuple[int, int]:
    for _ in range(few):
        make()
    first = queries(client, url)
    for _ in range(many - few):
        make()
    return first, queries(client, url)


@pytest.fixture
def cikarang(kecamatan):
    return kecamatan["cikarang_utara"]


def test_the_mentor_list(client, regency_officer, cikarang):
    client.force_login(regency_officer)

    def make():
        mentor = MentorFactory()
        mentoring.assign_mentor(mentor=mentor, sme=SmeFactory(kecamatan=cikarang), actor=regency_officer)

    first, then = grow(make, client, reverse("programs:mentor_list"))
    assert first == then


def test_the_clinic_page(client, regency_officer, sme_owner, cikarang):
    client.force_login(regency_officer)

    def make():
        booking = clinic.book_slot(
            slot=ClinicSlotFactory(),
            sme=SmeFactory(kecamatan=cikarang),
            actor=sme_owner,
            topic=Topic.LEGALITY,
        )
        clinic.record_consultation(
            booking=booking, actor=sme_owner, status="done", advice="a", outcome="NIB terbit"
        )

    first, then = grow(make, client, reverse("programs:clinic"))
    assert first == then


def test_a_mentors_own_page(client, officer, sme_owner, cikarang):
    mentor = MentorFactory(user=officer, consultant=True)
    cohort = ProgrammeFactory(
        cohort=True, starts_on=dt.date(2024, 3, 4), ends_on=dt.date(2024, 6, 30), quota=50
    )
    client.force_login(officer)

    def make():
        enrolment = services.enrol_sme(programme=cohort, sme=SmeFactory(kecamatan=cikarang), actor=officer)
        mentoring.assign_mentor(mentor=mentor, sme=enrolment.sme, programme=cohort, actor=officer)
        mentoring.submit_kpi_report(
            enrolment=enrolment, actor=sme_owner, week_start=dt.date(2024, 3, 4), turnover=1, orders=1
        )
        clinic.book_slot(
            slot=ClinicSlotFactory(
                consultant=mentor, starts_at=timezone.now() + dt.timedelta(days=1, minutes=enrolment.pk)
            ),
            sme=enrolment.sme,
            actor=sme_owner,
            topic=Topic.LEGALITY,
        )

    first, then = grow(make, client, reverse("programs:my_mentoring"))
    assert first == then


def test_the_enrolment_picker_and_the_participants_behind_a_figure(client, officer, cikarang):
    programme = ProgrammeFactory(quota=100)
    client.force_login(officer)
    picker = reverse("programs:programme_enrol", args=[programme.public_id])
    first, then = grow(lambda: SmeFactory(kecamatan=cikarang), client, picker)
    assert first == then

    behind = reverse("programs:report_smes") + "?scale=micro"

    def enrol():
        services.enrol_sme(programme=programme, sme=SmeFactory(kecamatan=cikarang), actor=officer)

    first, then = grow(enrol, client, behind)
    assert first == then


def test_the_owners_programmes(client, sme_owner, officer, cikarang):
    client.force_login(sme_owner)

    def make():
        sme = SmeFactory(kecamatan=cikarang, accounts=[sme_owner])
        services.enrol_sme(programme=ProgrammeFactory(), sme=sme, actor=officer)
        ProgrammeFactory()  # open, and eligible

    first, then = grow(make, client, reverse("my_programs:home"))
    assert first == then

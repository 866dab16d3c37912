"""Who takes part: eligibility, places, the waiting list, applications and their selection."""

import datetime as dt

import pytest

from sentra.core.models import AuditEntry
from sentra.programs import services
from sentra.programs.models import AttendanceCard, Enrolment, Programme
from sentra.registry.models import Scale, Sme
from tests.registry.factories import ForumFactory, SmeFactory

from .factories import ProgrammeFactory


def test_an_sme_outside_the_eligible_sector_scale_kecamatan_or_forum_is_told_why(kecamatan):
    forum = ForumFactory(kecamatan=kecamatan["cikarang_utara"])
    programme = ProgrammeFactory(eligible_sectors=["C"], eligible_scales=[Scale.MICRO])
    programme.eligible_kecamatan.set([kecamatan["cikarang_utara"]])
    programme.eligible_forums.set([forum])
    fits = SmeFactory(
        kecamatan=kecamatan["cikarang_utara"], kbli_code="10794", kbli_category="C", forum=forum
    )
    fits.scale = Scale.MICRO
    assert services.eligibility_problems(programme, fits) == []

    shop = SmeFactory(kecamatan=kecamatan["tambun_selatan"], kbli_code="47111", kbli_category="G")
    shop.scale = Scale.SMALL
    problems = services.eligibility_problems(programme, shop)
    assert len(problems) == 4
    assert "KBLI categories C; this business is in G" in problems[0]
    assert "micro businesses; this one is small" in problems[1]
    assert "other kecamatan" in problems[2] and "other forums" in problems[3]


def test_the_picker_offers_only_eligible_verified_smes(kecamatan):
    programme = ProgrammeFactory(eligible_sectors=["C"])
    programme.eligible_kecamatan.set([kecamatan["cikarang_utara"]])
    fits = SmeFactory(kecamatan=kecamatan["cikarang_utara"], kbli_code="10794", kbli_category="C")
    SmeFactory(kecamatan=kecamatan["cikarang_utara"], kbli_code="10794", kbli_category="C", draft=True)
    SmeFactory(kecamatan=kecamatan["tambun_selatan"], kbli_code="10794", kbli_category="C")
    SmeFactory(kecamatan=kecamatan["cikarang_utara"], kbli_code="47111", kbli_category="G")
    assert list(services.eligible_smes(programme, Sme.objects.all())) == [fits]


def test_an_officer_enrols_an_ineligible_sme_and_nothing_is_written(officer, kecamatan):
    programme = ProgrammeFactory(eligible_sectors=["C"])
    shop = SmeFactory(kecamatan=kecamatan["cikarang_utara"], kbli_code="47111", kbli_category="G")
    with pytest.raises(services.EnrolmentError, match="KBLI categories C"):
        services.enrol_sme(programme=programme, sme=shop, actor=officer)
    assert not Enrolment.objects.exists()


def test_enrolments_beyond_the_places_go_to_the_waiting_list(officer, programme, cikarang_smes):
    first, second, third, fourth = (
        services.enrol_sme(programme=programme, sme=sme, actor=officer) for sme in cikarang_smes
    )
    assert [e.status for e in (first, second, third, fourth)] == [
        "accepted",
        "accepted",
        "waitlisted",
        "waitlisted",
    ]
    assert services.places_left(programme) == 0
    assert list(services.waiting_list(programme)) == [third, fourth]
    # Participants get their attendance card; those waiting get one when they move up.
    assert set(AttendanceCard.objects.values_list("sme_id", flat=True)) == {first.sme_id, second.sme_id}


def test_a_withdrawal_moves_the_longest_waiting_sme_up(officer, programme, cikarang_smes):
    first, _second, third, fourth = (
        services.enrol_sme(programme=programme, sme=sme, actor=officer) for sme in cikarang_smes
    )
    promoted = services.withdraw_enrolment(enrolment=first, actor=officer, reason="Pindah domisili")
    assert promoted == third
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (third.status, fourth.status) == ("accepted", "waitlisted")
    assert AttendanceCard.objects.filter(sme=third.sme, programme=programme).exists()
    assert AuditEntry.objects.filter(verb="programs.enrolment.moved_up", object_id=str(third.pk)).exists()


def test_withdrawing_from_the_waiting_list_moves_nobody_up(officer, programme, cikarang_smes):
    enrolments = [services.enrol_sme(programme=programme, sme=sme, actor=officer) for sme in cikarang_smes]
    assert services.withdraw_enrolment(enrolment=enrolments[2], actor=officer, reason="Tidak jadi") is None
    enrolments[3].refresh_from_db()
    assert enrolments[3].status == "waitlisted"


def test_a_withdrawal_needs_a_reason(officer, programme, cikarang_smes):
    enrolment = services.enrol_sme(programme=programme, sme=cikarang_smes[0], actor=officer)
    with pytest.raises(services.EnrolmentError, match="reason"):
        services.withdraw_enrolment(enrolment=enrolment, actor=officer, reason="  ")
    enrolment.refresh_from_db()
    assert enrolment.status == "accepted"


def test_more_places_let_the_waiting_list_move_up(officer, programme, cikarang_smes):
    enrolments = [services.enrol_sme(programme=programme, sme=sme, actor=officer) for sme in cikarang_smes]
    services.update_programme(programme=programme, actor=officer, data={"quota": 3})
    statuses = list(
        Enrolment.objects.filter(pk__in=[e.pk for e in enrolments])
        .order_by("id")
        .values_list("status", flat=True)
    )
    assert statuses == ["accepted", "accepted", "accepted", "waitlisted"]


def test_the_same_sme_cannot_be_enrolled_twice(officer, programme, cikarang_smes):
    services.enrol_sme(programme=programme, sme=cikarang_smes[0], actor=officer)
    with pytest.raises(services.EnrolmentError, match="already a participant"):
        services.enrol_sme(programme=programme, sme=cikarang_smes[0], actor=officer)
    assert Enrolment.objects.count() == 1


def test_owner_applications_wait_and_the_selection_fills_the_places_then_the_list(
    sme_owner, officer, programme, cikarang_smes
):
    applications = [
        services.apply_for_programme(
            programme=programme, sme=sme, actor=sme_owner, motivation="Ingin belajar"
        )
        for sme in cikarang_smes[:3]
    ]
    assert {a.status for a in applications} == {"applied"}
    assert services.places_left(programme) == 2
    counts = services.select_applicants(
        programme=programme, enrolments=list(reversed(applications)), actor=officer
    )
    assert counts == {"accepted": 2, "waitlisted": 1}
    statuses = {e.sme_id: e.status for e in Enrolment.objects.all()}
    # Taken in the order chosen: the first application was chosen last and waits.
    assert statuses[applications[0].sme_id] == "waitlisted"
    assert statuses[applications[2].sme_id] == "accepted"


def test_an_owner_cannot_apply_to_a_programme_that_is_not_open(sme_owner, cikarang_smes):
    programme = ProgrammeFactory(status=Programme.Status.PLANNED)
    with pytest.raises(services.EnrolmentError, match="not open"):
        services.apply_for_programme(programme=programme, sme=cikarang_smes[0], actor=sme_owner)


def test_an_applicant_declined_cannot_apply_again_but_a_withdrawn_one_can(
    sme_owner, officer, programme, cikarang_smes
):
    declined = services.apply_for_programme(programme=programme, sme=cikarang_smes[0], actor=sme_owner)
    services.decline_application(enrolment=declined, actor=officer, reason="Kuota untuk usaha pangan")
    with pytest.raises(services.EnrolmentError, match="not selected"):
        services.apply_for_programme(programme=programme, sme=cikarang_smes[0], actor=sme_owner)
    withdrawn = services.apply_for_programme(programme=programme, sme=cikarang_smes[1], actor=sme_owner)
    services.withdraw_enrolment(enrolment=withdrawn, actor=sme_owner, reason="Bentrok jadwal")
    again = services.apply_for_programme(programme=programme, sme=cikarang_smes[1], actor=sme_owner)
    assert again.pk == withdrawn.pk and again.status == "applied"


def test_a_programme_gets_a_code_with_its_year_and_its_creation_is_audited(officer, kecamatan):
    programme = services.create_programme(
        actor=officer,
        data={
            "title": "Pelatihan Kemasan",
            "kind": Programme.Kind.TRAINING,
            "quota": 25,
            "starts_on": dt.date(2024, 2, 5),
            "ends_on": dt.date(2024, 2, 28),
        },
        kecamatan=[kecamatan["cikarang_utara"]],
    )
    programme.refresh_from_db()
    assert programme.code == f"PRG-2024-{programme.pk:04d}"
    entry = AuditEntry.objects.get(verb="programs.programme.created")
    assert entry.changes["eligible_kecamatan"] == [None, ["Cikarang Utara"]]

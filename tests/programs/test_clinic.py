"""The clinic: booking a consultant by topic, advice and referrals, and the second officer's check."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import make_user
from sentra.accounts.models import Role
from sentra.programs import clinic
from sentra.programs.models import ClinicBooking, Topic

from .factories import ClinicSlotFactory, MentorFactory


@pytest.fixture
def consultant_officer(db):
    return make_user("konsultan_legal", Role.OFFICER)


@pytest.fixture
def booking(consultant_officer, sme_owner, cikarang_smes):
    slot = ClinicSlotFactory(consultant=MentorFactory(consultant=True, user=consultant_officer))
    return clinic.book_slot(
        slot=slot, sme=cikarang_smes[0], actor=sme_owner, topic=Topic.LEGALITY, question="NIB?"
    )


def test_a_slot_offered_by_topic_is_booked_once(sme_owner, cikarang_smes):
    legal = ClinicSlotFactory()
    ClinicSlotFactory(consultant=MentorFactory(consultant=True, topics=[Topic.EXPORT]))
    assert list(clinic.free_slots(topic=Topic.LEGALITY)) == [legal]
    clinic.book_slot(slot=legal, sme=cikarang_smes[0], actor=sme_owner, topic=Topic.LEGALITY)
    assert list(clinic.free_slots(topic=Topic.LEGALITY)) == []
    with pytest.raises(clinic.ClinicError, match="just taken"):
        clinic.book_slot(slot=legal, sme=cikarang_smes[1], actor=sme_owner, topic=Topic.LEGALITY)
    assert ClinicBooking.objects.count() == 1


def test_a_cancelled_booking_frees_its_slot(booking, sme_owner, cikarang_smes):
    clinic.cancel_booking(booking=booking, actor=sme_owner, reason="Sakit")
    again = clinic.book_slot(slot=booking.slot, sme=cikarang_smes[1], actor=sme_owner, topic=Topic.FINANCE)
    assert again.status == "booked"


def test_a_topic_the_consultant_does_not_cover_and_a_past_slot_are_refused(sme_owner, cikarang_smes):
    slot = ClinicSlotFactory()
    with pytest.raises(clinic.ClinicError, match="does not consult on that topic"):
        clinic.book_slot(slot=slot, sme=cikarang_smes[0], actor=sme_owner, topic=Topic.EXPORT)
    past = ClinicSlotFactory(starts_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(clinic.ClinicError, match="already begun"):
        clinic.book_slot(slot=past, sme=cikarang_smes[0], actor=sme_owner, topic=Topic.LEGALITY)


def test_an_outcome_counts_only_once_a_second_officer_verifies_it(booking, consultant_officer, officer):
    clinic.record_consultation(
        booking=booking,
        actor=consultant_officer,
        status="done",
        advice="Daftar NIB lewat OSS, bawa KTP.",
        outcome="NIB terbit",
        referrals=[{"kind": "office", "office": "DPMPTSP Kabupaten Bekasi", "note": "Loket OSS"}],
    )
    booking.refresh_from_db()
    assert booking.outcome_recorded_by == consultant_officer and not booking.outcome_verified
    assert not clinic.can_verify(booking, consultant_officer)
    with pytest.raises(clinic.ClinicError, match="second officer"):
        clinic.verify_outcome(booking=booking, actor=consultant_officer)
    assert clinic.can_verify(booking, officer)
    clinic.verify_outcome(booking=booking, actor=officer)
    booking.refresh_from_db()
    assert booking.outcome_verified_by == officer
    assert [str(r) for r in booking.referrals.all()] == ["A permit office: DPMPTSP Kabupaten Bekasi"]


def test_whoever_recorded_the_outcome_cannot_verify_it_either(booking, officer, admin_user):
    clinic.record_consultation(
        booking=booking, actor=officer, status="done", advice="Saran", outcome="KUR cair"
    )
    with pytest.raises(clinic.ClinicError, match="second officer"):
        clinic.verify_outcome(booking=booking, actor=officer)
    clinic.verify_outcome(booking=booking, actor=admin_user)


def test_a_changed_outcome_must_be_verified_again(booking, consultant_officer, officer):
    clinic.record_consultation(
        booking=booking, actor=consultant_officer, status="done", advice="a", outcome="NIB terbit"
    )
    clinic.verify_outcome(booking=booking, actor=officer)
    clinic.record_consultation(
        booking=booking, actor=consultant_officer, status="done", advice="a", outcome="NIB dan P-IRT terbit"
    )
    booking.refresh_from_db()
    assert booking.outcome_verified_at is None


def test_a_partner_user_cannot_verify(booking, consultant_officer, partner):
    clinic.record_consultation(
        booking=booking, actor=consultant_officer, status="done", advice="a", outcome="b"
    )
    with pytest.raises(clinic.ClinicError, match="Dinas officer"):
        clinic.verify_outcome(booking=booking, actor=partner)

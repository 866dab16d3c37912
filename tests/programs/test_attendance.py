"""Check-ins at the door: by card code or name, once per person, refused for another roll."""

import datetime as dt

import pytest
from django.utils import timezone

from sentra.programs import services
from sentra.programs.attendance import check_in, when_taken
from sentra.programs.models import Attendance
from tests.registry.factories import ForumFactory, SmeFactory

from .factories import ProgrammeFactory, SessionFactory


@pytest.fixture
def door(officer, programme, cikarang_smes):
    """A session of a programme with two participants and one SME on the waiting list."""
    enrolments = [
        services.enrol_sme(programme=programme, sme=sme, actor=officer) for sme in cikarang_smes[:3]
    ]
    session = SessionFactory(programme=programme)
    cards = services.ensure_cards(smes=[e.sme for e in enrolments[:2]], programme=programme)
    return {"session": session, "enrolments": enrolments, "cards": cards}


def test_a_typed_short_code_checks_the_participant_in(officer, door):
    card = door["cards"][door["enrolments"][0].sme_id]
    typed = f"{card.code[:3].lower()} {card.code[3:]}"  # as typed on a phone
    result = check_in(session=door["session"], actor=officer, method="code", code=typed, client_key="k-1")
    assert result.recorded and result.sme == door["enrolments"][0].sme
    assert Attendance.objects.get().method == "code"


def test_a_second_scan_of_the_same_card_records_nothing_new(officer, door):
    card = door["cards"][door["enrolments"][0].sme_id]
    first = check_in(
        session=door["session"], actor=officer, method="qr", code=card.display_code, client_key="k-1"
    )
    second = check_in(
        session=door["session"], actor=officer, method="qr", code=card.display_code, client_key="k-2"
    )
    assert (first.result, second.result) == ("recorded", "already")
    assert "already checked in" in second.message
    assert Attendance.objects.count() == 1


def test_the_same_check_in_sent_again_by_the_outbox_is_the_same_record(officer, door):
    sme = door["enrolments"][1].sme
    first = check_in(session=door["session"], actor=officer, method="list", sme=sme, client_key="same-key")
    again = check_in(session=door["session"], actor=officer, method="list", sme=sme, client_key="same-key")
    assert again.result == "already" and again.attendance == first.attendance
    assert Attendance.objects.count() == 1


def test_a_card_of_another_programme_is_refused_with_its_name(officer, door, cikarang_smes):
    other = ProgrammeFactory(title="Fasilitasi NIB Tambun")
    services.enrol_sme(programme=other, sme=cikarang_smes[3], actor=officer)
    foreign = services.ensure_card(sme=cikarang_smes[3], programme=other)
    result = check_in(session=door["session"], actor=officer, method="qr", code=foreign.code)
    assert result.result == "refused"
    assert "Fasilitasi NIB Tambun" in result.message and door["session"].title in result.message
    assert not Attendance.objects.exists()


def test_an_unknown_code_and_someone_on_the_waiting_list_are_refused(officer, door):
    assert check_in(session=door["session"], actor=officer, method="code", code="ZZZ-999").result == "refused"
    waiting = door["enrolments"][2]
    result = check_in(session=door["session"], actor=officer, method="list", sme=waiting.sme)
    assert result.result == "refused" and "waiting list" in result.message
    assert not Attendance.objects.exists()


def test_a_check_in_kept_offline_keeps_the_time_it_was_taken(officer, door):
    taken = timezone.now() - dt.timedelta(minutes=40)
    result = check_in(
        session=door["session"], actor=officer, method="list", sme=door["enrolments"][0].sme, at=taken
    )
    assert result.attendance.checked_in_at == taken


def test_a_phone_clock_in_the_future_or_days_behind_gives_the_time_of_arrival():
    now = timezone.now()
    assert when_taken(now + dt.timedelta(minutes=5), now=now) == now
    assert when_taken(now - dt.timedelta(days=4), now=now) == now
    assert when_taken(now - dt.timedelta(hours=2), now=now) == now - dt.timedelta(hours=2)


def test_a_forum_meeting_takes_its_members_only(officer, kecamatan):
    forum = ForumFactory(kecamatan=kecamatan["cikarang_utara"])
    member = SmeFactory(kecamatan=kecamatan["cikarang_utara"], forum=forum)
    stranger = SmeFactory(kecamatan=kecamatan["cikarang_utara"])
    meeting = services.save_session(
        actor=officer,
        forum=forum,
        data={"title": "Rapat anggota", "starts_at": timezone.now(), "venue": "Balai desa"},
    )
    assert meeting.kind == "meeting"
    card = services.ensure_card(sme=member, forum=forum)
    assert check_in(session=meeting, actor=officer, method="qr", code=card.code).recorded
    refused = check_in(session=meeting, actor=officer, method="list", sme=stranger)
    assert refused.result == "refused" and "not a member" in refused.message


def test_cards_are_unique_codes_made_once(officer, programme, cikarang_smes):
    cards = services.ensure_cards(smes=cikarang_smes, programme=programme)
    again = services.ensure_cards(smes=cikarang_smes, programme=programme)
    assert {c.pk for c in cards.values()} == {c.pk for c in again.values()}
    codes = [c.code for c in cards.values()]
    assert len(set(codes)) == 4
    assert all(len(c) == 6 and set(c) <= set(services.CODE_ALPHABET) for c in codes)

"""The door page and the check-in endpoint the outbox posts to; the forum coordinator's meetings."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import CANARY_NIK, CANARY_PHONE, make_user
from sentra.accounts.models import Role
from sentra.programs import services
from sentra.programs.models import Attendance, Session
from tests.registry.factories import ForumFactory, OwnerFactory, SmeFactory

from .factories import ProgrammeFactory, SessionFactory
from .helpers import queries


@pytest.fixture
def door(officer, programme, cikarang_smes):
    enrolments = [
        services.enrol_sme(programme=programme, sme=sme, actor=officer) for sme in cikarang_smes[:2]
    ]
    session = SessionFactory(programme=programme, title="Sesi Kemasan")
    cards = services.ensure_cards(smes=[e.sme for e in enrolments], programme=programme)
    return {"session": session, "smes": [e.sme for e in enrolments], "cards": cards}


def check_in_url(session):
    return reverse("programs:session_check_in", args=[session.public_id])


def test_the_door_page_lists_who_is_expected_and_loads_the_outbox(en_client, officer, door):
    en_client.force_login(officer)
    html = en_client.get(
        reverse("programs:session_attendance", args=[door["session"].public_id])
    ).content.decode()
    assert door["smes"][0].name in html and door["smes"][1].name in html
    assert "sentra/outbox.js" in html and "data-outbox" in html and 'name="client_key"' in html


def test_the_outbox_gets_a_fragment_and_a_repeat_records_nothing(en_client, officer, door):
    en_client.force_login(officer)
    card = door["cards"][door["smes"][0].pk]
    data = {"code": card.display_code.lower(), "method": "code", "client_key": "key-1"}
    first = en_client.post(check_in_url(door["session"]), data, HTTP_X_OUTBOX="1")
    again = en_client.post(check_in_url(door["session"]), data, HTTP_X_OUTBOX="1")
    assert first.status_code == 200 and "is checked in" in first.content.decode()
    assert first.content.decode().startswith("<li")
    assert "nothing new was recorded" in again.content.decode()
    assert Attendance.objects.count() == 1


def test_a_queued_check_in_keeps_the_time_the_phone_took_it(en_client, officer, door):
    en_client.force_login(officer)
    taken = (timezone.now() - dt.timedelta(minutes=25)).replace(microsecond=0)
    en_client.post(
        check_in_url(door["session"]),
        {"sme": str(door["smes"][1].public_id), "method": "list", "client_key": "key-2"},
        HTTP_X_OUTBOX="1",
        HTTP_X_OUTBOX_AT=taken.isoformat().replace("+00:00", "Z"),
    )
    assert Attendance.objects.get().checked_in_at == taken


def test_a_card_of_another_session_is_refused_clearly(en_client, officer, door, cikarang_smes):
    other = ProgrammeFactory(title="Pelatihan Ekspor")
    services.enrol_sme(programme=other, sme=cikarang_smes[3], actor=officer)
    foreign = services.ensure_card(sme=cikarang_smes[3], programme=other)
    en_client.force_login(officer)
    response = en_client.post(
        check_in_url(door["session"]), {"code": foreign.code, "method": "qr"}, HTTP_X_OUTBOX="1"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Not checked in" in html and "Pelatihan Ekspor" in html
    assert not Attendance.objects.exists()


def test_without_javascript_a_check_in_redirects_back_with_a_message(en_client, officer, door):
    en_client.force_login(officer)
    response = en_client.post(
        check_in_url(door["session"]), {"sme": str(door["smes"][0].public_id)}, follow=True
    )
    assert "is checked in" in response.content.decode()


def test_an_officer_out_of_scope_cannot_take_attendance(en_client, tambun_officer, door, kecamatan):
    door["session"].programme.eligible_kecamatan.set([kecamatan["cikarang_utara"]])
    en_client.force_login(tambun_officer)
    url = reverse("programs:session_attendance", args=[door["session"].public_id])
    assert en_client.get(url).status_code == 404
    assert en_client.post(check_in_url(door["session"]), {"code": "X"}).status_code == 404


def test_an_owner_cannot_take_attendance_at_a_programme_session(client, sme_owner, door):
    client.force_login(sme_owner)
    assert (
        client.get(reverse("programs:session_attendance", args=[door["session"].public_id])).status_code
        == 404
    )


@pytest.fixture
def coordinated(kecamatan):
    forum = ForumFactory(kecamatan=kecamatan["cikarang_utara"])
    account = make_user("koordinator", Role.SME_OWNER)
    coordinator = SmeFactory(kecamatan=kecamatan["cikarang_utara"], forum=forum, accounts=[account])
    members = [coordinator] + [
        SmeFactory(kecamatan=kecamatan["cikarang_utara"], forum=forum) for _ in range(3)
    ]
    forum.coordinator = coordinator
    forum.save()
    return {"forum": forum, "account": account, "members": members}


def test_the_coordinator_records_a_meeting_and_takes_attendance_shown_on_the_forum_page(
    en_client, coordinated, officer
):
    forum, account = coordinated["forum"], coordinated["account"]
    en_client.force_login(account)
    response = en_client.post(
        reverse("my_programs:forum_home", args=[forum.pk]),
        {
            "kind": "meeting",
            "title": "Rapat bulanan Juni",
            "day": "2024-06-12",
            "start": "10:00",
            "venue": "Balai Desa",
        },
    )
    session = Session.objects.get(forum=forum)
    assert response.url == reverse("programs:session_attendance", args=[session.public_id])
    html = en_client.get(response.url).content.decode()
    assert all(m.name in html for m in coordinated["members"])
    en_client.post(
        check_in_url(session), {"sme": str(coordinated["members"][2].public_id)}, HTTP_X_OUTBOX="1"
    )
    assert session.attendances.count() == 1
    en_client.force_login(officer)
    forum_page = en_client.get(reverse("registry:forum_detail", args=[forum.pk])).content.decode()
    assert "Rapat bulanan Juni" in forum_page and "1 member came" in forum_page


def test_an_owner_who_does_not_coordinate_the_forum_cannot_record_for_it(client, coordinated, sme_owner):
    client.force_login(sme_owner)
    assert client.get(reverse("my_programs:forum_home", args=[coordinated["forum"].pk])).status_code == 404


def test_a_forum_meeting_without_a_venue_is_refused(en_client, coordinated):
    en_client.force_login(coordinated["account"])
    response = en_client.post(
        reverse("my_programs:forum_home", args=[coordinated["forum"].pk]),
        {"kind": "meeting", "title": "Rapat", "day": "2024-06-12", "start": "10:00"},
    )
    assert response.status_code == 400 and not Session.objects.exists()


def test_cards_show_the_business_and_owner_name_but_no_personal_data(
    en_client, officer, programme, kecamatan
):
    owner = OwnerFactory(
        nik=CANARY_NIK, phone=CANARY_PHONE, name="Sri Wahyuni", kecamatan=kecamatan["cikarang_utara"]
    )
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"], owner=owner, phone=CANARY_PHONE)
    services.enrol_sme(programme=programme, sme=sme, actor=officer)
    en_client.force_login(officer)
    html = en_client.get(reverse("programs:programme_cards", args=[programme.public_id])).content.decode()
    card = services.ensure_card(sme=sme, programme=programme)
    assert card.display_code in html and "<svg" in html and "Sri Wahyuni" in html
    assert CANARY_NIK not in html and CANARY_PHONE not in html


def test_the_door_page_needs_a_fixed_number_of_queries(client, officer, programme, kecamatan):

    programme.quota = 40
    programme.save()
    session = SessionFactory(programme=programme)
    url = reverse("programs:session_attendance", args=[session.public_id])

    client.force_login(officer)
    services.enrol_sme(
        programme=programme, sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]), actor=officer
    )
    few = queries(client, url)
    for _ in range(6):
        enrolment = services.enrol_sme(
            programme=programme, sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]), actor=officer
        )
        Attendance.objects.create(
            session=session, sme=enrolment.sme, method="list", checked_in_at=timezone.now()
        )
    assert queries(client, url) == few


def test_a_check_in_made_by_mistake_is_taken_back_with_a_reason(en_client, officer, door):
    attendance = Attendance.objects.create(
        session=door["session"], sme=door["smes"][0], method="list", checked_in_at=timezone.now()
    )
    en_client.force_login(officer)
    url = reverse("programs:attendance_undo", args=[attendance.pk])
    refused = en_client.post(url, {"reason": ""}, follow=True)
    assert "Give the reason" in refused.content.decode() and Attendance.objects.exists()
    en_client.post(url, {"reason": "Salah centang nama"})
    assert not Attendance.objects.exists()
    from sentra.core.models import AuditEntry

    assert AuditEntry.objects.get(verb="programs.attendance.undone").note == "Salah centang nama"


def test_another_kecamatan_officer_cannot_take_a_check_in_back(client, tambun_officer, door, kecamatan):
    door["session"].programme.eligible_kecamatan.set([kecamatan["cikarang_utara"]])
    attendance = Attendance.objects.create(
        session=door["session"], sme=door["smes"][0], method="list", checked_in_at=timezone.now()
    )
    client.force_login(tambun_officer)
    response = client.post(reverse("programs:attendance_undo", args=[attendance.pk]), {"reason": "x"})
    assert response.status_code == 404 and Attendance.objects.exists()

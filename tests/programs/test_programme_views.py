"""The officer's programme pages: list, form, detail, enrolment picker, selection, withdrawal."""

import pytest
from django.urls import reverse

from sentra.core.models import AuditEntry
from sentra.programs import services
from sentra.programs.models import Enrolment, Programme
from tests.registry.factories import SmeFactory

from .factories import ProgrammeFactory, SessionFactory
from .helpers import queries

LIST = reverse("programs:programme_list")
NEW = reverse("programs:programme_create")


def detail(programme):
    return reverse("programs:programme_detail", args=[programme.public_id])


def test_an_officer_creates_a_programme_for_one_kecamatan(en_client, officer):
    en_client.force_login(officer)
    response = en_client.post(
        NEW,
        {
            "title": "Fasilitasi Sertifikasi Halal Gratis",
            "kind": "certification",
            "certification": "halal",
            "quota": "30",
            "min_attendance": "75",
            "starts_on": "2024-05-06",
            "ends_on": "2024-06-28",
            "status": "open",
            "eligible_sectors": ["C", "I"],
            "eligible_scales": ["micro"],
            "eligible_kecamatan": ["32.16.09"],
        },
        follow=True,
    )
    programme = Programme.objects.get()
    assert response.redirect_chain[-1][0] == detail(programme)
    assert programme.eligible_sectors == ["C", "I"] and programme.eligible_scales == ["micro"]
    assert [k.code for k in programme.eligible_kecamatan.all()] == ["32.16.09"]
    html = response.content.decode()
    assert "Fasilitasi Sertifikasi Halal Gratis" in html and "Cikarang Utara" in html


def test_a_programme_form_with_bad_input_says_what_is_wrong_and_saves_nothing(en_client, officer):
    en_client.force_login(officer)
    response = en_client.post(
        NEW,
        {
            "title": "Pelatihan",
            "kind": "certification",
            "quota": "0",
            "min_attendance": "120",
            "starts_on": "2024-05-06",
            "ends_on": "2024-05-01",
            "status": "open",
            "eligible_kecamatan": ["32.16.06"],  # outside the officer's scope
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "at least one place" in html
    assert "at most 100%" in html
    assert "cannot end before it starts" in html
    assert "Say which certificate" in html
    assert "Select a valid choice" in html
    assert not Programme.objects.exists()


def test_a_scoped_officer_sees_regency_wide_programmes_and_those_of_their_kecamatan(
    en_client, officer, kecamatan
):
    everyone = ProgrammeFactory(title="Untuk semua")
    ours = ProgrammeFactory(title="Untuk Cikarang")
    ours.eligible_kecamatan.set([kecamatan["cikarang_utara"]])
    theirs = ProgrammeFactory(title="Untuk Tambun")
    theirs.eligible_kecamatan.set([kecamatan["tambun_selatan"]])
    en_client.force_login(officer)
    html = en_client.get(LIST).content.decode()
    assert "Untuk semua" in html and "Untuk Cikarang" in html and "Untuk Tambun" not in html
    assert en_client.get(detail(everyone)).status_code == 200
    assert en_client.get(detail(theirs)).status_code == 404
    assert en_client.get(reverse("programs:programme_enrol", args=[theirs.public_id])).status_code == 404


@pytest.mark.parametrize("role", ["sme_owner", "cashier", "partner", "buyer", "outsider"])
def test_programme_pages_are_closed_outside_the_dinas(client, personas, role):
    programme = ProgrammeFactory()
    client.force_login(personas[role])
    assert client.get(LIST).status_code == 403
    assert client.get(detail(programme)).status_code == 403


def test_the_picker_enrols_ticked_smes_and_sends_those_beyond_the_places_to_the_waiting_list(
    en_client, officer, kecamatan
):
    programme = ProgrammeFactory(quota=1)
    smes = [SmeFactory(kecamatan=kecamatan["cikarang_utara"]) for _ in range(2)]
    outside = SmeFactory(kecamatan=kecamatan["tambun_selatan"])
    en_client.force_login(officer)
    url = reverse("programs:programme_enrol", args=[programme.public_id])
    html = en_client.get(url).content.decode()
    assert smes[0].name in html and outside.name not in html  # the officer's scope
    response = en_client.post(
        url, {"sme": [str(s.public_id) for s in smes] + [str(outside.public_id)]}, follow=True
    )
    statuses = sorted(Enrolment.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "waitlisted"]  # the SME out of scope was ignored
    assert "is on the waiting list" in response.content.decode()


def test_the_detail_page_lists_participants_applicants_and_the_waiting_list(
    en_client, officer, sme_owner, programme, cikarang_smes
):
    services.enrol_sme(programme=programme, sme=cikarang_smes[0], actor=officer)
    services.enrol_sme(programme=programme, sme=cikarang_smes[1], actor=officer)
    services.enrol_sme(programme=programme, sme=cikarang_smes[2], actor=officer)
    services.apply_for_programme(
        programme=programme, sme=cikarang_smes[3], actor=sme_owner, motivation="Mau naik kelas"
    )
    SessionFactory(programme=programme, title="Sesi perdana")
    en_client.force_login(officer)
    html = en_client.get(detail(programme)).content.decode()
    for sme in cikarang_smes:
        assert sme.name in html
    assert "Mau naik kelas" in html and "Waiting list" in html and "Sesi perdana" in html


def test_selecting_applicants_fills_the_places_then_the_waiting_list(
    en_client, officer, sme_owner, programme, cikarang_smes
):
    applications = [
        services.apply_for_programme(programme=programme, sme=sme, actor=sme_owner)
        for sme in cikarang_smes[:3]
    ]
    en_client.force_login(officer)
    response = en_client.post(
        reverse("programs:programme_select", args=[programme.public_id]),
        {"enrolment": [str(a.pk) for a in applications]},
        follow=True,
    )
    assert "2 selected as participants, 1 on the waiting list" in response.content.decode()


def test_a_withdrawal_without_a_reason_is_refused_and_with_one_moves_the_list_up(
    en_client, officer, programme, cikarang_smes
):
    first, _second, third = (
        services.enrol_sme(programme=programme, sme=s, actor=officer) for s in cikarang_smes[:3]
    )
    en_client.force_login(officer)
    url = reverse("programs:enrolment_withdraw", args=[first.pk])
    response = en_client.post(url, {"reason": ""}, follow=True)
    assert "Give the reason" in response.content.decode()
    first.refresh_from_db()
    assert first.status == "accepted"
    response = en_client.post(url, {"reason": "Usaha tutup"}, follow=True)
    assert f"{third.sme.name} moved up from the waiting list" in response.content.decode()


def test_an_officer_adds_a_session_and_bad_times_are_refused(en_client, officer, programme):
    en_client.force_login(officer)
    url = reverse("programs:session_create", args=[programme.public_id])
    bad = en_client.post(url, {"title": "Sesi 1", "day": "2024-03-05", "start": "13:00", "end": "09:00"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "The end comes after the start" in html
    assert not programme.sessions.exists()
    en_client.post(
        url, {"title": "Sesi 1", "day": "2024-03-05", "start": "09:00", "end": "12:00", "venue": "Aula PLUT"}
    )
    session = programme.sessions.get()
    assert session.venue == "Aula PLUT" and session.starts_at.hour == 2  # 09:00 WIB is 02:00 UTC
    assert AuditEntry.objects.filter(verb="programs.session.created").exists()


def test_the_programme_list_needs_a_fixed_number_of_queries(client, regency_officer):
    client.force_login(regency_officer)
    ProgrammeFactory.create_batch(2)
    few = queries(client, LIST)
    ProgrammeFactory.create_batch(12)
    assert queries(client, LIST) == few


def test_the_detail_page_needs_a_fixed_number_of_queries(client, officer, programme, kecamatan):

    client.force_login(officer)
    programme.quota = 50
    programme.save()
    services.enrol_sme(
        programme=programme, sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]), actor=officer
    )
    SessionFactory(programme=programme)
    few = queries(client, detail(programme))
    for _ in range(5):
        services.enrol_sme(
            programme=programme, sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]), actor=officer
        )
    SessionFactory.create_batch(3, programme=programme)
    assert queries(client, detail(programme)) == few

"""The programme journey in Chromium: an officer creates a programme, enrols SMEs, checks one in by its
short code on a phone and another with the network cut (sent when it returns), and issues a
certificate that verifies publicly. Then axe on every page of the area, at desktop and phone width."""

import datetime as dt

import pytest
from django.utils import timezone

from sentra.programs import clinic, mentoring, outcomes, services
from sentra.programs.models import Attendance, AttendanceCard, CompletionCertificate, Programme, Topic
from tests.programs.factories import ClinicSlotFactory, MentorFactory, ProgrammeFactory, SessionFactory
from tests.registry.factories import ForumFactory, SmeFactory

from .conftest import serious_violations

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def test_an_officer_runs_a_programme_from_creation_to_a_certificate_verified_in_public(
    transactional_db, officer, kecamatan, sign_in, live_server, browser
):
    yuni = SmeFactory(name="Keripik Tempe Mbak Yuni", kecamatan=kecamatan["cikarang_utara"])
    darto = SmeFactory(name="Bengkel Las Pak Darto", kecamatan=kecamatan["cikarang_utara"])
    page = sign_in(officer.username, "en")
    violations = {}

    # Create the programme.
    page.goto(live_server.url + "/programs/new/")
    violations["programme form"] = serious_violations(page)
    today = timezone.localdate()
    page.get_by_label("Topic").fill("Pelatihan Pemasaran Digital Cikarang")
    page.get_by_label("Kind").select_option("training")
    page.get_by_label("Places").fill("10")
    page.get_by_label("Attendance needed for the certificate (%)").fill("50")
    page.get_by_label("Starts on").fill(today.isoformat())
    page.get_by_label("Ends on").fill((today + dt.timedelta(days=30)).isoformat())
    page.get_by_label("Status").select_option("open")
    page.locator("main form button[type=submit]").click()
    page.get_by_role("heading", name="Pelatihan Pemasaran Digital Cikarang").wait_for()
    programme = Programme.objects.get()

    # A session that began an hour ago.
    page.get_by_role("link", name="Add a session").click()
    started = timezone.localtime() - dt.timedelta(hours=1)
    page.get_by_label("Title").fill("Sesi 1: Foto produk")
    page.get_by_label("Date").fill(started.date().isoformat())
    page.get_by_label("Starts at").fill(started.strftime("%H:%M"))
    page.get_by_label("Venue").fill("Aula Kecamatan Cikarang Utara")
    page.locator("main form button[type=submit]").click()
    page.get_by_role("cell", name="Sesi 1: Foto produk", exact=True).wait_for()
    violations["programme page"] = serious_violations(page)

    # Enrol two SMEs from the registry.
    page.get_by_role("link", name="Enrol SMEs").click()
    violations["enrolment picker"] = serious_violations(page)
    page.get_by_label("Enrol Keripik Tempe Mbak Yuni").check()
    page.get_by_label("Enrol Bengkel Las Pak Darto").check()
    page.get_by_role("button", name="Enrol the ticked SMEs").click()
    page.get_by_text("Bengkel Las Pak Darto is enrolled.").wait_for()
    code = AttendanceCard.objects.get(programme=programme, sme=yuni).display_code

    # At the door, on a phone: Yuni by her short code.
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + f"/programs/{programme.public_id}/")
    page.get_by_role("link", name="Take attendance").click()
    page.get_by_label("Short code (under the QR)").wait_for()
    violations["attendance (phone)"] = serious_violations(page)
    page.get_by_label("Short code (under the QR)").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Check in", exact=True).click()
    page.locator("#checkin-log").get_by_text("Keripik Tempe Mbak Yuni is checked in").wait_for()

    # The network drops: Darto's check-in is kept on the phone and sent when it returns.
    page.context.set_offline(True)
    page.locator(f'[data-sme="{darto.public_id}"]').get_by_role("button", name="Mark present").click()
    page.locator("#checkin-log").get_by_text("kept on this phone").wait_for()
    page.locator("[data-outbox-status]").get_by_text(
        "Check-ins kept on this phone until the connection returns: 1"
    ).wait_for()
    assert not Attendance.objects.filter(sme=darto).exists()
    page.context.set_offline(False)
    page.locator("#checkin-log").get_by_text("Bengkel Las Pak Darto is checked in").wait_for(timeout=30_000)
    assert Attendance.objects.filter(sme=darto, session__programme=programme).count() == 1
    assert page.locator("[data-outbox-status]").is_hidden()
    # A second scan of Yuni's card records nothing new.
    page.get_by_label("Short code (under the QR)").fill(code)
    page.get_by_role("button", name="Check in", exact=True).click()
    page.locator("#checkin-log").get_by_text("nothing new was recorded").wait_for()
    assert Attendance.objects.filter(sme=yuni).count() == 1

    # Back at the desk: Yuni's certificate, verified by anyone from its QR's address.
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + f"/programs/{programme.public_id}/")
    page.get_by_role("link", name="Keripik Tempe Mbak Yuni").click()
    page.get_by_role("button", name="Issue the certificate").click()
    page.get_by_text("The completion certificate is issued.").wait_for()
    violations["participant page"] = serious_violations(page)
    certificate = CompletionCertificate.objects.get(enrolment__sme=yuni)
    visitor = browser.new_context()
    public = visitor.new_page()
    public.goto(live_server.url + f"/certificates/{certificate.public_id}/")
    public.get_by_text("Sertifikat ini asli.").wait_for()  # a visitor reads Indonesian, the default
    assert "Keripik Tempe Mbak Yuni" in public.content()
    violations["verification page"] = serious_violations(public)
    public.set_viewport_size(PHONE)
    violations["verification page (phone)"] = serious_violations(public)
    visitor.close()
    assert violations == {name: [] for name in violations}


@pytest.fixture
def area(officer, regency_officer, sme_owner, partner, kecamatan):
    """One of everything the area shows, for the accessibility walk."""
    cikarang = kecamatan["cikarang_utara"]
    forum = ForumFactory(kecamatan=cikarang, name="Forum UMKM Kecamatan Cikarang Utara")
    own = SmeFactory(name="Aneka Keripik Bu Dewi", kecamatan=cikarang, accounts=[sme_owner], forum=forum)
    forum.coordinator = own
    forum.save()
    others = [SmeFactory(kecamatan=cikarang, forum=forum) for _ in range(3)]
    week = dt.date(2024, 7, 1)
    cohort = ProgrammeFactory(cohort=True, starts_on=week, ends_on=dt.date(2024, 9, 29))
    training = ProgrammeFactory(title="Pelatihan Kemasan 2024")
    open_call = ProgrammeFactory(
        title="Pelatihan Foto Produk 2027", starts_on=dt.date(2027, 1, 18), ends_on=dt.date(2027, 2, 5)
    )
    mentor = MentorFactory(name="Hendra Gunawan", user=partner, consultant=True)
    member = services.enrol_sme(programme=cohort, sme=own, actor=officer)
    mentoring.assign_mentor(mentor=mentor, sme=own, programme=cohort, actor=officer)
    for n, turnover in enumerate([9_000_000, 8_000_000, 5_000_000]):
        mentoring.submit_kpi_report(
            enrolment=member,
            actor=sme_owner,
            week_start=week + dt.timedelta(weeks=n),
            turnover=turnover,
            orders=20,
        )
    participant = services.enrol_sme(programme=training, sme=others[0], actor=officer)
    session = SessionFactory(programme=training)
    services.ensure_cards(smes=[participant.sme], programme=training)
    services.enrol_sme(programme=training, sme=own, actor=officer)
    Attendance.objects.create(session=session, sme=participant.sme, method="qr", checked_in_at=timezone.now())
    outcomes.issue_certificate(enrolment=participant, actor=officer)
    services.apply_for_programme(programme=open_call, sme=others[1], actor=None)
    meeting = services.save_session(
        actor=sme_owner,
        forum=forum,
        data={"title": "Rapat anggota", "starts_at": timezone.now(), "venue": "Balai desa"},
    )
    visit = mentoring.assign_mentor(mentor=mentor, sme=others[2], actor=officer)
    booking = clinic.book_slot(
        slot=ClinicSlotFactory(consultant=mentor), sme=own, actor=sme_owner, topic=Topic.LEGALITY
    )
    clinic.record_consultation(
        booking=booking, actor=partner, status="done", advice="Urus NIB", outcome="NIB terbit"
    )
    ClinicSlotFactory(consultant=mentor, starts_at=timezone.now() + dt.timedelta(days=3))
    report = member.kpi_reports.first()
    return {
        "cohort": cohort,
        "training": training,
        "open_call": open_call,
        "member": member,
        "participant": participant,
        "session": session,
        "meeting": meeting,
        "mentor": mentor,
        "assignment": visit,
        "booking": booking,
        "forum": forum,
        "report": report,
    }


def _walk(page, live_server, urls: dict[str, str]) -> dict[str, list[str]]:
    found = {}
    for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        for name, url in urls.items():
            response = page.goto(live_server.url + url)
            assert response.status == 200, (name, url, response.status)
            found[f"{name} ({width})"] = serious_violations(page)
    return found


def test_every_officer_page_of_the_area_passes_axe(
    transactional_db, area, regency_officer, sign_in, live_server
):
    page = sign_in(regency_officer.username)
    training, cohort = area["training"], area["cohort"]
    urls = {
        "programmes": "/programs/",
        "new programme": "/programs/new/",
        "programme": f"/programs/{training.public_id}/",
        "edit programme": f"/programs/{training.public_id}/edit/",
        "enrol": f"/programs/{training.public_id}/enrol/",
        "open call": f"/programs/{area['open_call'].public_id}/",
        "new session": f"/programs/{training.public_id}/sessions/new/",
        "cards": f"/programs/{training.public_id}/cards/",
        "attendance": f"/programs/sessions/{area['session'].public_id}/attendance/",
        "forum meeting attendance": f"/programs/sessions/{area['meeting'].public_id}/attendance/",
        "participant": f"/programs/participants/{area['participant'].pk}/",
        "cohort": f"/programs/{cohort.public_id}/cohort/",
        "cohort member": f"/programs/participants/{area['member'].pk}/",
        "mentors": "/programs/mentors/",
        "new mentor": "/programs/mentors/new/",
        "mentor": f"/programs/mentors/{area['mentor'].pk}/?q=keripik",
        "assignment": f"/programs/mentoring/{area['assignment'].pk}/",
        "clinic": "/programs/clinic/",
        "booking": f"/programs/clinic/bookings/{area['booking'].pk}/",
        "reports": "/programs/reports/",
        "report SMEs": "/programs/reports/smes/?scale=micro",
        "report sales": f"/programs/reports/{training.public_id}/sales/participants/after/",
        "forum page": f"/registry/forums/{area['forum'].pk}/",
    }
    found = _walk(page, live_server, urls)
    assert found == {name: [] for name in found}


def test_every_owner_and_mentor_page_of_the_area_passes_axe(
    transactional_db, area, sme_owner, partner, sign_in, live_server, browser
):
    page = sign_in(sme_owner.username)
    owner_urls = {
        "my programmes": "/my/programs/",
        "apply": f"/my/programs/apply/{area['open_call'].public_id}/",
        "cohort enrolment with the weekly form": f"/my/programs/{area['member'].pk}/",
        "correct a week": f"/my/programs/kpi/{area['report'].pk}/",
        "clinic": "/my/programs/clinic/?topic=legality",
        "forum meetings": f"/my/programs/forum/{area['forum'].pk}/",
        "forum cards": f"/my/programs/forum/{area['forum'].pk}/cards/",
        "forum attendance": f"/programs/sessions/{area['meeting'].public_id}/attendance/",
    }
    found = _walk(page, live_server, owner_urls)
    mentor_page = browser.new_context().new_page()
    from conftest import PASSWORD

    mentor_page.goto(live_server.url + "/accounts/login/")
    mentor_page.locator("input[name=username]").fill(partner.username)
    mentor_page.locator("input[name=password]").fill(PASSWORD)
    mentor_page.locator("main button[type=submit]").click()
    mentor_page.wait_for_load_state()
    found.update(
        _walk(
            mentor_page,
            live_server,
            {
                "my mentoring": "/programs/mentoring/",
                "mentored SME": f"/programs/mentoring/{area['assignment'].pk}/",
                "consultation": f"/programs/clinic/bookings/{area['booking'].pk}/",
            },
        )
    )
    assert found == {name: [] for name in found}

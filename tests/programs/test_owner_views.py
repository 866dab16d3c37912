"""The owner's phone: open programmes, applying, the attendance card, weekly reports, the clinic."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from sentra.programs import mentoring, services
from sentra.programs.models import ClinicBooking, Enrolment, KpiReport, Topic
from tests.registry.factories import SmeFactory

from .factories import ClinicSlotFactory, ProgrammeFactory

HOME = reverse("my_programs:home")
WEEK = dt.date(2024, 3, 4)


@pytest.fixture
def own_sme(sme_owner, kecamatan):
    return SmeFactory(
        kecamatan=kecamatan["cikarang_utara"], accounts=[sme_owner], kbli_code="10794", kbli_category="C"
    )


def test_the_owner_sees_open_programmes_their_business_may_join(en_client, sme_owner, own_sme):
    fits = ProgrammeFactory(title="Pelatihan Pangan", eligible_sectors=["C"])
    ProgrammeFactory(title="Pelatihan Bengkel", eligible_sectors=["G"])
    ProgrammeFactory(title="Belum dibuka", status="planned")
    en_client.force_login(sme_owner)
    html = en_client.get(HOME).content.decode()
    assert "Pelatihan Pangan" in html and "Pelatihan Bengkel" not in html and "Belum dibuka" not in html
    response = en_client.post(
        reverse("my_programs:apply", args=[fits.public_id]),
        {"sme": str(own_sme.public_id), "motivation": "Ingin belajar"},
    )
    assert response.status_code == 302
    assert Enrolment.objects.get().status == "applied"


def test_an_owner_cannot_apply_with_someone_elses_business(en_client, sme_owner, own_sme, kecamatan):
    programme = ProgrammeFactory()
    stranger = SmeFactory(kecamatan=kecamatan["cikarang_utara"])
    en_client.force_login(sme_owner)
    response = en_client.post(
        reverse("my_programs:apply", args=[programme.public_id]), {"sme": str(stranger.public_id)}
    )
    assert response.status_code == 400 and not Enrolment.objects.exists()


def test_an_ineligible_application_is_refused_with_the_reason(en_client, sme_owner, own_sme):
    programme = ProgrammeFactory(eligible_sectors=["G"])
    en_client.force_login(sme_owner)
    response = en_client.post(
        reverse("my_programs:apply", args=[programme.public_id]), {"sme": str(own_sme.public_id)}
    )
    assert response.status_code == 400 and "KBLI categories G" in response.content.decode()


def test_a_participant_sees_their_attendance_card(en_client, sme_owner, own_sme, officer):
    programme = ProgrammeFactory()
    enrolment = services.enrol_sme(programme=programme, sme=own_sme, actor=officer)
    en_client.force_login(sme_owner)
    html = en_client.get(reverse("my_programs:enrolment", args=[enrolment.pk])).content.decode()
    card = services.ensure_card(sme=own_sme, programme=programme)
    assert card.display_code in html and "<svg" in html


def test_an_owner_cannot_open_another_businesss_enrolment(client, sme_owner, officer, kecamatan):
    enrolment = services.enrol_sme(
        programme=ProgrammeFactory(), sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]), actor=officer
    )
    client.force_login(sme_owner)
    assert client.get(reverse("my_programs:enrolment", args=[enrolment.pk])).status_code == 404


@pytest.fixture
def cohort_member(officer, own_sme):
    cohort = ProgrammeFactory(cohort=True, starts_on=WEEK, ends_on=dt.date(2024, 6, 30))
    return services.enrol_sme(programme=cohort, sme=own_sme, actor=officer)


def test_a_weekly_report_through_the_outbox_and_a_second_one_for_the_week_asks_for_a_correction(
    en_client, sme_owner, cohort_member
):
    en_client.force_login(sme_owner)
    url = reverse("my_programs:kpi_submit", args=[cohort_member.pk])
    data = {"week_start": WEEK.isoformat(), "turnover": "Rp 2.500.000", "orders": "31", "client_key": "k1"}
    first = en_client.post(url, data, HTTP_X_OUTBOX="1")
    assert first.status_code == 200 and "is sent" in first.content.decode()
    assert KpiReport.objects.get().turnover == 2_500_000
    again = en_client.post(url, {**data, "turnover": "3000000", "client_key": "k2"}, HTTP_X_OUTBOX="1")
    assert again.status_code == 409
    assert "Correct that report instead" in again.content.decode()
    assert KpiReport.objects.get().turnover == 2_500_000
    replay = en_client.post(url, data, HTTP_X_OUTBOX="1")  # the outbox sending the first again
    assert replay.status_code == 200 and KpiReport.objects.count() == 1


def test_bad_figures_in_a_weekly_report_are_refused(en_client, sme_owner, cohort_member):
    en_client.force_login(sme_owner)
    response = en_client.post(
        reverse("my_programs:kpi_submit", args=[cohort_member.pk]),
        {"week_start": "2023-01-02", "turnover": "banyak", "orders": "-1"},
        HTTP_X_OUTBOX="1",
    )
    assert response.status_code == 400 and not KpiReport.objects.exists()


def test_the_owner_corrects_a_week_and_adds_a_photo(en_client, sme_owner, cohort_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = mentoring.submit_kpi_report(
        enrolment=cohort_member, actor=sme_owner, week_start=WEEK, turnover=1, orders=1
    )
    en_client.force_login(sme_owner)
    en_client.post(
        reverse("my_programs:kpi_correct", args=[report.pk]), {"turnover": "2000000", "orders": "12"}
    )
    report.refresh_from_db()
    assert (report.turnover, report.orders) == (2_000_000, 12) and report.corrected_at
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, format="PNG")
    en_client.post(
        reverse("my_programs:kpi_photo", args=[report.pk]),
        {"photo": SimpleUploadedFile("foto.png", out.getvalue())},
    )
    report.refresh_from_db()
    assert report.photo
    photo = en_client.get(reverse("programs:kpi_photo", args=[report.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


def test_a_kpi_photo_is_not_for_other_owners(client, sme_owner, cohort_member, settings, tmp_path, kecamatan):
    from conftest import make_user
    from sentra.accounts.models import Role

    settings.MEDIA_ROOT = tmp_path
    report = mentoring.submit_kpi_report(
        enrolment=cohort_member, actor=sme_owner, week_start=WEEK, turnover=1, orders=1
    )
    client.force_login(make_user("lain", Role.SME_OWNER))
    assert client.get(reverse("programs:kpi_photo", args=[report.pk])).status_code == 404


def test_the_owner_books_a_clinic_slot_by_topic(en_client, sme_owner, own_sme):
    slot = ClinicSlotFactory()
    en_client.force_login(sme_owner)
    url = reverse("my_programs:clinic")
    assert slot.consultant.name in en_client.get(url, {"topic": Topic.LEGALITY}).content.decode()
    assert slot.consultant.name not in en_client.get(url, {"topic": Topic.EXPORT}).content.decode()
    response = en_client.post(
        url,
        {
            "topic": Topic.LEGALITY,
            "sme": str(own_sme.public_id),
            "slot": slot.pk,
            "question": "Cara urus NIB",
        },
    )
    assert response.status_code == 302
    booking = ClinicBooking.objects.get()
    assert booking.sme == own_sme and booking.question == "Cara urus NIB"


def test_a_slot_already_taken_cannot_be_booked(en_client, sme_owner, own_sme, kecamatan):
    slot = ClinicSlotFactory()
    ClinicBooking.objects.create(
        slot=slot, sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]), topic=Topic.LEGALITY
    )
    en_client.force_login(sme_owner)
    response = en_client.post(
        reverse("my_programs:clinic"),
        {"topic": Topic.LEGALITY, "sme": str(own_sme.public_id), "slot": slot.pk},
    )
    assert response.status_code == 400 and ClinicBooking.objects.count() == 1


@pytest.mark.parametrize("role", ["officer", "cashier", "partner", "buyer", "outsider"])
def test_owner_pages_are_for_owners(client, personas, role):
    client.force_login(personas[role])
    assert client.get(HOME).status_code == 403

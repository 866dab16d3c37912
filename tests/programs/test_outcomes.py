"""Outcomes: certificates obtained reach the registry, naik kelas from the scale history, and the
completion certificate whose QR verifies it publicly."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from conftest import CANARY_NIK, CANARY_PHONE
from sentra.core.models import AuditEntry
from sentra.programs import outcomes, services
from sentra.programs.models import Attendance, CompletionCertificate, Outcome
from sentra.registry.models import Permit, ScaleRecord
from tests.registry.factories import OwnerFactory, SmeFactory

from .factories import ProgrammeFactory, SessionFactory


@pytest.fixture
def participant(officer, kecamatan):
    owner = OwnerFactory(
        name="Sri Wahyuni", nik=CANARY_NIK, phone=CANARY_PHONE, kecamatan=kecamatan["cikarang_utara"]
    )
    sme = SmeFactory(
        name="Keripik Tempe Sri", kecamatan=kecamatan["cikarang_utara"], owner=owner, phone=CANARY_PHONE
    )
    programme = ProgrammeFactory(halal=True, min_attendance=75)
    return services.enrol_sme(programme=programme, sme=sme, actor=officer)


def qr_matrix(data: str) -> list[list[bool]]:
    from sentra.core import qr

    return [[bool(v) for v in row] for row in qr.make(data).matrix]


def qr_modules(image: Image.Image, scale: int = 8, border: int = 4) -> list[list[bool]]:
    """The dark and light modules read off a QR image as `sentra.core.qr.png` draws it."""
    image = image.convert("L")
    size = image.size[0] // scale - 2 * border
    return [
        [
            image.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2)) < 128
            for x in range(size)
        ]
        for y in range(size)
    ]


def attend(enrolment, sessions: int, of: int):
    for i in range(of):
        session = SessionFactory(
            programme=enrolment.programme, starts_at=timezone.now() - dt.timedelta(days=of - i)
        )
        if i < sessions:
            Attendance.objects.create(
                session=session, sme=enrolment.sme, method="list", checked_in_at=session.starts_at
            )


def test_a_halal_certificate_obtained_becomes_a_permit_on_the_registry_record(participant, officer):
    outcome = outcomes.record_certificate(
        enrolment=participant,
        actor=officer,
        certificate="halal",
        number="ID32160000123456",
        issued_on=dt.date(2024, 6, 1),
        expires_on=dt.date(2028, 6, 1),
    )
    permit = Permit.objects.get(sme=participant.sme)
    assert (permit.kind, permit.number, permit.expires_on) == (
        "halal",
        "ID32160000123456",
        dt.date(2028, 6, 1),
    )
    assert outcome.permit == permit
    entry = AuditEntry.objects.get(verb="registry.permit.recorded")
    assert entry.object_id == str(participant.sme.pk) and "Fasilitasi Sertifikasi Halal" in entry.note


def test_an_nib_obtained_is_written_to_the_sme_and_a_different_nib_is_refused(officer, kecamatan):
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"], nib=None)
    programme = ProgrammeFactory(kind="certification", certification="nib")
    enrolment = services.enrol_sme(programme=programme, sme=sme, actor=officer)
    outcomes.record_certificate(enrolment=enrolment, actor=officer, certificate="nib", number="9120000000001")
    sme.refresh_from_db()
    assert sme.nib == "9120000000001"
    other = SmeFactory(kecamatan=kecamatan["cikarang_utara"], nib="9120000000002")
    enrolment = services.enrol_sme(programme=programme, sme=other, actor=officer)
    with pytest.raises(outcomes.OutcomeError, match="already has NIB"):
        outcomes.record_certificate(
            enrolment=enrolment, actor=officer, certificate="nib", number="9120000000003"
        )
    assert not Outcome.objects.filter(enrolment=enrolment).exists()


def test_a_bad_certificate_number_is_refused_on_the_page_and_nothing_is_written(
    en_client, officer, participant
):
    en_client.force_login(officer)
    response = en_client.post(
        reverse("programs:outcome_certificate", args=[participant.pk]),
        {"certificate": "pirt", "number": "12345", "issued_on": "2024-06-01"},
    )
    assert response.status_code == 400
    assert not Permit.objects.exists() and not Outcome.objects.exists()


def test_naik_kelas_is_read_from_the_scale_history(participant):
    sme = participant.sme
    start = participant.programme.starts_on

    def record(scale, day):
        rec = ScaleRecord.objects.create(sme=sme, scale=scale, basis="turnover")
        ScaleRecord.objects.filter(pk=rec.pk).update(
            recorded_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
        )

    record("micro", start - dt.timedelta(days=400))
    assert outcomes.scale_moves([participant]) == {}
    record("small", start + dt.timedelta(days=200))
    assert outcomes.scale_moves([participant]) == {participant.pk: ("micro", "small")}


def test_a_certificate_needs_the_attendance_the_programme_asks_for(participant, officer):
    attend(participant, sessions=2, of=4)
    with pytest.raises(
        outcomes.OutcomeError, match="attended 2 of 4 sessions \\(50%\\); the programme asks for 75%"
    ):
        outcomes.issue_certificate(enrolment=participant, actor=officer)
    assert not CompletionCertificate.objects.exists()


def test_an_issued_certificate_pdf_reads_back_and_its_qr_verifies_it_publicly(
    en_client, client, officer, participant
):
    attend(participant, sessions=3, of=4)
    en_client.force_login(officer)
    en_client.post(reverse("programs:certificate_issue", args=[participant.pk]))
    certificate = CompletionCertificate.objects.get()
    response = en_client.get(reverse("programs:certificate_pdf", args=[participant.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert "Keripik Tempe Sri" in text and "Sri Wahyuni" in text and certificate.number in text
    verify_url = reverse("certificates:verify", args=[certificate.public_id])
    assert verify_url in text.replace("\n", "")
    assert qr_modules(reader.pages[0].images[0].image) == qr_matrix("http://testserver" + verify_url)
    assert CANARY_NIK not in text and CANARY_PHONE not in text
    page = client.get(verify_url)  # anyone, signed out
    html = page.content.decode()
    assert page.status_code == 200 and "Keripik Tempe Sri" in html and certificate.number in html
    assert CANARY_NIK not in html and CANARY_PHONE not in html and CANARY_NIK[-4:] not in html


def test_a_revoked_certificate_says_so_publicly_and_no_longer_downloads(
    en_client, client, officer, participant
):
    attend(participant, sessions=1, of=1)
    certificate = outcomes.issue_certificate(enrolment=participant, actor=officer)
    en_client.force_login(officer)
    en_client.post(
        reverse("programs:certificate_revoke", args=[participant.pk]), {"reason": "Data peserta keliru"}
    )
    assert (
        "revoked"
        in client.get(reverse("certificates:verify", args=[certificate.public_id])).content.decode().lower()
    )
    assert en_client.get(reverse("programs:certificate_pdf", args=[participant.pk])).status_code == 404


def test_an_unknown_certificate_id_answers_404(client, db):
    assert (
        client.get(reverse("certificates:verify", args=["7d4c2a1e-0000-4000-8000-000000000000"])).status_code
        == 404
    )


def test_the_owner_downloads_their_own_certificate_only(client, sme_owner, officer, participant, kecamatan):
    attend(participant, sessions=1, of=1)
    outcomes.issue_certificate(enrolment=participant, actor=officer)
    client.force_login(sme_owner)
    assert client.get(reverse("programs:certificate_pdf", args=[participant.pk])).status_code == 404
    participant.sme.accounts.add(sme_owner)
    assert client.get(reverse("programs:certificate_pdf", args=[participant.pk])).status_code == 200


def test_a_product_improvement_is_recorded(en_client, officer, participant):
    en_client.force_login(officer)
    en_client.post(
        reverse("programs:outcome_product", args=[participant.pk]),
        {"description": "Kemasan standing pouch berlabel"},
    )
    assert Outcome.objects.get().description == "Kemasan standing pouch berlabel"


def test_the_participant_page_works_for_a_cohort_member(en_client, officer, kecamatan):
    cohort = ProgrammeFactory(cohort=True)
    enrolment = services.enrol_sme(
        programme=cohort, sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]), actor=officer
    )
    en_client.force_login(officer)
    html = en_client.get(reverse("programs:participant_detail", args=[enrolment.pk])).content.decode()
    assert "Weekly reports" in html

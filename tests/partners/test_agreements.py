"""MoUs and cooperation agreements: register with the signed PDF, validate, list, end; their activities."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from sentra.core.models import AuditEntry
from sentra.partners.models import Activity, Agreement, Evidence, Partner
from tests.registry.factories import SmeFactory

from .factories import AgreementFactory, PartnerFactory
from .helpers import pdf_upload, png_upload


def today():
    # Asked each time, not at import: a long suite can cross midnight between the two.
    return timezone.localdate()


CREATE = reverse("partners:agreement_create")


def form_data(partners, **overrides):
    data = {
        "number": "500.3/118/Diskopukm/2025",
        "title": "Asistensi dan promosi ekspor",
        "kind": "mou",
        "partners": [p.pk for p in partners],
        "scope": "Klinik ekspor dan kurasi produk.",
        "starts_on": "2025-02-03",
        "ends_on": "2027-02-02",
        "signed_on": "2025-02-03",
        "status": "signed",
        "remind_days": "90",
    }
    data.update(overrides)
    return data


@pytest.fixture
def customs(db):
    return PartnerFactory(name="KPPBC TMP Cikarang", kind=Partner.Kind.CUSTOMS)


def test_an_officer_registers_a_signed_mou_with_its_pdf_and_reads_it_back(en_client, officer, customs):
    en_client.force_login(officer)
    response = en_client.post(
        CREATE, {**form_data([customs], officer=officer.pk), "upload": pdf_upload(pages=3)}
    )

    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "partners:agreement_detail", args=[agreement.public_id]
    )
    assert list(agreement.partners.all()) == [customs]
    assert (agreement.starts_on, agreement.ends_on) == (dt.date(2025, 2, 3), dt.date(2027, 2, 2))
    entry = AuditEntry.objects.get(verb="partners.agreement.created")
    assert entry.changes["partners"] == [None, ["KPPBC TMP Cikarang"]]

    download = en_client.get(reverse("partners:agreement_file", args=[agreement.public_id]))
    assert download["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages) == 3

    detail = en_client.get(response.url).content.decode()
    assert "KPPBC TMP Cikarang" in detail and "Open the signed PDF" in detail


def test_an_mou_ending_before_it_starts_is_refused_and_nothing_is_saved(en_client, officer, customs):
    en_client.force_login(officer)
    response = en_client.post(CREATE, form_data([customs], starts_on="2025-02-03", ends_on="2025-01-31"))
    assert response.status_code == 400
    assert "The end date cannot be before the start date." in response.content.decode()
    assert not Agreement.objects.exists()


def test_the_refusal_reads_in_indonesian_by_default(client, officer, customs):
    client.force_login(officer)
    response = client.post(CREATE, form_data([customs], ends_on="2024-01-01"))
    assert "Tanggal berakhir tidak boleh sebelum tanggal mulai." in response.content.decode()


def test_the_service_refuses_an_end_before_the_start_too(officer, customs):
    from django.core.exceptions import ValidationError

    from sentra.partners.services import create_agreement

    with pytest.raises(ValidationError):
        create_agreement(
            actor=officer,
            data={
                "number": "X",
                "title": "X",
                "scope": "X",
                "starts_on": today(),
                "ends_on": today() - dt.timedelta(days=1),
            },
            partners=[customs],
        )
    assert not Agreement.objects.exists()


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("mou.pdf", b"Hello, not a PDF", content_type="application/pdf"),
            "This is not a PDF file.",
        ),
        (
            SimpleUploadedFile("mou.pdf", b"%PDF-1.7\n garbage \n%%EOF", content_type="application/pdf"),
            "damaged",
        ),
        (pdf_upload(password="rahasia"), "protected by a password"),
    ],
    ids=["not a pdf", "damaged", "encrypted"],
)
def test_a_signed_copy_that_is_not_a_readable_pdf_is_refused(
    en_client, officer, customs, upload, message, media
):
    en_client.force_login(officer)
    response = en_client.post(CREATE, {**form_data([customs]), "upload": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Agreement.objects.exists()
    assert not (media / "partners").exists()


def test_a_signed_agreement_needs_its_signing_date_and_a_party(en_client, officer, customs):
    en_client.force_login(officer)
    response = en_client.post(CREATE, form_data([], signed_on=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Give the date it was signed." in html and "This field is required." in html


def test_an_agreement_number_is_registered_once(en_client, officer, customs):
    AgreementFactory(number="500.3/118/Diskopukm/2025")
    en_client.force_login(officer)
    response = en_client.post(CREATE, form_data([customs]))
    assert response.status_code == 400
    assert "An agreement with this number is already registered." in response.content.decode()


@pytest.mark.parametrize("role", ["sme_owner", "cashier", "buyer", "outsider"])
def test_agreement_pages_are_closed_outside_the_dinas_and_its_partners(client, personas, role):
    agreement = AgreementFactory()
    client.force_login(personas[role])
    assert client.get(reverse("partners:agreement_list")).status_code == 403
    assert client.get(reverse("partners:agreement_detail", args=[agreement.public_id])).status_code == 403


def test_a_partner_user_reads_their_own_agreements_only(client, partner, bank):
    own = AgreementFactory(partners=[bank], signed_file="")
    other = AgreementFactory()
    client.force_login(partner)
    assert client.get(reverse("partners:agreement_detail", args=[own.public_id])).status_code == 200
    assert client.get(reverse("partners:agreement_detail", args=[other.public_id])).status_code == 404
    assert client.get(reverse("partners:agreement_file", args=[other.public_id])).status_code == 404
    assert client.get(reverse("partners:agreement_list")).status_code == 403
    assert client.get(reverse("partners:agreement_edit", args=[own.public_id])).status_code == 403


def test_the_list_filters_by_what_is_about_to_expire(en_client, officer):
    AgreementFactory(number="SOON", ends_on=today() + dt.timedelta(days=30))
    AgreementFactory(number="LATER", ends_on=today() + dt.timedelta(days=400))
    AgreementFactory(
        number="GONE", starts_on=today() - dt.timedelta(days=900), ends_on=today() - dt.timedelta(days=3)
    )
    en_client.force_login(officer)

    def numbers(state):
        html = en_client.get(reverse("partners:agreement_list"), {"state": state}).content.decode()
        shown = [n for n in ("SOON", "LATER", "GONE") if f">{n}</a>" in html]
        return sorted(shown, key=lambda n: html.index(f">{n}</a>"))

    assert numbers("expiring") == ["SOON"]
    assert numbers("running") == ["LATER"]
    assert numbers("expired") == ["GONE"]
    assert numbers("") == ["GONE", "SOON", "LATER"]


@pytest.mark.parametrize("rows", [2, 12])
def test_the_agreement_list_costs_the_same_queries_however_many_rows(
    client, officer, rows, django_assert_max_num_queries
):
    for n in range(rows):
        AgreementFactory(number=f"MOU-{n}", partners=[PartnerFactory(), PartnerFactory()])
    client.force_login(officer)
    # session, user, scope; the agreements with their activity counts; their partners
    with django_assert_max_num_queries(6):
        assert client.get(reverse("partners:agreement_list")).status_code == 200


def test_ending_an_agreement_asks_for_the_reason(en_client, officer):
    agreement = AgreementFactory()
    en_client.force_login(officer)
    url = reverse("partners:agreement_end", args=[agreement.public_id])
    assert en_client.post(url, {"note": "  "}).status_code == 400
    assert en_client.post(url, {"note": "Tidak diperpanjang"}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ENDED and agreement.end_note == "Tidak diperpanjang"


# --- activities --------------------------------------------------------------------------------


def test_an_activity_is_recorded_with_its_smes_and_evidence(en_client, officer, kecamatan):
    agreement = AgreementFactory()
    sme = SmeFactory(name="Keripik Tempe Mbak Yuni", kecamatan=kecamatan["cikarang_utara"])
    en_client.force_login(officer)
    response = en_client.post(
        reverse("partners:agreement_activity_create", args=[agreement.public_id]),
        {"title": "Klinik ekspor", "starts_on": today().isoformat(), "place": "PLUT"},
    )
    activity = Activity.objects.get()
    assert response.url == reverse("partners:activity_detail", args=[activity.public_id])

    found = en_client.get(response.url, {"q": "keripik"}).content.decode()
    assert "Keripik Tempe Mbak Yuni" in found
    en_client.post(reverse("partners:activity_smes", args=[activity.public_id]), {"sme": [sme.public_id]})
    assert list(activity.smes.all()) == [sme]

    url = reverse("partners:activity_evidence", args=[activity.public_id])
    en_client.post(url, {"file": png_upload(), "caption": "Foto klinik"})
    en_client.post(url, {"file": pdf_upload("daftar-hadir.pdf")})
    assert sorted(Evidence.objects.values_list("kind", flat=True)) == ["pdf", "photo"]
    photo = Evidence.objects.get(kind="photo")
    assert en_client.get(reverse("partners:evidence_file", args=[photo.pk])).status_code == 200

    detail = en_client.get(reverse("partners:agreement_detail", args=[agreement.public_id])).content.decode()
    assert "Klinik ekspor" in detail


def test_an_activity_outside_the_agreement_period_is_refused(en_client, officer):
    agreement = AgreementFactory(starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31))
    en_client.force_login(officer)
    response = en_client.post(
        reverse("partners:agreement_activity_create", args=[agreement.public_id]),
        {"title": "Klinik ekspor", "starts_on": "2026-01-05"},
    )
    assert response.status_code == 400
    assert "The activity must fall within the period" in response.content.decode()
    assert not Activity.objects.exists()


def test_evidence_that_is_neither_a_photo_nor_a_pdf_is_refused(en_client, officer):
    agreement = AgreementFactory()
    activity = Activity.objects.create(agreement=agreement, title="Klinik", starts_on=agreement.starts_on)
    en_client.force_login(officer)
    response = en_client.post(
        reverse("partners:activity_evidence", args=[activity.public_id]),
        {"file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="image/png")},
    )
    assert response.status_code == 400
    assert "Upload a photo (JPEG, PNG or WebP) or a PDF document." in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_officer_adds_only_smes_of_their_own_kecamatan(en_client, officer, kecamatan):
    agreement = AgreementFactory()
    activity = Activity.objects.create(agreement=agreement, title="Klinik", starts_on=agreement.starts_on)
    outside = SmeFactory(name="Dodol Tambun", kecamatan=kecamatan["tambun_selatan"])
    en_client.force_login(officer)
    assert (
        "Dodol Tambun"
        not in en_client.get(
            reverse("partners:activity_detail", args=[activity.public_id]), {"q": "dodol"}
        ).content.decode()
    )
    en_client.post(reverse("partners:activity_smes", args=[activity.public_id]), {"sme": [outside.public_id]})
    assert not activity.smes.exists()

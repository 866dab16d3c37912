"""Realisation reports: a partner user submits with evidence, an officer reviews; scope and bad input."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from sentra.core.models import AuditEntry
from sentra.partners.models import Partner
from sentra.perda import services
from sentra.perda.compliance import Outcome
from sentra.perda.models import Basis, Realisation, ReportEvidence
from tests.partners.factories import consent_to
from tests.partners.helpers import pdf_upload, png_upload
from tests.registry.factories import CooperativeFactory, SmeFactory

from .factories import ObligationFactory, submit

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def obligation(mall):
    return ObligationFactory(partner=mall)


def _post_report(client, obligation, **fields):
    data = {"period": "2026-01-01", "total": "1200", "allocated": "360", "description": "Atrium lantai 1"}
    data.update(fields)
    data.setdefault("evidence", png_upload("denah.png"))
    return client.post(reverse("perda:report_create", args=[obligation.public_id]), data)


def test_a_partner_user_submits_a_report_with_evidence(en_client, partner, obligation):
    en_client.force_login(partner)
    response = _post_report(en_client, obligation)
    report = Realisation.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/perda/reports/{report.public_id}/"
    )
    assert (report.total_m2, report.allocated_m2, report.total_idr) == (Decimal(1200), Decimal(360), None)
    assert (report.period_start, report.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert report.status == Realisation.ReviewStatus.SUBMITTED and report.submitted_by == partner
    assert report.evidence.get().kind == "photo"
    assert AuditEntry.objects.filter(verb="perda.report.submitted", object_id=str(report.pk)).exists()
    page = en_client.get(response["Location"]).content.decode()
    assert "Submitted, being reviewed" in page and "30.0%" in page


def test_an_officer_submits_on_the_partners_behalf_in_indonesian_decimals(
    client, regency_officer, obligation
):
    client.force_login(regency_officer)
    _post_report(client, obligation, total="1200,5", allocated="360,25")
    report = Realisation.objects.get()
    assert (report.total_m2, report.allocated_m2, report.submitted_by) == (
        Decimal("1200.50"),
        Decimal("360.25"),
        regency_officer,
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"allocated": "1300"}, "cannot be more than the total"),
        ({"allocated": "-5"}, "cannot be negative"),
        ({"total": "0", "allocated": "0"}, "must be more than zero"),
        ({"total": "1200.125"}, "2 decimal places"),
        ({"total": "banyak"}, "Enter a number"),
        ({"period": "2026-02-01"}, "Select a valid choice"),
        ({"period": "2027-01-01"}, "Select a valid choice"),
        ({"evidence": SimpleUploadedFile("bukti.png", b"not really a picture")}, "Upload a photo"),
        ({"evidence": SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 broken")}, "damaged"),
        ({"evidence": ""}, "This field is required"),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_nothing_is_written(
    en_client, partner, obligation, fields, message
):
    en_client.force_login(partner)
    response = _post_report(en_client, obligation, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Realisation.objects.exists() and not ReportEvidence.objects.exists()


def test_rupiah_obligations_take_whole_rupiah(en_client, partner, mall):
    obligation = ObligationFactory(partner=mall, basis=Basis.PROCUREMENT)
    en_client.force_login(partner)
    _post_report(
        en_client, obligation, total="Rp 1.500.000.000", allocated="450.000.000", evidence=pdf_upload()
    )
    report = Realisation.objects.get()
    assert (report.total_idr, report.allocated_idr, report.total_m2) == (1_500_000_000, 450_000_000, None)
    assert report.evidence.get().kind == "pdf"


def test_a_second_report_for_the_same_period_is_refused(partner, obligation):
    submit(obligation, partner, dt.date(2026, 1, 1), 1000, 300)
    with pytest.raises(ValidationError, match="already submitted"):
        submit(obligation, partner, dt.date(2026, 1, 1), 1000, 300)
    assert Realisation.objects.count() == 1 and ReportEvidence.objects.count() == 1


def test_a_period_before_the_start_or_not_yet_begun_is_refused(partner, obligation):
    for start in (dt.date(2024, 10, 1), dt.date(2026, 7, 1)):
        with pytest.raises(ValidationError, match="no reporting period"):
            submit(obligation, partner, start, 1000, 300)


def test_the_service_refuses_fractions_of_rupiah(partner, mall):
    obligation = ObligationFactory(partner=mall, basis=Basis.BUDGET)
    with pytest.raises(ValidationError, match="whole numbers"):
        submit(obligation, partner, dt.date(2026, 1, 1), "1000.5", 300)


# --- review ------------------------------------------------------------------------------------


def test_an_officer_accepts_and_the_outcome_is_fixed_with_the_percentage_then_in_force(
    client, regency_officer, partner, obligation
):
    report = submit(obligation, partner, dt.date(2026, 1, 1), 1000, 250)
    client.force_login(regency_officer)
    response = client.post(reverse("perda:report_review", args=[report.public_id]), {"decision": "accept"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.outcome, report.percentage) == ("accepted", Outcome.PARTLY, Decimal(30))
    # A later revision of the Perda does not rewrite a period already decided.
    services.update_obligation(obligation=obligation, actor=regency_officer, data={"percentage": Decimal(20)})
    report.refresh_from_db()
    assert report.outcome == Outcome.PARTLY
    # And an accepted report is closed to changes.
    with translation.override("en"), pytest.raises(ValidationError, match="accepted"):
        services.update_report(report=report, actor=partner, total=1000, allocated=300)
    assert client.get(reverse("perda:report_edit", args=[report.public_id])).status_code == 404


def test_returning_needs_a_note_and_the_corrected_report_goes_back_for_review(
    en_client, client, regency_officer, partner, obligation
):
    report = submit(obligation, partner, dt.date(2026, 1, 1), 1000, 300)
    en_client.force_login(regency_officer)
    url = reverse("perda:report_review", args=[report.public_id])
    response = en_client.post(url, {"decision": "return", "note": "  "})
    assert response.status_code == 400 and "Say what needs correcting" in response.content.decode()
    assert en_client.post(url, {"decision": "return", "note": "Denah belum dilampirkan"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "returned" and report.review_note == "Denah belum dilampirkan"

    client.force_login(partner)
    response = client.post(
        reverse("perda:report_edit", args=[report.public_id]), {"total": "1000", "allocated": "320"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.allocated_m2) == ("submitted", Decimal(320))
    assert AuditEntry.objects.filter(verb="perda.report.resubmitted", object_id=str(report.pk)).exists()


def test_a_partner_user_cannot_review(client, partner, obligation):
    report = submit(obligation, partner, dt.date(2026, 1, 1), 1000, 300)
    client.force_login(partner)
    assert (
        client.post(
            reverse("perda:report_review", args=[report.public_id]), {"decision": "accept"}
        ).status_code
        == 403
    )
    report.refresh_from_db()
    assert report.status == "submitted"


def test_a_report_can_be_reviewed_only_once(regency_officer, partner, obligation):
    report = submit(obligation, partner, dt.date(2026, 1, 1), 1000, 300)
    services.review_report(report=report, actor=regency_officer, accept=True)
    with pytest.raises(ValidationError, match="Only a submitted report"):
        services.review_report(report=report, actor=regency_officer, accept=False, note="x")


# --- evidence and beneficiaries ----------------------------------------------------------------


def test_more_evidence_is_validated_before_it_is_kept(en_client, partner, obligation):
    report = submit(obligation, partner, dt.date(2026, 1, 1), 1000, 300)
    en_client.force_login(partner)
    url = reverse("perda:report_evidence", args=[report.public_id])
    bad = en_client.post(
        url, {"file": SimpleUploadedFile("daftar.pdf", b"hello"), "caption": "Daftar tenant"}
    )
    assert bad.status_code == 400 and "Upload a photo (JPEG, PNG or WebP) or a PDF" in bad.content.decode()
    assert report.evidence.count() == 1
    good = en_client.post(url, {"file": pdf_upload("daftar.pdf"), "caption": "Daftar tenant"})
    assert good.status_code == 302 and report.evidence.count() == 2
    evidence = report.evidence.get(caption="Daftar tenant")
    assert (
        en_client.get(reverse("perda:evidence_file", args=[evidence.pk]))["Content-Type"] == "application/pdf"
    )


def test_a_partner_user_names_verified_smes_by_business_name_only(en_client, partner, obligation, kecamatan):
    report = submit(obligation, partner, dt.date(2026, 1, 1), 1000, 300)
    verified = SmeFactory(
        name="Batik Sekar Jagad", kecamatan=kecamatan["cikarang_utara"], nib="9120301234567"
    )
    consent_to(verified, Partner.Kind.RETAIL)
    SmeFactory(name="Batik Belum Verifikasi", submitted=True)
    SmeFactory(name="Batik Tanpa Persetujuan")
    coop = CooperativeFactory(name="Koperasi Batik Bekasi")
    en_client.force_login(partner)
    url = reverse("perda:report_detail", args=[report.public_id])
    page = en_client.get(url, {"q": "batik"}, headers={"HX-Request": "true", "HX-Target": "pick-results"})
    body = page.content.decode()
    assert "Batik Sekar Jagad" in body and "Koperasi Batik Bekasi" in body
    assert "Belum Verifikasi" not in body and "Tanpa Persetujuan" not in body
    # An SME that gave no consent is named by its NIB, which the tenant hands over.
    silent = SmeFactory(name="Keripik Tanpa Persetujuan", nib="9120301234999")
    by_nib = en_client.get(
        url, {"q": silent.nib}, headers={"HX-Request": "true", "HX-Target": "pick-results"}
    )
    assert "Keripik Tanpa Persetujuan" in by_nib.content.decode()
    # Not by the owner's name: a partner does not look people up.
    owner_search = en_client.get(
        url, {"q": verified.owner.name}, headers={"HX-Request": "true", "HX-Target": "pick-results"}
    )
    assert "Batik Sekar Jagad" not in owner_search.content.decode()
    en_client.post(
        reverse("perda:report_beneficiaries", args=[report.public_id]),
        {"sme": [str(verified.public_id)], "cooperative": [str(coop.public_id)], "action": "add"},
    )
    assert list(report.smes.all()) == [verified] and list(report.cooperatives.all()) == [coop]
    en_client.post(
        reverse("perda:report_beneficiaries", args=[report.public_id]),
        {"sme": [str(verified.public_id)], "action": "remove"},
    )
    assert not report.smes.exists()


# --- scope -------------------------------------------------------------------------------------


def test_another_organisations_records_answer_404(client, partner, other_mall, regency_officer):
    theirs = ObligationFactory(partner=other_mall)
    report = submit(theirs, regency_officer, dt.date(2026, 1, 1), 1000, 300)
    evidence = report.evidence.get()
    client.force_login(partner)
    for url in (
        reverse("perda:obligation_detail", args=[theirs.public_id]),
        reverse("perda:report_create", args=[theirs.public_id]),
        reverse("perda:report_detail", args=[report.public_id]),
        reverse("perda:report_edit", args=[report.public_id]),
        reverse("perda:evidence_file", args=[evidence.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("perda:report_evidence", args=[report.public_id]), {}).status_code == 404
    assert "Aeon Mall Deltamas" not in client.get(reverse("perda:obligation_list")).content.decode()


def test_officers_see_every_obligation_and_others_are_turned_away(
    client, regency_officer, officer, sme_owner, buyer, obligation, other_mall
):
    ObligationFactory(partner=other_mall)
    for user in (regency_officer, officer):
        client.force_login(user)
        body = client.get(reverse("perda:obligation_list")).content.decode()
        assert "Living Plaza Jababeka" in body and "Aeon Mall Deltamas" in body
    for user in (sme_owner, buyer):
        client.force_login(user)
        assert client.get(reverse("perda:obligation_list")).status_code == 403
        assert client.get(reverse("perda:obligation_detail", args=[obligation.public_id])).status_code == 403


def test_partner_users_cannot_open_officer_pages(client, partner, obligation):
    client.force_login(partner)
    for name in ("perda:obligation_create", "perda:report_list", "perda:compliance", "perda:compliance_xlsx"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("perda:obligation_edit", args=[obligation.public_id])).status_code == 403


# --- obligations -------------------------------------------------------------------------------


def test_an_officer_registers_an_obligation_as_data(en_client, regency_officer, mall):
    en_client.force_login(regency_officer)
    response = en_client.post(
        reverse("perda:obligation_create"),
        {
            "partner": mall.pk,
            "category": "shopping_centre",
            "legal_basis": "Perda Kab. Bekasi No. 3 Tahun 2023",
            "article": "Pasal 21: 30% ruang usaha untuk UMKM dan koperasi",
            "percentage": "30",
            "basis": "space_m2",
            "period": "semester",
            "starts_on": "2025-01-01",
            "grace_days": "45",
        },
    )
    assert response.status_code == 302
    obligation = mall.perda_obligations.get()
    assert (obligation.percentage, obligation.period, obligation.grace_days) == (Decimal(30), "semester", 45)
    assert AuditEntry.objects.filter(verb="perda.obligation.created").exists()


@pytest.mark.parametrize(
    ("percentage", "message"), [("0", "greater than or equal to 0.01"), ("120", "less than or equal to 100")]
)
def test_a_percentage_out_of_range_is_refused(en_client, regency_officer, mall, percentage, message):
    en_client.force_login(regency_officer)
    response = en_client.post(
        reverse("perda:obligation_create"),
        {"partner": mall.pk, "category": "shopping_centre", "legal_basis": "Perda", "percentage": percentage,
         "basis": "space_m2", "period": "yearly", "starts_on": "2025-01-01", "grace_days": "30"},
    )  # fmt: skip
    assert response.status_code == 400 and message in response.content.decode()
    assert not mall.perda_obligations.exists()


def test_the_basis_cannot_change_under_existing_reports(regency_officer, partner, obligation):
    submit(obligation, partner, dt.date(2026, 1, 1), 1000, 300)
    with pytest.raises(ValidationError, match="already made on this basis"):
        services.update_obligation(obligation=obligation, actor=regency_officer, data={"basis": Basis.BUDGET})
    obligation.refresh_from_db()
    assert obligation.basis == Basis.SPACE


def test_the_partner_home_page_leads_to_the_reports_when_there_is_an_obligation(en_client, partner, mall):
    en_client.force_login(partner)
    assert "Perda 30% realisation" not in en_client.get("/").content.decode()
    ObligationFactory(partner=mall)
    assert "Perda 30% realisation" in en_client.get("/").content.decode()

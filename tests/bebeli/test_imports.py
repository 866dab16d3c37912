"""Purchases kept in an earlier application, imported through the shared import engine (kind "bebeli")."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sentra.bebeli.imports import match_headers
from sentra.bebeli.models import Purchase, PurchaseLine
from sentra.core.models import AuditEntry
from sentra.imports import services
from sentra.imports.models import ImportJob
from tests.imports.conftest import english, write_csv, write_xlsx  # noqa: F401 - english is autouse
from tests.registry.factories import SmeFactory

from .factories import OrganisationFactory, paid_purchase

HEADERS = [
    "No",
    "Nama OPD",
    "NIB",
    "Nama Penyedia",
    "Kecamatan",
    "Tanggal",
    "No. Faktur",
    "Nilai (Rp)",
    "Uraian",
]


@pytest.fixture
def ledger(db, kecamatan):
    """Two buyers and three SMEs: one found by NIB, one by name in Cikarang Utara, one not verified."""
    return {
        "dinas": OrganisationFactory(name="Dinas Pendidikan"),
        "rsud": OrganisationFactory(name="RSUD Kabupaten Bekasi"),
        "by_nib": SmeFactory(
            nib="9120000000101", name="Keripik Bu Siti", kecamatan=kecamatan["cikarang_utara"]
        ),
        "by_name": SmeFactory(nib=None, name="Batik Tulis Ayu", kecamatan=kecamatan["cikarang_utara"]),
        "namesake": SmeFactory(nib=None, name="Batik Tulis Ayu", kecamatan=kecamatan["tambun_selatan"]),
        "draft": SmeFactory(nib="9120000000999", name="Konveksi Draf", draft=True),
    }


def row(n, **values):
    base = {
        "No": n, "Nama OPD": "Dinas Pendidikan", "NIB": "9120000000101", "Nama Penyedia": "", "Kecamatan": "",
        "Tanggal": "15/03/2024", "No. Faktur": f"INV/2024/{n:03d}", "Nilai (Rp)": "Rp 2.500.000",
        "Uraian": "Snack rapat",
    }  # fmt: skip
    base.update(values)
    return base


def run_import(tmp_path, rows, actor, *, name="bebeli.xlsx", mode="skip_invalid"):
    path = write_xlsx(tmp_path / name, HEADERS, rows)
    return services.import_file(path=path, actor=actor, kind="bebeli", mode=mode)


def reasons_of(job):
    numbers, _actions, reasons = services.read_plan(job)
    return {numbers[i]: [e[0] for e in errors] for i, errors in reasons.items()}


def test_columns_of_an_earlier_application_are_matched_to_the_bebeli_fields():
    mapping = match_headers(
        ["No.", "Nama OPD", "NIB Penyedia", "Nama UMKM", "Kec.", "Tgl. Transaksi", "Nomor Faktur",
         "Nilai Transaksi (Rp)", "Keterangan", "Tanggal Bayar", "No. SP2D", "Warna"]
    )  # fmt: skip
    assert mapping == [
        "row_number", "buyer", "nib", "sme_name", "kecamatan", "date", "invoice", "amount", "description",
        "paid_on", "payment_reference", None,
    ]  # fmt: skip
    # English headers too, and a second column for one field feeds nothing.
    assert match_headers(["Buyer", "Supplier", "Date", "Invoice number", "Amount", "Total"]) == [
        "buyer", "sme_name", "date", "invoice", "amount", None,
    ]  # fmt: skip


def test_the_upload_recognises_a_bebeli_file_and_maps_its_columns(tmp_path, ledger, admin_user):
    path = write_csv(tmp_path / "ledger.csv", HEADERS, [row(1)])
    with open(path, "rb") as f:
        job = services.create_job(file=f and SimpleUploadedFile("ledger.csv", f.read()), name="ledger.csv",
                                  actor=admin_user, kind="bebeli")  # fmt: skip
    assert job.kind == ImportJob.Kind.BEBELI
    assert job.mapping == [
        "row_number",
        "buyer",
        "nib",
        "sme_name",
        "kecamatan",
        "date",
        "invoice",
        "amount",
        "description",
    ]
    assert services.check_mapping(job.mapping, job.kind) == []
    without_amount = [k if k != "amount" else "" for k in job.mapping]
    assert services.check_mapping(without_amount, job.kind) == [
        "Choose the column that holds the Amount (Rp)."
    ]


def test_the_dry_run_checks_every_row_and_writes_nothing(tmp_path, ledger, admin_user):
    path = write_xlsx(tmp_path / "ledger.xlsx", HEADERS, [row(1), row(2), row(3, NIB="9129999999999")])
    with open(path, "rb") as f:
        job = services.create_job(file=SimpleUploadedFile("ledger.xlsx", f.read()), name="ledger.xlsx",
                                  actor=admin_user, kind="bebeli")  # fmt: skip
    audit_before = AuditEntry.objects.count()
    job = services.map_and_check(job=job, mapping=job.mapping, mode=job.mode, actor=admin_user)
    assert (job.status, job.total, job.to_create, job.rejected) == ("dry_run_ready", 3, 2, 1)
    assert Purchase.objects.count() == 0
    assert not AuditEntry.objects.filter(verb="bebeli.purchase.imported").exists()
    assert AuditEntry.objects.count() == audit_before  # a dry run writes no audit entry either
    job = services.commit_now(job=job)
    assert (job.status, job.created, job.rejected) == ("done", 2, 1)
    assert Purchase.objects.count() == 2


def test_rows_name_the_sme_by_nib_or_by_name_and_kecamatan(tmp_path, ledger, admin_user):
    job = run_import(tmp_path, [
        row(1),
        row(2, **{"NIB": "", "Nama Penyedia": "batik  tulis AYU", "Kecamatan": "Cikarang Utara",
                  "Nama OPD": "rsud kabupaten bekasi"}),
    ], admin_user)  # fmt: skip
    assert (job.status, job.created, job.rejected) == ("done", 2, 0)
    first = Purchase.objects.get(invoice_number="INV/2024/001")
    second = Purchase.objects.get(invoice_number="INV/2024/002")
    assert (first.sme, first.organisation) == (ledger["by_nib"], ledger["dinas"])
    # The namesake in Tambun Selatan is not taken: the kecamatan decides.
    assert (second.sme, second.organisation) == (ledger["by_name"], ledger["rsud"])


def test_an_sme_that_cannot_be_matched_is_rejected_with_the_reason_never_guessed(
    tmp_path, ledger, admin_user
):
    job = run_import(tmp_path, [
        row(1, NIB="9129999999999", **{"Nama Penyedia": "Keripik Bu Siti", "Kecamatan": "Cikarang Utara"}),
        row(2, NIB="", **{"Nama Penyedia": "Batik Tulis Ayu", "Kecamatan": "Cibitung"}),
        row(3, NIB="", **{"Nama Penyedia": "Batik Tulis Ayu"}),
        row(4, NIB="9120000000999"),
        row(5, **{"Nama OPD": "Dinas Yang Tidak Ada"}),
    ], admin_user)  # fmt: skip
    assert (job.status, job.created, job.rejected) == ("done", 0, 5)
    assert Purchase.objects.count() == 0
    assert reasons_of(job) == {
        2: ["sme_unknown"],  # a NIB not in the registry: not matched by the name beside it
        3: ["sme_unknown"],
        4: ["sme_missing"],
        5: ["sme_refused"],
        6: ["buyer_unknown"],
    }
    numbers, _actions, reasons = services.read_plan(job)
    message = reasons[0][0][2] % reasons[0][0][3]
    assert message == "No SME with NIB 9129999999999 is in the registry."
    assert job.rejected_file  # the report of rows to fix, with the reason column


def test_two_smes_of_one_name_in_the_kecamatan_are_not_guessed(tmp_path, ledger, admin_user, kecamatan):
    SmeFactory(nib=None, name="Batik Tulis Ayu", kecamatan=kecamatan["cikarang_utara"])
    job = run_import(tmp_path, [row(1, NIB="", **{"Nama Penyedia": "Batik Tulis Ayu", "Kecamatan": "Cikarang Utara"})],
                     admin_user)  # fmt: skip
    assert (job.created, job.rejected) == (0, 1)
    assert reasons_of(job) == {2: ["sme_ambiguous"]}


def test_importing_the_same_rows_again_creates_nothing_twice(tmp_path, ledger, admin_user):
    rows = [
        row(1),
        row(2),
        row(3, NIB="", **{"Nama Penyedia": "Batik Tulis Ayu", "Kecamatan": "Cikarang Utara"}),
    ]
    first = run_import(tmp_path, rows, admin_user, name="first.xlsx")
    assert first.created == 3
    again = run_import(tmp_path, [*rows, row(4)], admin_user, name="again.xlsx")
    assert (again.created, again.unchanged, again.rejected) == (1, 3, 0)
    assert Purchase.objects.count() == 4
    # The same purchase twice in one file is one purchase, the second row rejected with its reason.
    third = run_import(tmp_path, [row(5), row(5)], admin_user, name="third.xlsx")
    assert (third.created, third.rejected) == (1, 1)
    assert reasons_of(third) == {3: ["duplicate_row"]}
    # Changed amounts are not written over an imported purchase: an officer corrects it.
    changed = run_import(tmp_path, [row(1, **{"Nilai (Rp)": "3000000"})], admin_user, name="changed.xlsx")
    assert (changed.created, changed.rejected) == (0, 1)
    assert Purchase.objects.get(invoice_number="INV/2024/001").total == 2_500_000


@pytest.mark.parametrize(
    ("amount", "code"),
    [("0", "amount_positive"), ("-150000", "money_negative"), ("1500000,50", "money_fraction"),
     ("abc", "money_format"), ("", "required")],
)  # fmt: skip
def test_amounts_must_be_positive_whole_rupiah(tmp_path, ledger, admin_user, amount, code):
    job = run_import(tmp_path, [row(1, **{"Nilai (Rp)": amount})], admin_user)
    assert (job.created, job.rejected) == (0, 1)
    assert reasons_of(job) == {2: [code]}


def test_an_imported_purchase_is_completed_not_verified_and_audited(tmp_path, ledger, admin_user):
    counted = paid_purchase(organisation=ledger["dinas"], sme=ledger["by_nib"], total=700_000)
    job = run_import(tmp_path, [row(1, **{"Nilai (Rp)": "75.000.000"})], admin_user)
    purchase = Purchase.objects.get(invoice_number="INV/2024/001")
    assert (purchase.source, purchase.status, purchase.verified_at) == ("import", "paid", None)
    assert (purchase.total, purchase.ordered_on, purchase.paid_on) == (75_000_000, dt.date(2024, 3, 15),
                                                                         dt.date(2024, 3, 15))  # fmt: skip
    assert purchase.flags == ["large"]
    assert not purchase.is_counted
    line = PurchaseLine.objects.get(purchase=purchase)
    assert (line.description, line.quantity, line.unit_price) == ("Snack rapat", 1, 75_000_000)
    entry = AuditEntry.objects.get(verb="bebeli.purchase.imported")
    assert entry.object_id == str(purchase.pk)
    assert entry.actor == admin_user
    assert str(job.public_id) in entry.note
    # The summaries were rebuilt after the load; the unverified import does not count in them.
    from sentra.bebeli.models import MonthlySummary

    total = MonthlySummary.objects.get(year=2024, month=0, dimension="all", key="")
    assert (total.amount, total.purchases) == (counted.total, 1)


def test_an_officer_verifies_an_imported_purchase_later(tmp_path, ledger, admin_user, regency_officer):
    from sentra.bebeli import services as bebeli

    run_import(tmp_path, [row(1)], admin_user)
    purchase = Purchase.objects.get(invoice_number="INV/2024/001")
    bebeli.verify_purchase(purchase=purchase, officer=regency_officer)
    purchase.refresh_from_db()
    assert purchase.is_counted


def test_all_or_nothing_writes_nothing_when_an_sme_is_not_matched(tmp_path, ledger, admin_user):
    job = run_import(tmp_path, [row(1), row(2, NIB="9129999999999")], admin_user, mode="all_or_nothing")
    assert job.status == "failed"
    assert "Row 3" in job.error_message
    assert Purchase.objects.count() == 0


def test_the_start_page_offers_the_kinds_and_the_flow_is_shared(client, tmp_path, ledger, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("imports:start")).content.decode()
    assert 'value="bebeli"' in page and 'value="sme"' in page
    path = write_xlsx(tmp_path / "ledger.xlsx", HEADERS, [row(1), row(2, NIB="9129999999999")])
    with open(path, "rb") as f:
        response = client.post(
            reverse("imports:start"),
            {"file": SimpleUploadedFile("ledger.xlsx", f.read()), "mode": "skip_invalid", "kind": "bebeli"},
        )
    job = ImportJob.objects.get()
    assert job.kind == "bebeli"
    assert response.url == reverse("imports:columns", args=[job.public_id])
    columns = client.get(response.url).content.decode()
    assert "Buyer organisation" in columns
    data = {
        "mode": "skip_invalid",
        **{f"col_{i}": key for i, key in enumerate(job.mapping) if key != "row_number"},
    }
    response = client.post(reverse("imports:columns", args=[job.public_id]), data)
    assert response.url == reverse("imports:check", args=[job.public_id])
    check = client.get(response.url).content.decode()
    assert "No SME with NIB 9129999999999 is in the registry." in check
    report = client.get(reverse("imports:rejected", args=[job.public_id]))
    assert report.status_code == 200


def test_the_queries_of_a_check_do_not_grow_with_the_rows(tmp_path, ledger, admin_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sentra.bebeli.imports import PurchasePass

    by_name = {"NIB": "", "Nama Penyedia": "Batik Tulis Ayu", "Kecamatan": "Cikarang Utara"}
    counts = []
    for n in (4, 40):
        rows = [row(i, **(by_name if i % 2 else {})) for i in range(1, n + 1)]
        path = write_xlsx(tmp_path / f"ledger-{n}.xlsx", HEADERS, rows)
        with open(path, "rb") as f:
            job = services.create_job(file=SimpleUploadedFile(path.name, f.read()), name=path.name,
                                      actor=admin_user, kind="bebeli")  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            outcome = PurchasePass(job, write=False).run()
        assert (outcome.create, outcome.reject) == (n, 0)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_buyer_is_matched_by_its_organisation_code_when_the_file_has_one(tmp_path, ledger, admin_user):
    dinas, rsud = ledger["dinas"], ledger["rsud"]
    dinas.code, rsud.code = "1.01.2.19.0.00.01.0000", "1.02.0.00.0.00.02.0001"
    dinas.save()
    rsud.save()
    headers = ["Kode OPD", *HEADERS]
    assert match_headers(headers)[:2] == ["buyer_code", "row_number"]
    rows = [
        # The code decides, whatever the name's spelling in the earlier application.
        row(1, **{"Kode OPD": "1.01.2.19.0.00.01.0000", "Nama OPD": "Disdik Kab. Bekasi"}),
        row(2, **{"Kode OPD": " 1.02.0.00.0.00.02.0001 ", "Nama OPD": ""}),
        # A code Sentra does not know rejects the row: the name beside it is not tried.
        row(3, **{"Kode OPD": "9.99.9", "Nama OPD": "Dinas Pendidikan"}),
        # No code in this row: the name, as before.
        row(4, **{"Kode OPD": "", "Nama OPD": "RSUD Kabupaten Bekasi"}),
        row(5, **{"Kode OPD": "", "Nama OPD": ""}),
    ]
    path = write_xlsx(tmp_path / "coded.xlsx", headers, rows)
    job = services.import_file(path=path, actor=admin_user, kind="bebeli", mode="skip_invalid")
    assert (job.status, job.created, job.rejected) == ("done", 3, 2)
    assert reasons_of(job) == {4: ["buyer_code_unknown"], 6: ["buyer_missing"]}
    by_invoice = dict(Purchase.objects.values_list("invoice_number", "organisation"))
    assert by_invoice == {"INV/2024/001": dinas.pk, "INV/2024/002": rsud.pk, "INV/2024/004": rsud.pk}


def test_two_buyers_of_one_regency_cannot_share_a_code(ledger):
    from django.db import IntegrityError, transaction

    ledger["dinas"].code = "1.01"
    ledger["dinas"].save()
    ledger["rsud"].code = "1.01"
    with pytest.raises(IntegrityError), transaction.atomic():
        ledger["rsud"].save()
    OrganisationFactory(name="Tanpa kode 1")  # no code: as many as there are
    OrganisationFactory(name="Tanpa kode 2")

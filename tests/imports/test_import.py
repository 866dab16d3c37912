"""The import as users rely on it: what lands in the registry, what is refused and why."""

import datetime as dt
import json

import openpyxl
import pytest

from conftest import CANARY_NIK
from sentra.core.models import AuditEntry
from sentra.imports import services
from sentra.imports.models import ImportJob, RegionAlias
from sentra.imports.sme_spec import TEMPLATE_HEADERS
from sentra.registry.models import Owner, Permit, ScaleRecord, Sme

from .conftest import SIDT_HEADERS, nib, sidt_row, template_row, write_csv, write_xlsx


def reasons_of(job):
    numbers, _actions, reasons = services.read_plan(job)
    return {numbers[i]: [e[0] for e in errors] for i, errors in reasons.items()}


def test_an_import_creates_smes_owners_permits_scale_history_and_audit_entries(template_file, admin_user):
    path = template_file([template_row(1), template_row(2, **{"No. P-IRT": "P-IRT No. 2063216010123-27"})])
    job = services.import_file(path=path, actor=admin_user)
    assert (job.status, job.total, job.created, job.rejected) == ("done", 2, 2, 0)
    sme = Sme.objects.select_related("owner", "kecamatan", "desa", "forum").get(nib=nib(2))
    assert sme.name == "Keripik Singkong Bu Siti 1"
    assert sme.source == Sme.Source.IMPORT
    assert (sme.kecamatan.code, sme.desa.name) == ("32.16.09", "Karangasih")
    assert sme.phone == "+6281210000001"
    assert (sme.capital, sme.turnover, sme.scale, sme.scale_basis) == (
        25_000_000,
        120_000_000,
        "micro",
        "capital",
    )
    assert (sme.kbli_code, sme.kbli_version, sme.kbli_category) == ("10794", 2020, "C")
    assert sme.forum.name == "Forum UMKM Cikarang Utara"
    assert sme.owner.name == "Siti Rahayu 1"
    assert sme.owner.gender == "F"
    assert sme.owner.birth_date == dt.date(1990, 5, 12)
    halal = Permit.objects.get(sme=sme, kind=Permit.Kind.HALAL)
    assert halal.expires_on == dt.date(2028, 12, 31)
    assert Permit.objects.filter(kind=Permit.Kind.PIRT).count() == 1
    assert ScaleRecord.objects.filter(sme=sme, scale="micro").count() == 1
    entry = AuditEntry.objects.get(verb="registry.sme.imported", object_id=str(sme.pk))
    assert entry.actor == admin_user
    assert entry.changes["name"] == [None, "Keripik Singkong Bu Siti 1"]
    assert entry.changes["owner.name"] == [None, "Siti Rahayu 1"]
    assert entry.changes["owner.nik"][1].startswith("3216")
    assert "\u2022" in entry.changes["owner.nik"][1]


def test_personal_data_in_audit_entries_is_masked(template_file, admin_user):
    path = template_file([template_row(1, NIK=CANARY_NIK)])
    services.import_file(path=path, actor=admin_user)
    stored = json.dumps(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert CANARY_NIK not in stored
    assert "+6281210000001" not in stored


def test_the_dry_run_checks_every_row_but_writes_no_sme(template_file, admin_user):
    job = services.create_job(
        file=_open(template_file([template_row(1), template_row(2, NIK="12")])),
        name="a.xlsx",
        actor=admin_user,
    )
    services.run_dry_run(job=job)
    job.refresh_from_db()
    assert (job.status, job.total, job.to_create, job.rejected) == ("dry_run_ready", 2, 1, 1)
    assert reasons_of(job) == {3: ["nik_length"]}
    assert not Sme.objects.exists()
    assert not Owner.objects.exists()
    assert not AuditEntry.objects.filter(verb__startswith="registry.").exists()


def test_importing_the_same_file_again_creates_and_updates_nothing(template_file, admin_user):
    path = template_file([template_row(i) for i in range(4)], name="smes.csv")
    services.import_file(path=path, actor=admin_user)
    entries = AuditEntry.objects.count()
    again = services.import_file(path=path, actor=admin_user)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 4, 0)
    assert Sme.objects.count() == 4
    assert ScaleRecord.objects.count() == 4
    assert Permit.objects.count() == 4
    # Only the job's own upload and completion are logged.
    assert AuditEntry.objects.count() == entries + 2


def test_a_changed_value_updates_the_record_and_logs_the_change(template_file, admin_user):
    services.import_file(path=template_file([template_row(1)]), actor=admin_user)
    sme = Sme.objects.get()
    job = services.import_file(
        path=template_file(
            [template_row(1, **{"Modal Usaha": "Rp 2 M", "Produk": "Keripik pedas"})], name="v2.xlsx"
        ),
        actor=admin_user,
    )
    assert (job.created, job.updated, job.unchanged) == (0, 1, 0)
    sme.refresh_from_db()
    assert (sme.capital, sme.scale, sme.products) == (2_000_000_000, "small", "Keripik pedas")
    assert list(sme.scale_history.values_list("scale", flat=True).order_by("id")) == ["micro", "small"]
    entry = AuditEntry.objects.get(verb="registry.sme.import_updated")
    assert entry.changes["capital"] == [25_000_000, 2_000_000_000]
    assert entry.changes["products"] == ["Keripik singkong balado; keripik original", "Keripik pedas"]


def test_rows_are_matched_by_nib_first_then_by_owner_nik_and_business_name(template_file, admin_user):
    services.import_file(path=template_file([template_row(1), template_row(2, NIB="")]), actor=admin_user)
    renamed_nib = template_row(1, **{"Nama Usaha": "Keripik Bu Siti (baru)"})
    nib_added = template_row(2, NIB=nib(99))
    job = services.import_file(path=template_file([renamed_nib, nib_added], name="v2.xlsx"), actor=admin_user)
    assert (job.created, job.updated) == (0, 2)
    assert set(Sme.objects.values_list("name", "nib")) == {
        ("Keripik Bu Siti (baru)", nib(2)),
        ("Keripik Singkong Bu Siti 2", nib(99)),
    }


def test_one_owner_with_several_businesses_is_one_owner(template_file, admin_user):
    same_owner = {"NIK": template_row(1)["NIK"], "Nama Pemilik": "Siti Rahayu"}
    rows = [
        template_row(1, **same_owner),
        template_row(2, **same_owner, **{"Nama Usaha": "Laundry Kilat Bu Siti"}),
    ]
    job = services.import_file(path=template_file(rows), actor=admin_user)
    assert job.created == 2
    assert Owner.objects.count() == 1
    assert Owner.objects.get().smes.count() == 2


def test_all_or_nothing_writes_nothing_when_the_last_row_is_bad(template_file, admin_user):
    rows = [template_row(i) for i in range(5)] + [template_row(9, **{"Modal Usaha": "banyak"})]
    job = services.import_file(path=template_file(rows), actor=admin_user, mode="all_or_nothing")
    assert job.status == ImportJob.Status.FAILED
    assert "Row 7" in job.error_message
    assert "nothing was imported" in job.error_message
    assert job.created == 0
    assert not Sme.objects.exists()
    assert not Owner.objects.exists()
    assert not AuditEntry.objects.filter(verb__startswith="registry.").exists()


def test_all_or_nothing_rolls_back_every_batch_when_a_late_batch_is_bad(
    template_file, admin_user, monkeypatch
):
    monkeypatch.setattr("sentra.imports.engine.BATCH_SIZE", 2)
    job = services.create_job(
        file=_open(template_file([template_row(i) for i in range(5)])),
        name="a.xlsx",
        actor=admin_user,
        mode="all_or_nothing",
    )
    services.run_dry_run(job=job)
    # The file changes between the check and the commit: the last row is now bad.
    write_xlsx(
        job.file.path, TEMPLATE_HEADERS, [template_row(i) for i in range(4)] + [template_row(4, NIK="1")]
    )
    job = services.commit_now(job=job)
    assert job.status == ImportJob.Status.FAILED
    assert not Sme.objects.exists()


def test_skip_invalid_writes_the_valid_rows_and_reports_the_others(template_file, admin_user):
    rows = [
        template_row(1),
        template_row(2, NIK="3216"),
        template_row(3, **{"Nama Usaha": ""}),
        template_row(4),
    ]
    job = services.import_file(path=template_file(rows), actor=admin_user)
    assert (job.status, job.created, job.rejected) == ("done", 2, 2)
    assert reasons_of(job) == {3: ["nik_length"], 4: ["name_missing"]}
    assert Sme.objects.count() == 2


def test_a_crash_mid_import_leaves_whole_batches_only(template_file, admin_user, monkeypatch):
    from sentra.imports import engine

    monkeypatch.setattr(engine, "BATCH_SIZE", 2)
    calls = {"n": 0}
    original = engine.ImportPass._save

    def crash_after_writing_the_second_batch(self, plans):
        calls["n"] += 1
        original(self, plans)
        if calls["n"] == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(engine.ImportPass, "_save", crash_after_writing_the_second_batch)
    job = services.import_file(path=template_file([template_row(i) for i in range(5)]), actor=admin_user)
    assert job.status == ImportJob.Status.FAILED
    assert "rows written so far are kept" in job.error_message
    # The first batch (2 rows) is in, the second rolled back entirely, the third never started.
    assert Sme.objects.count() == 2
    assert Owner.objects.count() == 2
    assert AuditEntry.objects.filter(verb="registry.sme.imported").count() == 2
    assert job.created == 2


def test_messy_but_valid_values_are_cleaned(template_file, admin_user):
    row = template_row(
        1,
        **{
            "Modal Usaha": "Rp 1.500.000",
            "Omzet per Tahun": "Rp 12 jt",
            "No. HP/WA": "+62 812-1000-0001",
            "Kecamatan": "Kec. Cikarang Utara",
            "Desa/Kelurahan": "KARANGASIH",
            "Tanggal Lahir": 33005,  # an Excel serial date: 12 May 1990
            "Jenis Kelamin": "Perempuan",
        },
    )
    job = services.import_file(path=template_file([row]), actor=admin_user)
    assert job.created == 1, reasons_of(job)
    sme = Sme.objects.select_related("owner", "kecamatan").get()
    assert (sme.capital, sme.turnover, sme.phone, sme.kecamatan.name) == (
        1_500_000,
        12_000_000,
        "+6281210000001",
        "Cikarang Utara",
    )
    assert sme.owner.birth_date == dt.date(1990, 5, 12)


def test_rejected_rows_come_back_as_xlsx_with_original_columns_and_a_reason(template_file, admin_user):
    rows = [template_row(1), template_row(2, NIK="3216"), template_row(3, Kecamatan="Cikarang Ultra")]
    job = services.import_file(path=template_file(rows), actor=admin_user)
    assert job.rejected == 2
    with job.rejected_file.open("rb") as f:
        sheet = openpyxl.load_workbook(f).active
    values = list(sheet.values)
    assert list(values[0]) == [*TEMPLATE_HEADERS, "Reason"]
    assert values[1][0] == "Keripik Singkong Bu Siti 2"
    assert values[1][3] == "3216"
    assert "NIK" in values[1][-1] and "16 digits" in values[1][-1]
    assert "Cikarang Ultra" in values[2][-1]
    assert len(values) == 3


def test_a_fixed_rejected_rows_file_imports_with_its_reason_column_ignored(
    template_file, admin_user, tmp_path
):
    job = services.import_file(
        path=template_file([template_row(1), template_row(2, NIK="3216")]), actor=admin_user
    )
    with job.rejected_file.open("rb") as f:
        book = openpyxl.load_workbook(f)
    sheet = book.active
    sheet.cell(row=2, column=4).value = template_row(2)["NIK"]  # the officer fixes the NIK
    fixed = tmp_path / "fixed.xlsx"
    book.save(fixed)
    again = services.import_file(path=fixed, actor=admin_user)
    assert again.mapping[-1] == "reason"
    assert (again.created, again.rejected) == (1, 0)
    assert Sme.objects.count() == 2


def test_unmatched_region_spellings_are_listed_once_with_candidates(template_file, admin_user):
    rows = [
        template_row(1, Kecamatan="Cikarang Utra"),
        template_row(2, Kecamatan="Cikarang Utra"),
        template_row(3, Kecamatan="Zzz"),
    ]
    job = services.create_job(file=_open(template_file(rows)), name="a.xlsx", actor=admin_user)
    services.run_dry_run(job=job)
    job.refresh_from_db()
    assert job.rejected == 3
    by_spelling = {e["spelling"]: e for e in job.unmatched_regions}
    assert set(by_spelling) == {"Cikarang Utra", "Zzz"}
    assert by_spelling["Cikarang Utra"]["rows"] == 2
    assert "Cikarang Utara" in by_spelling["Cikarang Utra"]["candidates"]
    assert by_spelling["Zzz"]["candidates"] == []


def test_a_region_mapped_once_is_used_by_this_and_later_imports(template_file, admin_user):
    rows = [template_row(1, Kecamatan="Cikarang Utra")]
    job = services.create_job(file=_open(template_file(rows)), name="a.xlsx", actor=admin_user)
    services.run_dry_run(job=job)
    index = next(i for i, e in enumerate(job.unmatched_regions) if e["spelling"] == "Cikarang Utra")
    services.map_regions(job=job, answers={index: "32.16.09"}, actor=admin_user)
    job.refresh_from_db()
    assert (job.to_create, job.rejected, job.unmatched_regions) == (1, 0, [])
    alias = RegionAlias.objects.get()
    assert (alias.level, alias.region.code, alias.spelling) == ("kecamatan", "32.16.09", "Cikarang Utra")
    later = services.import_file(
        path=template_file([template_row(5, Kecamatan="CIKARANG UTRA")], name="b.xlsx"), actor=admin_user
    )
    assert later.created == 1
    assert Sme.objects.get().kecamatan.code == "32.16.09"


def test_a_region_outside_the_regency_cannot_be_chosen_for_a_spelling(template_file, admin_user):
    job = services.create_job(
        file=_open(template_file([template_row(1, Kecamatan="Cikarang Utra")])),
        name="a.xlsx",
        actor=admin_user,
    )
    services.run_dry_run(job=job)
    with pytest.raises(services.MappingError):
        services.map_regions(job=job, answers={0: "32.75.01"}, actor=admin_user)
    assert not RegionAlias.objects.exists()


def test_an_officer_imports_only_rows_of_their_kecamatan(template_file, officer):
    rows = [
        template_row(1),
        template_row(2, Kecamatan="Tambun Selatan", **{"Desa/Kelurahan": "Jatimulya"}),
        template_row(3, Kecamatan="", **{"Desa/Kelurahan": ""}),
    ]
    job = services.import_file(path=template_file(rows), actor=officer)
    assert (job.created, job.rejected) == (1, 2)
    assert reasons_of(job) == {3: ["outside_scope"], 4: ["outside_scope"]}
    assert Sme.objects.get().kecamatan.code == "32.16.09"


def test_an_officer_cannot_update_a_record_outside_their_kecamatan(template_file, admin_user, officer):
    services.import_file(
        path=template_file([template_row(1, Kecamatan="Tambun Selatan", **{"Desa/Kelurahan": "Jatimulya"})]),
        actor=admin_user,
    )
    # Same NIB, now claiming Cikarang Utara: the officer may not move a Tambun Selatan record.
    job = services.import_file(path=template_file([template_row(1)], name="b.xlsx"), actor=officer)
    assert (job.updated, job.rejected) == (0, 1)
    assert reasons_of(job) == {2: ["existing_outside_scope"]}


def test_duplicate_rows_in_one_file_are_rejected_after_the_first(template_file, admin_user):
    job = services.import_file(path=template_file([template_row(1), template_row(1)]), actor=admin_user)
    assert (job.created, job.rejected) == (1, 1)
    assert reasons_of(job) == {3: ["duplicate_nib"]}


def test_the_sidt_export_imports_with_no_manual_mapping(tmp_path, admin_user):
    rows = [
        sidt_row(1),
        # The same owner (NIK) with a second business.
        sidt_row(
            2,
            nik_pengusaha=sidt_row(1)["nik_pengusaha"],
            nama_pengusaha="Ahmad Fauzi 1",
            nama_usaha="Toko Besi Fauzi",
            kode_kbli="47521",
            kategori_kbli="G",
        ),
    ]
    path = write_csv(tmp_path / "sidt.csv", SIDT_HEADERS, rows)
    job = services.import_file(path=path, actor=admin_user)
    assert (job.source, job.created, job.rejected) == ("sidt", 2, 0), reasons_of(job)
    assert Owner.objects.count() == 1
    owner = Owner.objects.select_related("kecamatan").get()
    assert owner.address == "Perum Griya Asri Blok C2 No. 7"
    assert (owner.rt, owner.rw, owner.kecamatan.name) == ("003", "011", "Tambun Selatan")
    assert owner.has_disability is True
    assert owner.education == "SMA/SMK"
    assert owner.gender == "M"
    sme = Sme.objects.select_related("kecamatan", "desa").get(source_ref="SIDT-000001")
    assert sme.source == Sme.Source.SIDT
    assert (sme.address, sme.rt, sme.rw) == ("Jl. Raya Cikarang-Cibarusah Km 2", "002", "004")
    assert (sme.kecamatan.name, sme.desa.name) == ("Cikarang Utara", "Karangasih")
    assert (sme.workers_paid_male, sme.workers_paid_female, sme.workers_paid_disabled_male) == (3, 1, 1)
    assert (sme.workers_unpaid_male, sme.workers_unpaid_female, sme.workers_unpaid_disabled_female) == (
        1,
        2,
        1,
    )
    assert (sme.start_month, sme.start_year, sme.assets, sme.legal_form) == (
        7,
        2012,
        90_000_000,
        "Perorangan",
    )
    assert owner.smes.count() == 2


def test_sidt_rows_of_another_regency_are_rejected(tmp_path, admin_user):
    path = write_csv(tmp_path / "sidt.csv", SIDT_HEADERS, [sidt_row(1, kab_usaha="KOTA BEKASI")])
    job = services.import_file(path=path, actor=admin_user)
    assert reasons_of(job) == {2: ["outside_regency"]}


def test_an_owner_living_outside_the_regency_keeps_no_home_region(tmp_path, admin_user):
    path = write_csv(
        tmp_path / "sidt.csv",
        SIDT_HEADERS,
        [sidt_row(1, kab_pengusaha="KOTA BEKASI", kec_pengusaha="BEKASI TIMUR")],
    )
    job = services.import_file(path=path, actor=admin_user)
    assert job.created == 1
    assert Owner.objects.get().kecamatan is None


def test_a_file_with_a_header_but_no_rows_is_refused(template_file, admin_user):
    with pytest.raises(services.FileRejected):
        services.import_file(path=template_file([]), actor=admin_user)


def _open(path):
    from django.core.files import File

    return File(open(path, "rb"), name=path.name)  # noqa: SIM115 - the job stores and closes it

"""The import pages: upload, columns, check, commit, progress, done and the downloads."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sentra.core.models import AccessLog
from sentra.imports import services
from sentra.imports.models import ImportJob
from sentra.registry.models import Sme

from .conftest import template_row


def upload(client, path, mode="skip_invalid"):
    with open(path, "rb") as f:
        return client.post(
            reverse("imports:start"), {"file": SimpleUploadedFile(path.name, f.read()), "mode": mode}
        )


@pytest.fixture
def checked_job(template_file, admin_user):
    """A job uploaded by the admin and checked: one row to create, one rejected."""
    path = template_file([template_row(1), template_row(2, NIK="3216")])
    with open(path, "rb") as f:
        from django.core.files import File

        job = services.create_job(file=File(f, name=path.name), name=path.name, actor=admin_user)
    return services.run_dry_run(job=job)


def test_the_start_page_offers_the_upload_and_lists_recent_imports(client, admin_user, checked_job):
    client.force_login(admin_user)
    response = client.get(reverse("imports:start"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "smes.xlsx" in page
    assert "Checked, ready to import" in page


def test_the_start_page_says_when_there_are_no_imports_yet(client, admin_user):
    client.force_login(admin_user)
    assert "No imports yet." in client.get(reverse("imports:start")).content.decode()


def test_the_start_page_speaks_indonesian_by_default(client, admin_user, settings):
    settings.LANGUAGE_CODE = "id"
    client.force_login(admin_user)
    client.cookies["sentra_language"] = "id"
    page = client.get(reverse("imports:start")).content.decode()
    assert '<html lang="id">' in page
    assert "No imports yet." not in page


@pytest.mark.parametrize("persona", ["sme_owner", "cashier", "partner", "buyer", "outsider"])
def test_only_dinas_staff_reach_the_import_pages(client, personas, persona, checked_job):
    client.force_login(personas[persona])
    assert client.get(reverse("imports:start")).status_code == 403
    assert client.get(reverse("imports:check", args=[checked_job.public_id])).status_code == 403


def test_an_officer_cannot_open_another_users_import(client, officer, checked_job):
    client.force_login(officer)
    for name in ("job", "columns", "check", "progress", "rejected"):
        assert client.get(reverse(f"imports:{name}", args=[checked_job.public_id])).status_code == 404
    assert client.post(reverse("imports:commit", args=[checked_job.public_id])).status_code == 404


def test_uploading_a_file_leads_to_the_column_choices(client, admin_user, template_file):
    client.force_login(admin_user)
    response = upload(client, template_file([template_row(1)]))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:columns", args=[job.public_id])
    page = client.get(response["Location"]).content.decode()
    assert "Nama Usaha" in page
    assert 'value="name" selected' in page


def test_uploading_something_that_is_not_a_spreadsheet_shows_why_next_to_the_field(
    client, admin_user, tmp_path
):
    client.force_login(admin_user)
    path = tmp_path / "foto.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    response = upload(client, path)
    assert response.status_code == 400
    assert "This is not a spreadsheet" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_uploading_a_file_with_a_wrong_extension_is_refused(client, admin_user, tmp_path):
    client.force_login(admin_user)
    path = tmp_path / "laporan.docx"
    path.write_bytes(b"PK\x03\x04")
    assert upload(client, path).status_code == 400
    assert not ImportJob.objects.exists()


def test_choosing_columns_runs_the_check_and_shows_it(client, admin_user, template_file):
    client.force_login(admin_user)
    upload(client, template_file([template_row(1), template_row(2, NIK="3216")]))
    job = ImportJob.objects.get()
    data = {"mode": "skip_invalid", **{f"col_{i}": key for i, key in enumerate(job.mapping)}}
    response = client.post(reverse("imports:columns", args=[job.public_id]), data)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "A NIK has 16 digits, this one has 4." in page
    assert "Import 1 row" in page
    assert not Sme.objects.exists()


def test_a_column_mapping_without_the_business_name_is_refused(client, admin_user, template_file):
    client.force_login(admin_user)
    upload(client, template_file([template_row(1)]))
    job = ImportJob.objects.get()
    data = {"mode": "skip_invalid", **{f"col_{i}": key for i, key in enumerate(job.mapping)}, "col_0": ""}
    response = client.post(reverse("imports:columns", args=[job.public_id]), data)
    assert response.status_code == 400
    assert "Choose the column that holds the Business name." in response.content.decode()
    data["col_0"], data["col_1"] = "name", "name"
    response = client.post(reverse("imports:columns", args=[job.public_id]), data)
    assert "Business name is chosen for more than one column." in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED


def test_the_check_page_filters_rows_with_htmx(client, admin_user, checked_job):
    client.force_login(admin_user)
    url = reverse("imports:check", args=[checked_job.public_id])
    response = client.get(url, {"only": "r"}, headers={"HX-Request": "true", "HX-Target": "plan-table"})
    page = response.content.decode()
    assert "<html" not in page
    assert "<td>3</td>" in page
    assert "<td>2</td>" not in page


def test_the_check_page_refuses_a_bad_filter_by_showing_all_rows(client, admin_user, checked_job):
    client.force_login(admin_user)
    response = client.get(reverse("imports:check", args=[checked_job.public_id]), {"only": "x", "page": "zz"})
    assert response.status_code == 200
    assert "<td>2</td>" in response.content.decode()


def test_the_check_page_takes_a_fixed_number_of_queries_however_many_rows(
    client, admin_user, template_file, django_assert_num_queries
):
    client.force_login(admin_user)
    for rows in (2, 60):
        upload(client, template_file([template_row(i) for i in range(rows)], name=f"f{rows}.xlsx"))
        job = ImportJob.objects.order_by("-id").first()
        services.run_dry_run(job=job)
        # session, user, job (+ uploader, regency), regions for the alias form: nothing per row
        with django_assert_num_queries(3):
            assert client.get(reverse("imports:check", args=[job.public_id])).status_code == 200


def test_unmatched_region_spellings_are_mapped_from_the_check_page(client, admin_user, template_file):
    client.force_login(admin_user)
    upload(client, template_file([template_row(1, Kecamatan="Cikarang Utra")]))
    job = ImportJob.objects.get()
    services.run_dry_run(job=job)
    page = client.get(reverse("imports:check", args=[job.public_id])).content.decode()
    assert "Cikarang Utra" in page
    response = client.post(reverse("imports:regions", args=[job.public_id]), {"region_0": "32.16.09"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.to_create, job.rejected) == (1, 0)


def test_a_stored_file_that_can_no_longer_be_read_is_reported_on_the_check_page(
    client, admin_user, template_file
):
    client.force_login(admin_user)
    upload(client, template_file([template_row(1, Kecamatan="Cikarang Utra")]))
    job = ImportJob.objects.get()
    services.run_dry_run(job=job)
    with open(job.file.path, "wb") as f:
        f.write(b"PK\x03\x04 not a workbook any more")
    response = client.post(reverse("imports:regions", args=[job.public_id]), {"region_0": "32.16.09"})
    assert response.status_code == 400
    assert "This is not a spreadsheet" in response.content.decode()


def test_mapping_a_spelling_to_a_region_not_offered_is_refused(client, admin_user, template_file):
    client.force_login(admin_user)
    upload(client, template_file([template_row(1, Kecamatan="Cikarang Utra")]))
    job = ImportJob.objects.get()
    services.run_dry_run(job=job)
    response = client.post(reverse("imports:regions", args=[job.public_id]), {"region_0": "99.99.99"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_committing_queues_the_import_and_shows_a_polling_progress_bar(
    client, admin_user, checked_job, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("imports:commit", args=[checked_job.public_id]))
    assert len(callbacks) == 1
    assert response["Location"] == reverse("imports:job", args=[checked_job.public_id])
    checked_job.refresh_from_db()
    assert checked_job.status == ImportJob.Status.QUEUED
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert 'role="progressbar"' in page
    poll = client.get(reverse("imports:progress", args=[checked_job.public_id]))
    assert poll.status_code == 200


def test_the_progress_poll_stops_and_shows_the_counts_when_done(client, admin_user, checked_job):
    client.force_login(admin_user)
    services.commit_now(job=checked_job)
    response = client.get(reverse("imports:progress", args=[checked_job.public_id]))
    assert response.status_code == 286  # htmx stops polling on 286
    page = response.content.decode()
    assert "SMEs created" in page
    assert reverse("registry:sme_list") in page
    assert reverse("imports:rejected", args=[checked_job.public_id]) in page


def test_the_job_pages_take_a_fixed_number_of_queries(
    client, admin_user, checked_job, django_assert_num_queries
):
    services.commit_now(job=checked_job)
    client.force_login(admin_user)
    # session, user, job with uploader and regency
    with django_assert_num_queries(3):
        client.get(reverse("imports:job", args=[checked_job.public_id]))
    with django_assert_num_queries(3):
        client.get(reverse("imports:progress", args=[checked_job.public_id]))
    # session, user, recent jobs with their uploaders
    with django_assert_num_queries(3):
        client.get(reverse("imports:start"))


def test_the_rejected_rows_download_is_an_xlsx_and_is_logged(client, admin_user, checked_job):
    client.force_login(admin_user)
    response = client.get(reverse("imports:rejected", args=[checked_job.public_id]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.cell(row=2, column=4).value == "3216"
    log = AccessLog.objects.get()
    assert (log.user, log.kind, log.row_count) == (admin_user, AccessLog.Kind.EXPORT, 1)


def test_the_template_download_has_the_sentra_headers(client, admin_user):
    from sentra.imports.sme_spec import TEMPLATE_HEADERS

    client.force_login(admin_user)
    response = client.get(reverse("imports:template"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[1]] == list(TEMPLATE_HEADERS)


def test_committing_twice_queues_only_once(
    client, admin_user, checked_job, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("imports:commit", args=[checked_job.public_id]))
        client.post(reverse("imports:commit", args=[checked_job.public_id]))
    assert len(callbacks) == 1


def test_commit_only_accepts_post(client, admin_user, checked_job):
    client.force_login(admin_user)
    assert client.get(reverse("imports:commit", args=[checked_job.public_id])).status_code == 405


def test_an_officer_sees_their_own_imports_and_the_admin_sees_all(client, officer, admin_user, template_file):
    client.force_login(officer)
    upload(client, template_file([template_row(1)], name="kecamatan.xlsx"))
    assert "kecamatan.xlsx" in client.get(reverse("imports:start")).content.decode()
    client.force_login(admin_user)
    page = client.get(reverse("imports:start")).content.decode()
    assert "kecamatan.xlsx" in page
    assert "Budi_Officer" in page


def test_the_check_page_lists_many_unmatched_spellings_in_one_region_query(
    client, admin_user, template_file, django_assert_num_queries
):
    client.force_login(admin_user)
    rows = [template_row(i, Kecamatan=f"Kecamatan Salah {i}") for i in range(5)]
    upload(client, template_file(rows))
    job = ImportJob.objects.get()
    services.run_dry_run(job=job)
    assert len(job.unmatched_regions) == 5
    # session, user, job, regions of the regency for all five selects
    with django_assert_num_queries(4):
        client.get(reverse("imports:check", args=[job.public_id]))

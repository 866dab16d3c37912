"""The check (dry run) of a large file runs in the task worker, with a page the officer can come back to.

`SENTRA_IMPORT_BACKGROUND_CHECK_MB = 0` makes every file "large", so small test files take that path.
"""

import logging

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from conftest import CANARY_NIK
from sentra.core.models import AuditEntry
from sentra.imports import engine, services
from sentra.imports.models import ImportJob
from sentra.imports.sme_spec import TEMPLATE_HEADERS
from sentra.imports.tasks import check_import
from sentra.registry.models import Sme

from .conftest import template_row, write_xlsx


@pytest.fixture
def background(settings):
    settings.SENTRA_IMPORT_BACKGROUND_CHECK_MB = 0


def upload(client, path) -> ImportJob:
    with open(path, "rb") as f:
        client.post(
            reverse("imports:start"),
            {"file": SimpleUploadedFile(path.name, f.read()), "mode": "skip_invalid"},
        )
    return ImportJob.objects.order_by("-id").first()


def post_mapping(client, job):
    data = {"mode": "skip_invalid", **{f"col_{i}": key for i, key in enumerate(job.mapping)}}
    return client.post(reverse("imports:columns", args=[job.public_id]), data)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


def url(name, job):
    return reverse(f"imports:{name}", args=[job.public_id])


MIXED_ROWS = [
    template_row(1),
    template_row(2, NIK="3216"),
    template_row(3, Kecamatan="Cikarang Utra"),
    template_row(4),
    template_row(5, **{"Modal Usaha": "banyak"}),
]


def test_a_large_file_is_queued_for_checking_and_its_pages_wait_for_the_check(
    client, admin_user, template_file, background, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    job = upload(client, template_file([template_row(1), template_row(2)]))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_mapping(client, job)
    assert len(callbacks) == 1
    assert response.status_code == 302
    assert response["Location"] == url("job", job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKING
    assert (job.total, job.to_create, bool(job.plan_file)) == (0, 0, False)

    assert client.get(url("columns", job))["Location"] == url("job", job)
    assert client.get(url("check", job))["Location"] == url("job", job)
    assert client.post(url("commit", job))["Location"] == url("job", job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKING
    assert not Sme.objects.exists()

    page = client.get(url("job", job)).content.decode()
    assert "Checking rows" in page
    assert 'role="progressbar" aria-label="Check progress"' in page
    assert 'hx-trigger="every 1s"' in page
    assert f'href="{url("check", job)}">Show the result of the check</a>' in page
    poll = client.get(url("progress", job), headers={"HX-Request": "true"})
    assert poll.status_code == 200
    assert "Starting the check…" in poll.content.decode()
    assert "HX-Redirect" not in poll


def test_queueing_the_check_is_in_the_audit_trail(
    client, officer, template_file, background, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    job = upload(client, template_file([template_row(1)]))
    with django_capture_on_commit_callbacks(execute=False):
        post_mapping(client, job)
    entry = AuditEntry.objects.get(verb="imports.job.check_queued")
    assert entry.actor == officer
    assert entry.object_id == str(job.pk)
    assert entry.changes == {"status": ["uploaded", "checking"]}


def test_choosing_columns_twice_while_checking_queues_only_one_check(
    client, admin_user, template_file, background, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    job = upload(client, template_file([template_row(1)]))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_mapping(client, job)
        second = post_mapping(client, job)
    assert len(callbacks) == 1
    assert second["Location"] == url("job", job)
    assert AuditEntry.objects.filter(verb="imports.job.check_queued").count() == 1


def test_a_file_under_the_limit_is_still_checked_in_the_request(
    client, admin_user, template_file, settings, django_capture_on_commit_callbacks
):
    settings.SENTRA_IMPORT_BACKGROUND_CHECK_MB = 1
    client.force_login(admin_user)
    job = upload(client, template_file([template_row(1)]))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_mapping(client, job)
    assert callbacks == []
    assert response["Location"] == url("check", job)
    job.refresh_from_db()
    assert (job.status, job.to_create) == ("dry_run_ready", 1)


def test_the_start_page_lists_a_job_being_checked_as_in_progress(
    client, admin_user, template_file, background, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    job = upload(client, template_file([template_row(1)]))
    with django_capture_on_commit_callbacks(execute=False):
        post_mapping(client, job)
    job.refresh_from_db()
    assert job.is_active
    assert not job.is_finished
    page = client.get(reverse("imports:start")).content.decode()
    assert 'text-bg-primary">Checking rows</span>' in page


def test_matching_region_names_of_a_large_file_checks_again_in_the_background(
    client, admin_user, template_file, settings, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    job = upload(client, template_file([template_row(1, Kecamatan="Cikarang Utra")]))
    post_mapping(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_READY
    settings.SENTRA_IMPORT_BACKGROUND_CHECK_MB = 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url("regions", job), {"region_0": "32.16.09"})
    assert len(callbacks) == 1
    assert response["Location"] == url("job", job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKING
    entry = AuditEntry.objects.get(verb="imports.job.check_queued")
    assert entry.changes == {"status": ["dry_run_ready", "checking"]}


@pytest.mark.django_db(transaction=True)
def test_the_worker_finishes_the_check_with_the_counts_of_a_check_in_the_request(
    client, admin_user, template_file, settings
):
    path = template_file(MIXED_ROWS)
    with open(path, "rb") as f:
        in_request = services.create_job(file=File(f, name=path.name), name=path.name, actor=admin_user)
    services.map_and_check(job=in_request, mapping=in_request.mapping, mode="skip_invalid", actor=admin_user)
    assert in_request.status == ImportJob.Status.DRY_RUN_READY

    settings.SENTRA_IMPORT_BACKGROUND_CHECK_MB = 0
    client.force_login(admin_user)
    job = upload(client, path)
    post_mapping(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKING

    run_worker()

    job.refresh_from_db()
    counted = ("total", "to_create", "to_update", "to_keep", "rejected", "unmatched_regions", "new_forums")
    assert job.status == ImportJob.Status.DRY_RUN_READY
    assert job.error_message == ""
    assert {f: getattr(job, f) for f in counted} == {f: getattr(in_request, f) for f in counted}
    assert (job.total, job.to_create, job.rejected) == (5, 2, 3)
    assert services.read_plan(job) == services.read_plan(in_request)
    assert bool(job.rejected_file)
    assert not Sme.objects.exists()
    assert AuditEntry.objects.filter(verb="imports.job.checked", object_id=str(job.pk)).exists()

    poll = client.get(url("progress", job), headers={"HX-Request": "true"})
    assert poll["HX-Redirect"] == url("check", job)
    assert client.get(url("progress", job))["Location"] == url("check", job)
    assert client.get(url("job", job))["Location"] == url("check", job)
    page = client.get(url("check", job)).content.decode()
    assert "A NIK has 16 digits, this one has 4." in page
    assert "Cikarang Utra" in page
    assert "Import 2 rows" in page


@pytest.mark.django_db(transaction=True)
def test_the_progress_page_shows_the_rows_checked_so_far(
    client, admin_user, template_file, background, monkeypatch
):
    monkeypatch.setattr(engine, "BATCH_SIZE", 2)
    client.force_login(admin_user)
    job = upload(client, template_file([template_row(i) for i in range(5)]))
    post_mapping(client, job)
    seen = []
    original = engine.ImportPass._batch

    def look_at_the_progress_page_first(self, mapped):
        # Before each batch, the page shows the rows of the batches before it.
        seen.append(client.get(url("progress", job), headers={"HX-Request": "true"}).content.decode())
        original(self, mapped)

    monkeypatch.setattr(engine.ImportPass, "_batch", look_at_the_progress_page_first)
    run_worker()

    assert len(seen) == 3
    assert "Starting the check…" in seen[0]
    assert "2 rows checked so far" in seen[1]
    assert "4 rows checked so far" in seen[2]
    job.refresh_from_db()
    assert (job.status, job.total) == ("dry_run_ready", 5)


@pytest.mark.django_db(transaction=True)
def test_a_file_changed_before_the_background_check_goes_back_to_the_columns_with_the_reason(
    client, admin_user, template_file, background
):
    client.force_login(admin_user)
    job = upload(client, template_file([template_row(1)]))
    post_mapping(client, job)
    # Someone replaced the stored file: its first column is gone.
    write_xlsx(job.file.path, TEMPLATE_HEADERS[1:], [template_row(1)])

    run_worker()

    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED
    assert job.error_message == "The file's columns are not the ones that were mapped."
    poll = client.get(url("progress", job), headers={"HX-Request": "true"})
    assert poll["HX-Redirect"] == url("columns", job)
    assert client.get(url("job", job))["Location"] == url("columns", job)
    page = client.get(url("columns", job)).content.decode()
    assert "The check of the rows stopped." in page
    assert "The file&#x27;s columns are not the ones that were mapped." in page
    entry = AuditEntry.objects.get(verb="imports.job.check_failed")
    assert entry.note == "The file's columns are not the ones that were mapped."


def test_an_unexpected_error_in_the_background_check_shows_no_row_values(
    client, admin_user, template_file, background, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    job = upload(client, template_file([template_row(1, NIK=CANARY_NIK)]))
    with django_capture_on_commit_callbacks(execute=False):
        post_mapping(client, job)

    def fail(self, mapped):
        raise RuntimeError(f"duplicate key value (nik)=({CANARY_NIK})")

    monkeypatch.setattr(engine.ImportPass, "_batch", fail)
    with caplog.at_level(logging.INFO):
        check_import.call(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED
    assert "unexpected error" in job.error_message
    assert CANARY_NIK not in job.error_message
    assert "RuntimeError" in caplog.text
    assert CANARY_NIK not in caplog.text
    page = client.get(url("columns", job)).content.decode()
    # (The page does show the NIK among the first values of each column: that is the officer's file.)
    assert "The check stopped because of an unexpected error; nothing was written." in page
    assert "duplicate key" not in page
    assert "Traceback" not in page


def test_a_mapping_that_no_longer_works_stops_the_background_check_with_the_reason(
    client, admin_user, template_file, background, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    job = upload(client, template_file([template_row(1)]))
    with django_capture_on_commit_callbacks(execute=False):
        post_mapping(client, job)
    ImportJob.objects.filter(pk=job.pk).update(mapping=["" for _ in job.mapping])

    check_import.call(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED
    reason = "Choose the column that holds the Business name."
    assert reason in job.error_message
    assert reason in client.get(url("columns", job)).content.decode()


def test_choosing_columns_again_after_a_failed_check_clears_the_old_message(
    client, admin_user, template_file, background, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    job = upload(client, template_file([template_row(1)]))
    ImportJob.objects.filter(pk=job.pk).update(error_message="An old reason.")
    with django_capture_on_commit_callbacks(execute=False):
        post_mapping(client, job)
    job.refresh_from_db()
    assert (job.status, job.error_message) == ("checking", "")

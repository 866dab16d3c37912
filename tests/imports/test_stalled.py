"""A job whose task worker stopped does not wait forever: the officer is told and can start it again."""

import datetime as dt

import pytest
from django.core.files import File
from django.urls import reverse
from django.utils import timezone

from sentra.core.models import AuditEntry
from sentra.imports import services
from sentra.imports.models import ImportJob
from sentra.registry.models import Sme

from .conftest import template_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(template_file, admin_user):
    path = template_file([template_row(1), template_row(2)])
    with open(path, "rb") as f:
        job = services.create_job(file=File(f, name=path.name), name=path.name, actor=admin_user)
    return services.run_dry_run(job=job)


def leave_for(job: ImportJob, status: str, minutes: int) -> ImportJob:
    """The job as a worker that died `minutes` ago left it (update() keeps updated_at as given)."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, progress=2000, updated_at=timezone.now() - dt.timedelta(minutes=minutes)
    )
    job.refresh_from_db()
    return job


def test_a_running_job_that_reports_progress_is_not_stalled(client, admin_user, job):
    job = leave_for(job, ImportJob.Status.RUNNING, minutes=2)
    assert not job.seems_stalled
    client.force_login(admin_user)
    page = client.get(reverse("imports:progress", args=[job.public_id])).content.decode()
    assert "Start again" not in page


def test_a_silent_job_says_so_and_offers_to_start_again(client, admin_user, job):
    job = leave_for(job, ImportJob.Status.RUNNING, minutes=20)
    assert job.seems_stalled
    client.force_login(admin_user)
    page = client.get(reverse("imports:progress", args=[job.public_id])).content.decode()
    assert "Nothing has moved for a quarter of an hour" in page
    assert reverse("imports:restart", args=[job.public_id]) in page


def test_starting_a_stalled_commit_again_queues_it_and_it_creates_nothing_twice(
    client, admin_user, job, django_capture_on_commit_callbacks
):
    services.queue_commit(job=job, actor=admin_user)
    services.commit_now(job=job)  # the first run wrote its rows, then its worker "died"
    assert Sme.objects.count() == 2
    job = leave_for(job, ImportJob.Status.RUNNING, minutes=20)

    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("imports:restart", args=[job.public_id]))
    assert response["Location"] == reverse("imports:job", args=[job.public_id])
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.progress, job.seems_stalled) == (ImportJob.Status.QUEUED, 0, False)
    entry = AuditEntry.objects.filter(verb="imports.job.restarted").get()
    assert entry.changes == {"status": ["running", "queued"]} and entry.actor == admin_user

    services.commit_job(job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and (job.created, job.unchanged) == (0, 2)
    assert Sme.objects.count() == 2


def test_a_stalled_check_is_checked_again(client, admin_user, job, django_capture_on_commit_callbacks):
    job = leave_for(job, ImportJob.Status.CHECKING, minutes=30)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:restart", args=[job.public_id]))
    job.refresh_from_db()
    # The database backend only stores the queued task; run what the worker would run.
    services.check_job(job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_READY and job.to_create == 2


def test_a_job_that_is_moving_cannot_be_started_twice(client, admin_user, job):
    job = leave_for(job, ImportJob.Status.RUNNING, minutes=1)
    client.force_login(admin_user)
    response = client.post(reverse("imports:restart", args=[job.public_id]), follow=True)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING and job.progress == 2000
    assert "still moving" in response.content.decode()
    assert not AuditEntry.objects.filter(verb="imports.job.restarted").exists()

"""The commit runs in the task worker, through the real database task backend."""

import pytest
from django.core.files import File
from django.core.management import call_command

from sentra.imports import services
from sentra.imports.models import ImportJob
from sentra.registry.models import Sme

from .conftest import template_row


@pytest.mark.django_db(transaction=True)
def test_a_queued_import_is_committed_by_the_database_worker(template_file, admin_user):
    path = template_file([template_row(i) for i in range(3)] + [template_row(9, NIK="1")])
    with open(path, "rb") as f:
        job = services.create_job(file=File(f, name=path.name), name=path.name, actor=admin_user)
    services.run_dry_run(job=job)
    services.queue_commit(job=job, actor=admin_user)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    job.refresh_from_db()
    assert (job.status, job.created, job.rejected, job.progress) == ("done", 3, 1, 4)
    assert Sme.objects.count() == 3
    assert job.rejected_file

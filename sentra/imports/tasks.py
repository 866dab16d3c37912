"""Background work of the imports, in the task worker (`sentra db_worker`): the check of a large file,
and every commit."""

from django_tasks import task

from .models import ImportJob


@task()
def check_import(job_id: int) -> str:
    from .services import check_job

    job = ImportJob.objects.select_related("regency", "uploaded_by").get(pk=job_id)
    return check_job(job=job).status


@task()
def commit_import(job_id: int) -> str:
    from .services import commit_job

    job = ImportJob.objects.select_related("regency", "uploaded_by").get(pk=job_id)
    return commit_job(job=job).status

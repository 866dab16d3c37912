"""Background work of the imports: the commit runs in the task worker (`sentra db_worker`)."""

from django_tasks import task

from .models import ImportJob


@task()
def commit_import(job_id: int) -> str:
    from .services import commit_job

    job = ImportJob.objects.select_related("regency", "uploaded_by").get(pk=job_id)
    return commit_job(job=job).status

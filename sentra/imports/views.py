from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from sentra.core.audit import log_personal_access
from sentra.core.models import AccessLog
from sentra.core.permissions import DINAS, role_required

from . import kinds, services
from .forms import MappingForm, PlanFilterForm, RegionAliasForm, UploadForm
from .models import ImportJob
from .readers import FileRejected

CHECKABLE = (ImportJob.Status.DRY_RUN_READY,)


def get_job_for_user(user, public_id) -> ImportJob:
    return get_object_or_404(services.jobs_for_user(user).select_related("regency"), public_id=public_id)


def after_check(job: ImportJob):
    """The check page, or the job page while the task worker is still checking a large file."""
    if job.status == ImportJob.Status.CHECKING:
        return redirect("imports:job", public_id=job.public_id)
    return redirect("imports:check", public_id=job.public_id)


@role_required(*DINAS)
def start(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.create_job(
                file=form.cleaned_data["file"],
                name=form.cleaned_data["file"].name,
                actor=request.user,
                mode=form.cleaned_data["mode"],
                kind=form.cleaned_data["kind"],
            )
        except FileRejected as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("imports:columns", public_id=job.public_id)
    jobs = services.jobs_for_user(request.user)[:15]
    status = 400 if form.errors else 200
    return render(request, "imports/start.html", {"form": form, "jobs": jobs}, status=status)


@role_required(*DINAS)
def columns(request, public_id):
    job = get_job_for_user(request.user, public_id)
    if job.status not in (ImportJob.Status.UPLOADED, ImportJob.Status.DRY_RUN_READY):
        return redirect("imports:job", public_id=job.public_id)
    form = MappingForm(request.POST or None, job=job)
    if request.method == "POST" and form.is_valid():
        try:
            services.map_and_check(
                job=job, mapping=form.mapping(), mode=form.cleaned_data["mode"], actor=request.user
            )
        except services.MappingError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except FileRejected as exc:
            form.add_error(None, str(exc))
        else:
            return after_check(job)
    status = 400 if form.errors else 200
    return render(request, "imports/columns.html", {"job": job, "form": form}, status=status)


@role_required(*DINAS)
def check(request, public_id):
    job = get_job_for_user(request.user, public_id)
    if job.status == ImportJob.Status.UPLOADED:
        return redirect("imports:columns", public_id=job.public_id)
    if job.status == ImportJob.Status.CHECKING:
        return redirect("imports:job", public_id=job.public_id)
    filters = PlanFilterForm(request.GET)
    only = filters.cleaned_data.get("only", "") if filters.is_valid() else ""
    page = services.plan_page(job, page=request.GET.get("page") or 1, only=only)
    context = {"job": job, "filters": filters, "page": page, "only": only}
    if request.htmx and request.htmx.target == "plan-table":
        return render(request, "imports/_plan_table.html", context)
    region_form = RegionAliasForm(job=job, choices_for=services.region_chooser(job))
    return render(request, "imports/check.html", {**context, "region_form": region_form})


@role_required(*DINAS)
@require_POST
def regions(request, public_id):
    job = get_job_for_user(request.user, public_id)
    if job.status != ImportJob.Status.DRY_RUN_READY:
        return redirect("imports:job", public_id=job.public_id)
    form = RegionAliasForm(request.POST, job=job, choices_for=services.region_chooser(job))
    if form.is_valid():
        try:
            services.map_regions(job=job, answers=form.answers(), actor=request.user)
        except services.MappingError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except FileRejected as exc:
            # The stored file can no longer be read the way it was mapped: say so, on this page.
            form.add_error(None, str(exc))
        else:
            return after_check(job)
    page = services.plan_page(job)
    context = {"job": job, "filters": PlanFilterForm(), "page": page, "only": "", "region_form": form}
    return render(request, "imports/check.html", context, status=400)


@role_required(*DINAS)
@require_POST
def commit(request, public_id):
    job = get_job_for_user(request.user, public_id)
    if job.status in CHECKABLE:
        services.queue_commit(job=job, actor=request.user)
    return redirect("imports:job", public_id=job.public_id)


@role_required(*DINAS)
@require_POST
def restart(request, public_id):
    job = get_job_for_user(request.user, public_id)
    try:
        services.restart_stalled(job=job, actor=request.user)
    except services.MappingError as exc:
        for message in exc.messages:
            messages.warning(request, message)
    return redirect("imports:job", public_id=job.public_id)


@role_required(*DINAS)
def job_detail(request, public_id):
    job = get_job_for_user(request.user, public_id)
    if job.status == ImportJob.Status.UPLOADED:
        return redirect("imports:columns", public_id=job.public_id)
    if job.status == ImportJob.Status.DRY_RUN_READY:
        return redirect("imports:check", public_id=job.public_id)
    return render(request, "imports/job.html", {"job": job})


@role_required(*DINAS)
def progress(request, public_id):
    job = get_job_for_user(request.user, public_id)
    if job.status in (ImportJob.Status.UPLOADED, ImportJob.Status.DRY_RUN_READY):
        # A background check has ended: show its result, or the columns with the reason it stopped.
        name = "imports:columns" if job.status == ImportJob.Status.UPLOADED else "imports:check"
        url = reverse(name, args=[job.public_id])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    # 286 tells htmx to stop polling: the job will not change any more.
    return render(request, "imports/_progress.html", {"job": job}, status=286 if job.is_finished else 200)


@role_required(*DINAS)
def rejected_rows(request, public_id):
    """The report: rejected rows and rows imported with warnings, as the file had them, with reasons."""
    job = get_job_for_user(request.user, public_id)
    if not job.rejected_file:
        raise Http404
    # An SME file's rows hold NIKs and phone numbers as the file had them: an unmasked export.
    personal = kinds.get(job.kind).personal_fields
    if personal:
        rows = job.rejected + (job.warned if job.is_finished else job.to_warn)
        log_personal_access(
            user=request.user, kind=AccessLog.Kind.EXPORT, fields=list(personal), obj=job,
            rows=rows, detail="import report: rejected rows and rows imported with warnings",
        )  # fmt: skip
    return FileResponse(job.rejected_file.open("rb"), as_attachment=True, filename=services.report_name(job))


@role_required(*DINAS)
def template(request):
    content = services.template_file()
    return FileResponse(content, as_attachment=True, filename=content.name)

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from audit.events import Event
from audit.log import record
from printing import jobs
from printing.models import PrintJob
from printing.policy import get_job_for_user, jobs_for_user


def _status(job: PrintJob) -> dict:
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": job.get_state_display(),
        "stage": job.stage,
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        "error": job.error,
        "pages": job.pages,
        "finished": job.finished,
        "download_url": reverse("printing:job_download", args=[job.pk])
        if job.state == PrintJob.State.DONE
        else None,
    }


def _nudge(job: PrintJob) -> None:
    # A job left queued by a restarted one-process server is picked up on the next look.
    if job.state == PrintJob.State.QUEUED and jobs.runner_mode() == "thread":
        jobs.kick()
    # The job of a killed runner is shown failed at once, so it can be resubmitted.
    elif job.state == PrintJob.State.RUNNING and jobs.fail_abandoned(job.pk):
        job.refresh_from_db()


@login_required
@require_GET
def job_list(request):
    recent = list(jobs_for_user(request.user).filter(requested_by=request.user)[:50])
    return render(request, "printing/job_list.html", {"jobs": recent})


@login_required
@require_GET
def job_status(request, pk):
    job = get_job_for_user(request.user, pk)
    _nudge(job)
    return render(request, "printing/job_status.html", {"job": job, "status": _status(job)})


@login_required
@require_GET
def job_status_json(request, pk):
    job = get_job_for_user(request.user, pk)
    _nudge(job)
    return JsonResponse(_status(job))


@login_required
@require_GET
def job_download(request, pk):
    job = get_job_for_user(request.user, pk)
    if job.state != PrintJob.State.DONE or not job.result:
        raise Http404("该打印任务还没有生成文件。")
    try:
        handle = job.result.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不存在，请重新提交打印。") from None
    filename = f"{job.title or job.kind}-{job.pk}.pdf"
    record(Event.DOWNLOAD, request=request, obj=job, detail=f"下载打印文件「{filename}」")
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/pdf"
    )

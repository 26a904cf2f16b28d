from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from audit.events import Event
from audit.log import record
from jobs import runner, services
from jobs.models import Job
from jobs.policy import access, get_job_for_user, jobs_for_user
from jobs.registry import JobError


def _status(job: Job, can) -> dict:
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": job.get_state_display(),
        "stage": job.stage,
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        "error": job.error,
        "summary": job.summary,
        "link": job.link,
        "pages": job.pages,
        "finished": job.finished,
        "download_url": reverse("jobs:download", args=[job.pk]) if can.download else None,
    }


def _nudge(job: Job) -> tuple[Job, bool]:
    """Show a dead worker's job as failed at once, and give a lost job its task."""
    changed = False
    if job.state == Job.State.RUNNING:
        changed = bool(runner.fail_abandoned(job.pk))
    elif job.state == Job.State.QUEUED and not job.task_id:
        changed = bool(runner.enqueue_lost(job.pk))
    if changed:
        job.refresh_from_db()
    return job, changed


def _fetch(request, pk):
    job, can = get_job_for_user(request.user, pk)
    job, changed = _nudge(job)
    return job, (access(request.user, job) if changed else can)


@login_required
@require_GET
def job_list(request):
    recent = list(jobs_for_user(request.user).filter(requested_by=request.user)[:50])
    return render(request, "jobs/job_list.html", {"jobs": recent})


@login_required
@require_GET
def job_status(request, pk):
    job, can = _fetch(request, pk)
    context = {"job": job, "can": can, "status": _status(job, can)}
    return render(request, "jobs/job_status.html", context)


@login_required
@require_GET
def job_status_json(request, pk):
    job, can = _fetch(request, pk)
    return JsonResponse(_status(job, can))


@login_required
@require_GET
def job_download(request, pk):
    job, can = get_job_for_user(request.user, pk)
    if not can.download:
        raise Http404("该任务还没有生成文件。")
    try:
        handle = job.result.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不存在，请重新提交任务。") from None
    filename = job.filename or f"{job.title or job.kind}-{job.pk}"
    record(Event.DOWNLOAD, request=request, obj=job, detail=f"下载任务文件「{filename}」")
    return FileResponse(handle, as_attachment=True, filename=filename)


@login_required
@require_POST
def job_resubmit(request, pk):
    job, can = get_job_for_user(request.user, pk)
    if not can.resubmit:
        raise Http404("该任务不能重新提交。")
    try:
        again = services.job_resubmit(job=job, user=request.user)
    except JobError as exc:
        messages.error(request, f"未能重新提交「{job}」：{exc}")
        return redirect("jobs:status", pk=job.pk)
    messages.success(request, f"已重新提交「{again}」，任务编号 {again.pk}。")
    return redirect("jobs:status", pk=again.pk)

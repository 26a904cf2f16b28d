"""Who may see which print jobs, and the one way views of this app fetch them.

A job is the requester's own; bureau administrators see every job. Anyone else gets 404,
so a job's existence is not disclosed. Seeing a job is all there is to do with it (follow
its progress, download the PDF), so the fetcher returns the job alone.
"""

from django.http import Http404

from org.scope import Scope, scope_for
from printing.models import PrintJob


def sees_every_job(scope: Scope) -> bool:
    return scope.is_admin


def may_see_job(scope: Scope, user, job: PrintJob) -> bool:
    return sees_every_job(scope) or job.requested_by_id == user.pk


def jobs_for_user(user):
    jobs = PrintJob.objects.select_related("requested_by")
    return jobs if sees_every_job(scope_for(user)) else jobs.filter(requested_by=user)


def get_job_for_user(user, pk) -> PrintJob:
    try:
        return jobs_for_user(user).get(pk=pk)
    except PrintJob.DoesNotExist:
        raise Http404("没有找到该打印任务。") from None

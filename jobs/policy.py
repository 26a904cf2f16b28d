"""Who may see which jobs, and the one way views of this app fetch them.

A job is the requester's own; bureau administrators see every job. Anyone else gets 404,
so a job's existence is not disclosed. The fetcher returns the job and what the person may
do with it (download its file, resubmit it after a failure).
"""

from dataclasses import dataclass

from django.http import Http404

from jobs.models import Job
from org.scope import Scope, scope_for


@dataclass(frozen=True)
class JobAccess:
    download: bool
    resubmit: bool
    own: bool  # asked for by this person: may resubmit it, should it fail


def sees_every_job(scope: Scope) -> bool:
    return scope.is_admin


def jobs_for_user(user):
    jobs = Job.objects.select_related("requested_by")
    return jobs if sees_every_job(scope_for(user)) else jobs.filter(requested_by=user)


def access(user, job: Job) -> JobAccess:
    own = job.requested_by_id == user.pk
    return JobAccess(
        own=own,
        download=job.state == Job.State.DONE and bool(job.result),
        # Only the person who asked resubmits: an administrator looking at someone else's
        # job would otherwise become its requester.
        resubmit=job.state == Job.State.FAILED and own,
    )


def get_job_for_user(user, pk) -> tuple[Job, JobAccess]:
    try:
        job = jobs_for_user(user).get(pk=pk)
    except Job.DoesNotExist:
        raise Http404("没有找到该后台任务。") from None
    return job, access(user, job)

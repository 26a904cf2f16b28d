"""The one way views of this app fetch print jobs for a user.

A job is the requester's own; bureau administrators see every job. Anyone else gets 404,
so a job's existence is not disclosed.
"""

from django.http import Http404

from org.scope import scope_for
from printing.models import PrintJob


def is_print_admin(user) -> bool:
    scope = scope_for(user)
    return scope.all_units and not scope.read_only


def jobs_for_user(user):
    jobs = PrintJob.objects.select_related("requested_by")
    return jobs if is_print_admin(user) else jobs.filter(requested_by=user)


def get_job_for_user(user, pk) -> PrintJob:
    try:
        return jobs_for_user(user).get(pk=pk)
    except PrintJob.DoesNotExist:
        raise Http404("没有找到该打印任务。") from None

"""What every job that commits a confirmed upload starts with: the stored file, checked."""

from django.http import Http404

from jobs.registry import JobError
from kit.imports import StalePlan
from kit.imports.uploads import GONE_MESSAGE, load_confirmed


def confirmed_upload(job) -> tuple[bytes, dict]:
    """The upload the job was given, as the person previewed it; a ``JobError`` saying so
    when it is gone (imported already, expired) or not the file that was previewed."""
    try:
        return load_confirmed(job.params, job.requested_by)
    except Http404:
        raise JobError(GONE_MESSAGE) from None
    except StalePlan as exc:
        raise JobError(exc.message) from None

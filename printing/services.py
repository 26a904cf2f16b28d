"""Writes of the printing app."""

from __future__ import annotations

import json

from django.db import transaction

from printing import jobs
from printing.models import PrintJob
from printing.registry import PrintError, get_kind


@transaction.atomic
def print_job_enqueue(*, kind: str, params: dict, user, title: str = "") -> PrintJob:
    """Queue a batch PDF of ``kind`` for ``user``; it starts once this transaction commits.

    The caller has already decided that ``user`` may print what ``params`` select (the
    builder runs later, outside the request). Raises ``PrintError`` for an unknown kind
    or parameters that are not JSON.
    """
    print_kind = get_kind(kind)
    try:
        json.dumps(params)
    except (TypeError, ValueError) as exc:
        raise PrintError(f"打印参数无法保存：{exc}") from exc
    job = PrintJob.objects.create(
        kind=kind, params=params, requested_by=user, title=title or print_kind.label
    )
    transaction.on_commit(lambda: jobs.dispatch(job.pk))
    return job

"""How a view hands a person over to the job it just enqueued."""

from __future__ import annotations

import time

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect

from jobs.models import Job


def wait_briefly(job: Job, seconds: float) -> Job:
    """Wait up to ``seconds`` for ``job`` to finish (a small cycle computes in less time
    than the progress page takes to load); returns the job as it now is."""
    deadline = time.monotonic() + seconds
    while True:
        job.refresh_from_db()
        if job.finished or time.monotonic() >= deadline:
            return job
        time.sleep(0.2)


def to_job(request, job: Job, *, wait_seconds: float = 0.0):
    """Redirect to the job's page, or, when it finished while we waited and has a page of
    its own to show (the results) and no file, straight there with its summary."""
    if wait_seconds and not transaction.get_connection().in_atomic_block:
        job = wait_briefly(job, wait_seconds)
    else:
        job.refresh_from_db()
    if job.state == Job.State.DONE and job.link and not job.result:
        messages.success(request, job.summary)
        return redirect(job.link)
    return redirect("jobs:status", pk=job.pk)

"""Background work of the targets app: committing a big confirmed target (or actuals) import
(and, in ``export_jobs``, writing a large target export).

The preview page kept the fingerprint of the plan shown and the digest of the stored file;
the job reads the file back, refuses it if it changed (``load_confirmed``), plans it again
and commits only a plan with that fingerprint, in one transaction (``commit_import``):
all of it or nothing.
"""

from django.urls import reverse

from jobs.registry import JobError, Outcome, register
from jobs.uploads import confirmed_upload
from kit.imports import StalePlan
from kit.imports.problems import first_problems
from kit.imports.uploads import drop_pending
from org.scope import scope_for
from targets import export_jobs  # noqa: F401  target_export
from targets.importing import (
    ImportRefused,
    commit_import,
    imported_summary,
    pending_as_of,
    preview_pending,
)
from targets.policy import may_manage_targets

TARGET_IMPORT = "target_import"


def _permitted(user, params) -> bool:
    return may_manage_targets(scope_for(user))


def refused_message(errors: list[str], file_name: str) -> str:
    shown = first_problems(errors)
    return f"文件「{file_name}」有错误，未导入任何内容：{shown}。请核对后重新上传。"


@register(TARGET_IMPORT, label="导入目标任务", permitted=_permitted)
def target_import(job, progress):
    user = job.requested_by
    progress.stage("正在读取文件")
    data, meta = confirmed_upload(job)
    preview = preview_pending(data, meta)
    if not preview.ok:
        raise JobError(refused_message(preview.errors, meta["file_name"]))
    progress.stage("正在写入", total=len(preview.rows))
    try:
        batch = commit_import(
            preview=preview,
            user=user,
            as_of=pending_as_of(meta),
            expected=job.params["fingerprint"] or "-",
        )
    except StalePlan as exc:
        raise JobError(exc.message) from None
    except ImportRefused as exc:
        raise JobError(refused_message(exc.errors, meta["file_name"])) from None
    progress(len(preview.rows), len(preview.rows))
    drop_pending(job.params["token"])
    return Outcome(
        summary=imported_summary(preview, batch),
        link=reverse("targets:import_batch", args=[batch.pk]),
    )

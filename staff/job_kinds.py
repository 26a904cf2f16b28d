"""Background work of the staff app: committing a big confirmed roster import (and, in
``roster_file``, writing a large roster export).

The roster preview kept the fingerprint of the plan shown and the digest of the stored
file; the job reads the file back, refuses it if it changed (``load_confirmed``) and
writes every row in one transaction only if the plan is still the one previewed
(``services.roster_import``): all of it or nothing.
"""

from django.urls import reverse

from jobs.registry import JobError, Outcome, register
from jobs.uploads import confirmed_upload
from kit.imports import STALE_MESSAGE
from kit.imports.problems import first_problems
from kit.imports.uploads import drop_pending
from staff import policy as perm
from staff import (
    roster_file,  # noqa: F401  roster_export
    services,
)

ROSTER_IMPORT = "roster_import"


def _permitted(user, params) -> bool:
    return perm.can_manage_any(user)


def _safe_name(name: str) -> str:
    return str(name or "")[:100] or "花名册.xlsx"


@register(ROSTER_IMPORT, label="导入协理员花名册", permitted=_permitted)
def roster_import(job, progress):
    user = job.requested_by
    progress.stage("正在读取文件")
    data, meta = confirmed_upload(job)
    filename = _safe_name(meta.get("file_name"))
    progress.stage("正在写入花名册")
    plan = services.roster_import(
        user=user, data=data, filename=filename, expected=job.params["fingerprint"] or "-"
    )
    if not plan.ok:
        shown = first_problems(plan.errors)
        raise JobError(f"花名册「{filename}」有错误，未导入任何内容：{shown}。请核对后重新上传。")
    if plan.stale:
        raise JobError(STALE_MESSAGE)
    drop_pending(job.params["token"])
    return Outcome(
        summary=f"花名册「{filename}」已导入：{plan.summary()}。",
        link=reverse("staff:coordinator_list"),
    )

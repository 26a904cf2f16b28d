"""The assessment work that runs in the background (read by the jobs app at start-up)."""

from django.urls import reverse

from assessments import file_jobs  # noqa: F401  cycle_summary, score_workbook
from assessments.compute import cycle_compute
from assessments.models import Cycle
from assessments.policy import may_administer
from assessments.services import WorkflowError
from jobs.registry import JobError, Outcome, register
from org.scope import scope_for
from rubrics import engine

COMPUTE = "cycle_compute"
ERRORS_SHOWN = 5


def may_compute(user, params) -> bool:
    """Asked again when a failed computation is resubmitted: administrators only."""
    return may_administer(scope_for(user))


@register(COMPUTE, label="计算考核结果", permitted=may_compute)
def compute_results(job, progress) -> Outcome:
    """Params: {"cycle": id}. Stages 正在读取考核表 / 正在计分 / 正在保存结果."""
    cycle = Cycle.objects.filter(pk=job.params.get("cycle")).first()
    if cycle is None:
        raise JobError("所选考核周期已删除，无法计算结果。")
    try:
        done = cycle_compute(cycle=cycle, user=job.requested_by, progress=progress)
    except WorkflowError as exc:
        raise JobError(f"未能计算「{cycle.title}」的结果：{exc}") from exc
    except engine.SheetInputError as exc:
        messages = [str(e) for e in exc.errors]
        shown = "；".join(messages[:ERRORS_SHOWN])
        more = f"等 {len(messages)} 处" if len(messages) > ERRORS_SHOWN else ""
        raise JobError(
            f"未能计算「{cycle.title}」的结果：考核表中有输入不正确，请先改正：{shown}{more}。"
        ) from exc
    return Outcome(
        summary=f"已计算「{cycle.title}」的 {done.count} 个结果（第 {done.version} 版）",
        link=reverse("assessments:results", args=[cycle.pk]),
    )

"""Background work of the assessment pages whose output grows with the cycle: the results
summary of a whole cycle (a print kind, ``cycle_summary``) and the offline score workbook
of more than one town (``score_workbook``).

Imported at start-up by ``assessments/job_kinds.py``. A town's summary and a single
town's workbook are bounded by the town and stay in the request.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, Q, When

from assessments import printouts, selectors, workbook
from assessments.models import Cycle
from assessments.policy import may_administer, may_score_offline
from jobs.registry import JobError, Outcome, register
from org.models import Unit
from org.scope import scope_for
from printing.registry import PrintError
from printing.registry import register as register_print
from rubrics.selectors import engine_rubric_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUMMARY_KIND = "cycle_summary"
WORKBOOK_KIND = "score_workbook"


# --- the results summary of a whole cycle ---------------------------------------------


@register_print(SUMMARY_KIND, label="考核结果汇总表（全部单位）")
def build_cycle_summary(params: dict, progress) -> list:
    """The one SummaryDoc of every current result of the cycle, in rank order."""
    cycle = Cycle.objects.select_related("rubric").filter(pk=params.get("cycle")).first()
    if cycle is None:
        raise PrintError("考核周期已不存在，无法打印汇总表。")
    if not cycle.computed_at:
        raise PrintError(f"「{cycle.title}」还没有计算结果，无法打印汇总表。")
    doc = printouts.summary_doc(cycle)
    if not doc.rows:
        raise PrintError(f"「{cycle.title}」没有考核结果，无法打印汇总表。")
    progress(1, 1)
    return [doc]


# --- the offline score workbook ----------------------------------------------------------


def offline_sheets(user, cycle):
    """The sheets a person may score offline, as a query (a reviewer's towns, or all of
    the cycle for an administrator), in the workbook's order."""
    scope = scope_for(user)
    if not may_score_offline(scope):
        raise PermissionDenied("只有镇（街道）考核人员和管理员可以离线评分。")
    sheets = selectors.visible_sheets(user, cycle).select_related("cycle__rubric")
    if not scope.is_admin:
        sheets = sheets.filter(
            Q(unit__parent_id__in=scope.town_ids) | Q(unit_id__in=scope.town_ids)
        )
    return sheets.order_by("unit__parent__sort_order", "unit__sort_order", "phase", "id")


def town_count(sheets) -> int:
    """How many towns the sheets belong to (a town-level unit is its own town); one query."""
    town = Case(
        When(unit__kind__in=Unit.TOWN_KINDS, then=F("unit_id")), default=F("unit__parent_id")
    )
    return sheets.order_by().aggregate(n=Count(town, distinct=True))["n"] or 0


def workbook_name(cycle) -> str:
    return f"scores-{cycle.pk}.xlsx"


def _may_download_workbook(user, params: dict) -> bool:
    cycle = Cycle.objects.filter(pk=params.get("cycle")).first()
    scope = scope_for(user)
    return cycle is not None and (may_administer(scope) or may_score_offline(scope))


@register(
    WORKBOOK_KIND,
    label="离线评分表",
    permitted=_may_download_workbook,
    content_type=XLSX,
)
def run_score_workbook(job, progress) -> Outcome:
    cycle = Cycle.objects.select_related("rubric").filter(pk=job.params.get("cycle")).first()
    if cycle is None:
        raise JobError("考核周期已不存在，无法生成离线评分表。")
    progress.stage("正在读取考核表")
    try:
        sheets = list(offline_sheets(job.requested_by, cycle))
    except PermissionDenied as exc:
        raise JobError("您已没有离线评分的权限，无法生成离线评分表。") from exc
    if not sheets:
        raise JobError(f"「{cycle.title}」中没有您可以离线评分的考核表。")
    progress.stage("正在生成离线评分表")
    progress(0, len(sheets))
    content = workbook.blank_workbook(engine_rubric_for(cycle.rubric), cycle.title, sheets)
    progress(len(sheets), len(sheets))
    towns = len({s.unit_id if s.unit.is_town_level else s.unit.parent_id for s in sheets})
    return Outcome(
        summary=f"已生成「{cycle.title}」的离线评分表：{towns} 个镇（街道），"
        f"{len(sheets)} 张考核表。",
        file=content,
        filename=workbook_name(cycle),
    )

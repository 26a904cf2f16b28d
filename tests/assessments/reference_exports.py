"""The results exports as they were before streaming (every sheet's item inputs read, the
whole document built in memory): the reference the streamed exports must match (tests) and
the baseline of ``bench/bench_exports.py``."""

import io
from decimal import Decimal

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side

from assessments.models import Cycle
from assessments.sides import RESULT_SIDE, SIDES
from kit.spreadsheets import put
from tests.assessments.reference_compute import cycle_engine_inputs

LEGACY_THIN = Side(style="thin", color="000000")
LEGACY_BOX = Border(left=LEGACY_THIN, right=LEGACY_THIN, top=LEGACY_THIN, bottom=LEGACY_THIN)


def _num(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral() else float(value)


def legacy_results_json(cycle: Cycle) -> list[dict]:
    gathered = {
        s.unit_id if not s.coordinator_id else ("c", s.coordinator_id): s
        for s in cycle_engine_inputs(cycle).subjects
    }
    items_meta = list(
        cycle.rubric.items.order_by("section__order", "order").values_list("key", "number", "title")
    )
    out = []
    for r in cycle.results.select_related("unit", "coordinator").order_by("rank", "id"):
        phases = r.detail.get("phases", {})
        subject = gathered.get(r.unit_id if not r.coordinator_id else ("c", r.coordinator_id))
        items = []
        for key, number, title in items_meta:
            entry = {"key": key, "number": number, "title": title}
            # the compared sides (自评 …) from the sheets, the result side from the result
            for side in SIDES:
                if side != RESULT_SIDE:
                    scores = subject.side_scores.get(side, {}) if subject else {}
                    entry[side] = {phase: _dec(scores.get(phase, {}).get(key)) for phase in phases}
            entry[RESULT_SIDE] = {
                phase: _dec(data["scores"].get(key)) for phase, data in phases.items()
            }
            items.append(entry)
        first = next(iter(phases.values()), {})
        out.append(
            {
                "unit": r.unit.name,
                "coordinator": r.coordinator.name if r.coordinator_id else None,
                "town": r.town_name or None,
                "phase_totals": {k: _dec(v) for k, v in r.phase_totals.items()},
                "items": items,
                "sections": [
                    {
                        "title": s["title"],
                        "subtotal": _dec(s["subtotal"]),
                        "max": _dec(s["items_max"]),
                    }
                    for s in first.get("sections", [])
                ],
                "base_total": _num(r.base_total),
                "bonus": _num(r.bonus),
                "penalties": _num(r.penalties),
                "total": _num(r.total),
                "veto_item": r.veto_item or None,
                "rank": r.rank,
                "grade_before_quota": r.grade_before_quota,
                # the closing decisions, added to the format since (as the streamed export)
                "grade_after_quota": r.grade_after_quota or r.grade_before_quota,
                "quota_decision": (
                    {"decision": r.quota_decision, "reason": r.quota_reason}
                    if r.quota_decision
                    else None
                ),
                "grade_override": (
                    {"grade": r.grade, "reason": r.override_reason} if r.override_reason else None
                ),
                "not_submitted": bool(r.absence),
                "grade": r.grade,
                "subsidy_percent": _num(r.subsidy_percent),
                "subsidy_amount": _num(r.subsidy_amount),
                "award_eligible": r.award_eligible,
                "notes": r.flags,
            }
        )
    return out


def _dec(text):

    if text in (None, ""):
        return None
    return _num(Decimal(str(text)))


LEGACY_HEADERS = [
    "名次",
    "单位",
    "镇（街道）",
    "过程考核",
    "年度考核",
    "基础分",
    "加分",
    "扣分",
    "总分",
    "一票否决",
    "等次",
    "人工调整",
    "补助比例（%）",
    "补助金额（元）",
    "备注",
]


def _override_text(r) -> str:
    if not r.override_reason:
        return ""
    return f"人工调整（原为{r.grade_after_quota or r.grade_before_quota}）：{r.override_reason}"


def _quota_text(r) -> str:
    if not r.quota_decision:
        return ""
    label = "保持" if r.quota_decision == "keep" else "调整为下一等次"
    return f"名额决定：{label}" + (f"（{r.quota_reason}）" if r.quota_reason else "")


def legacy_results_xlsx(cycle: Cycle) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总表"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(LEGACY_HEADERS))
    put(ws, 1, 1, f"{cycle.title}结果汇总表").font = Font(bold=True, size=15)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.cell(
        2,
        1,
        f"评分标准：{cycle.rubric.title}（第 {cycle.rubric.version} 版）    状态：{cycle.get_state_display()}",
    )
    for col, header in enumerate(LEGACY_HEADERS, start=1):
        cell = ws.cell(3, col, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = LEGACY_BOX
    row = 4
    amount_total = 0
    for r in cycle.results.select_related("unit", "coordinator").order_by("rank", "id"):
        name = f"{r.coordinator.name}（{r.unit.name}）" if r.coordinator_id else r.unit.name
        values = [
            r.rank,
            name,
            r.town_name,
            _dec(r.phase_totals.get("process")),
            _dec(r.phase_totals.get("annual")),
            None if r.absence else _num(r.base_total),
            None if r.absence else _num(r.bonus),
            None if r.absence else _num(r.penalties),
            "未提交" if r.absence else _num(r.total),
            r.veto_item,
            r.grade,
            _override_text(r),
            _num(r.subsidy_percent),
            _num(r.subsidy_amount),
            "；".join([*r.flags, *filter(None, [_quota_text(r)])]),
        ]
        for col, value in enumerate(values, start=1):
            cell = put(ws, row, col, value)
            cell.border = LEGACY_BOX
        amount_total += r.subsidy_amount or 0
        row += 1
    ws.cell(row, 1, "合计").font = Font(bold=True)
    ws.cell(row, 14, _num(amount_total) if amount_total else 0).font = Font(bold=True)
    for col in range(1, len(LEGACY_HEADERS) + 1):
        ws.cell(row, col).border = LEGACY_BOX
    widths = [6, 22, 14, 9, 9, 8, 7, 7, 8, 16, 8, 24, 10, 12, 40]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width = width
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

"""Results as JSON (documented in README) and as the official summary table (xlsx).

Both are written as streams: the stored results of the cycle's current version are read in
batches (their ``detail`` holds every side's item scores, so the sheets' raw inputs are never
read), the JSON document is written one result at a time, and the xlsx through openpyxl's
write-only mode, which keeps no cell in memory once its row is written. Memory stays flat in
the number of units; the whole-cycle exports run as background jobs (``job_kinds.py``).
"""

import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import BinaryIO, TextIO

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side

from assessments.models import Cycle
from assessments.selectors import export_results, rubric_items_meta
from assessments.sides import RESULT_SIDE, SIDES
from kit.spreadsheets import stream_cell, stream_style

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
CENTRED = Alignment(horizontal="center")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)

# The progress callback is told (done, total) every PROGRESS_EVERY results.
PROGRESS_EVERY = 500
Progress = Callable[[int, int], None]


def _num(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral() else float(value)


def _dec(text):
    if text in (None, ""):
        return None
    return _num(Decimal(str(text)))


def export_filename(cycle: Cycle, fmt: str) -> str:
    """The download name: 汇总表-<cycle>.xlsx or 考核结果-<cycle>.json."""
    title = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", cycle.title).strip(" .") or str(cycle.pk)
    return f"汇总表-{title}.xlsx" if fmt == "xlsx" else f"考核结果-{title}.json"


# ------------------------------------------------------------------------------ JSON


def result_document(result, items_meta) -> dict:
    """One element of the JSON array (README documents its keys), from the stored result."""
    detail = result.detail or {}
    phases = detail.get("phases", {})
    items = []
    for key, number, title in items_meta:
        entry = {"key": key, "number": number, "title": title}
        # the compared sides (自评 …) as stored beside the result, the result side's scores
        for side in SIDES:
            if side != RESULT_SIDE:
                scores = detail.get(side) or {}
                entry[side] = {phase: _dec(scores.get(phase, {}).get(key)) for phase in phases}
        entry[RESULT_SIDE] = {
            phase: _dec(data["scores"].get(key)) for phase, data in phases.items()
        }
        items.append(entry)
    first = next(iter(phases.values()), {})
    return {
        "unit": result.unit.name,
        "coordinator": result.coordinator.name if result.coordinator_id else None,
        "town": result.town_name or None,
        "phase_totals": {k: _dec(v) for k, v in result.phase_totals.items()},
        "items": items,
        "sections": [
            {
                "title": s["title"],
                "subtotal": _dec(s["subtotal"]),
                "max": _dec(s["items_max"]),
            }
            for s in first.get("sections", [])
        ],
        "base_total": _num(result.base_total),
        "bonus": _num(result.bonus),
        "penalties": _num(result.penalties),
        "total": _num(result.total),
        "veto_item": result.veto_item or None,
        "rank": result.rank,
        "grade_before_quota": result.grade_before_quota,
        "grade_after_quota": result.grade_after_quota or result.grade_before_quota,
        "quota_decision": (
            {"decision": result.quota_decision, "reason": result.quota_reason}
            if result.quota_decision
            else None
        ),
        "grade_override": (
            {"grade": result.grade, "reason": result.override_reason}
            if result.override_reason
            else None
        ),
        "not_submitted": bool(result.absence),
        "grade": result.grade,
        "subsidy_percent": _num(result.subsidy_percent),
        "subsidy_amount": _num(result.subsidy_amount),
        "award_eligible": result.award_eligible,
        "notes": result.flags,
    }


def write_results_json(
    cycle: Cycle, out: TextIO, *, indent: int | None = None, progress: Progress | None = None
) -> int:
    """Write the cycle's results to ``out`` as one JSON array, one result at a time; the text
    is what ``json.dumps(documents, ensure_ascii=False, indent=indent)`` gives. Returns how
    many results were written."""
    items_meta = rubric_items_meta(cycle.rubric_id)
    rows, total = export_results(cycle, detail=True)
    between = ", " if indent is None else ",\n"
    pad = " " * (indent or 0)
    done = 0
    out.write("[")
    for result in rows:
        text = json.dumps(result_document(result, items_meta), ensure_ascii=False, indent=indent)
        if indent is not None:
            # the element one level deeper, as json.dumps indents a list's items
            text = "\n".join(pad + line for line in text.split("\n"))
        out.write((between if done else ("" if indent is None else "\n")) + text)
        done += 1
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
    if done and indent is not None:
        out.write("\n")
    out.write("]")
    if progress:
        progress(done, total)
    return done


def results_json(cycle: Cycle) -> list[dict]:
    """The JSON document as Python objects (for a small cycle, or a test)."""
    import io

    buffer = io.StringIO()
    write_results_json(cycle, buffer)
    return json.loads(buffer.getvalue())


# ------------------------------------------------------------------------------ xlsx

HEADERS = [
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
WIDTHS = [6, 22, 14, 9, 9, 8, 7, 7, 8, 16, 8, 24, 10, 12, 40]
AMOUNT_COLUMN = 14


def _override_text(r) -> str:
    """「人工调整（原为合格）：理由」, or "" when the grade was not set by hand."""
    if not r.override_reason:
        return ""
    computed = r.grade_after_quota or r.grade_before_quota
    return f"人工调整（原为{computed}）：{r.override_reason}"


def _quota_text(r) -> str:
    if not r.quota_decision:
        return ""
    label = "保持" if r.quota_decision == "keep" else "调整为下一等次"
    return f"名额决定：{label}" + (f"（{r.quota_reason}）" if r.quota_reason else "")


def _summary_values(r) -> list:
    name = f"{r.coordinator.name}（{r.unit.name}）" if r.coordinator_id else r.unit.name
    return [
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


def write_results_xlsx(
    cycle: Cycle, out: "str | BinaryIO", *, progress: Progress | None = None
) -> int:
    """Write the summary table (汇总表) to ``out`` (a path or a binary file): a merged title
    row, the rubric and state, the header row, one boxed row per result in rank order and a
    合计 row; the columns of README. Returns how many results were written."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("汇总表")
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width = width
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    last = openpyxl.utils.get_column_letter(len(HEADERS))
    ws.merged_cells.add(f"A1:{last}1")

    title = stream_style(ws, font=Font(bold=True, size=15), alignment=CENTRED)
    header = stream_style(ws, font=BOLD, alignment=HEADER_ALIGNMENT, border=BOX)
    boxed = stream_style(ws, border=BOX)
    boxed_bold = stream_style(ws, font=BOLD, border=BOX)

    def cell(value, style=None):
        return stream_cell(ws, value, style)

    ws.append([cell(f"{cycle.title}结果汇总表", title)])
    ws.append(
        [
            cell(
                f"评分标准：{cycle.rubric.title}（第 {cycle.rubric.version} 版）"
                f"    状态：{cycle.get_state_display()}"
            )
        ]
    )
    ws.append([cell(h, header) for h in HEADERS])
    rows, total = export_results(cycle, detail=False)
    amount_total = 0
    done = 0
    for r in rows:
        ws.append([cell(v, boxed) for v in _summary_values(r)])
        amount_total += r.subsidy_amount or 0
        done += 1
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
    totals = [cell(None, boxed) for _ in HEADERS]
    totals[0] = cell("合计", boxed_bold)
    totals[AMOUNT_COLUMN - 1] = cell(_num(amount_total) if amount_total else 0, boxed_bold)
    ws.append(totals)
    wb.save(out)
    if progress:
        progress(done, total)
    return done


def results_xlsx(cycle: Cycle) -> bytes:
    """The summary table as bytes (for a small cycle, or a test)."""
    import io

    buffer = io.BytesIO()
    write_results_xlsx(cycle, buffer)
    return buffer.getvalue()

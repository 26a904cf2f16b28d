"""Offline scoring: a blank score workbook for a town, and reading it back filled.

One row per unit, one column per value a rule needs (items whose rule needs a list of
named failures or levels are marked 「请在网页上填写」 and left out). Reading is two-phase:
every cell is checked first, with errors naming sheet, row and column; nothing is saved
unless everything is right. The reading half is the shared pipeline's (``kit.imports``):
one ``ScoreColumn`` per column of ``columns_for``, problems located by sheet, row, column.
"""

import io
from dataclasses import dataclass, field

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assessments.policy import side_closed_reason
from assessments.sides import SIDES, Side
from kit.imports import (
    CellError,
    Column,
    Place,
    Plan,
    TableFileError,
    read_table_file,
    table_limits,
)
from kit.spreadsheets import put
from rubrics import engine

TITLE_ROWS = 3  # title, item header, max points
MAX_WORKBOOK_BYTES = 5 * 1024 * 1024
XLSX_SIGNATURE = b"PK\x03\x04"  # a zip, as every .xlsx is


NOTES_HEADER = "备注"
NOT_SUBMITTED = "未提交，不能导入审核分"


def review_note(sheet) -> str:
    """What the workbook says beside a unit whose review scores cannot be imported now: the
    sheet page's own reason (``policy.side_closed_reason``); 「未提交…」 for a unit that has
    not submitted its self-assessment."""
    reason = side_closed_reason(sheet, Side.REVIEW)
    if not reason:
        return ""
    if reason == SIDES[Side.REVIEW].waiting:
        return NOT_SUBMITTED
    return f"不能导入审核分：{reason}"


def _columns(item: engine.Item) -> tuple[tuple[str, str], ...]:
    """(input key, header suffix) of the item's kind (``RuleKind.columns``)."""
    return engine.KINDS[item.kind].columns


def columns_for(parsed: engine.Rubric) -> list[tuple]:
    """[(item, input key, header)] in sheet order."""
    out = []
    for item in parsed.items:
        for key, suffix in _columns(item):
            out.append((item, key, f"{item.number or ''} {item.title}（{suffix}）".strip()))
    return out


def blank_workbook(parsed: engine.Rubric, title: str, sheets) -> bytes:
    """``sheets``: the Assessment rows to list (one row each)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    cols = columns_for(parsed)
    put(ws, 1, 1, f"{title}（离线评分表）").font = Font(bold=True, size=14)
    ws.cell(2, 1, "编号")
    ws.cell(2, 2, "单位")
    ws.cell(3, 1, "")
    ws.cell(3, 2, "分值")
    for index, (item, _key, header) in enumerate(cols, start=3):
        put(ws, 2, index, header).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(3, index, float(item.max_points)).alignment = Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(index)].width = 14
    ws.column_dimensions["B"].width = 22
    ws.row_dimensions[2].height = 90
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF1F4")
    notes_column = 3 + len(cols)
    put(ws, 2, notes_column, NOTES_HEADER).font = Font(bold=True)
    ws.column_dimensions[get_column_letter(notes_column)].width = 28
    for row, sheet in enumerate(sheets, start=TITLE_ROWS + 1):
        ws.cell(row, 1, sheet.pk)
        put(ws, row, 2, sheet.subject_name)
        note = review_note(sheet)
        if note:
            put(ws, row, notes_column, note).font = Font(color="9C2B23")
            for column in range(1, notes_column):
                ws.cell(row, column).fill = PatternFill("solid", fgColor="EEEEEE")
    left_out = [i for i in parsed.items if not _columns(i)]
    if left_out:
        notes = wb.create_sheet("说明")
        notes.cell(1, 1, "以下项目的计分需要逐条勾选，请在网页上填写：")
        for row, item in enumerate(left_out, start=2):
            put(notes, row, 1, f"{item.number} {item.title}")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class ScoreColumn(Column):
    """One value a rule needs, in the column ``columns_for`` gives it."""

    def __init__(self, item, key: str, header: str):
        super().__init__(key, header)
        self.item = item

    def clean(self, raw, values: dict):
        text = str(raw).strip()
        if self.key == "passed":
            if text not in ("符合", "不符合"):
                raise CellError(f"应填「符合」或「不符合」，而不是「{text}」。")
            return text == "符合"
        if self.key == "ratings":
            return text.replace("，", " ").replace(",", " ").split()
        return text

    def assign(self, value, target: dict) -> None:
        target.setdefault(self.item.key, {})[self.key] = value


def score_columns(parsed: engine.Rubric) -> list[ScoreColumn]:
    return [ScoreColumn(item, key, header) for item, key, header in columns_for(parsed)]


@dataclass
class ParsedScores(Plan):
    by_sheet: dict = field(default_factory=dict)  # sheet id → {item key: input}


def read_workbook(
    content: bytes, parsed: engine.Rubric, sheet_ids: set[int], file_name: str = ""
) -> ParsedScores:
    """Read through the shared table reader (``kit.imports``), so a workbook is bounded by
    the same row, column and cell limits as every other upload, whatever it declares.
    Merged cells are not spread: a merged score belongs to its first unit only."""
    out = ParsedScores()
    if len(content) > MAX_WORKBOOK_BYTES:
        out.error(f"文件超过 {MAX_WORKBOOK_BYTES // 1024 // 1024} MB，无法导入。")
        return out
    if not content.startswith(XLSX_SIGNATURE):  # the blank workbook is an .xlsx
        out.error("无法读取该文件：它不是有效的 Excel（.xlsx）文件。")
        return out
    try:
        sheets = read_table_file(
            content,
            file_name or "评分表.xlsx",
            max_bytes=MAX_WORKBOOK_BYTES,
            limits=table_limits(),
            fill=False,
        )
    except TableFileError as exc:
        out.error(exc.message)
        return out
    if not sheets:
        out.error("无法读取该文件：其中没有工作表。")
        return out
    ws = next((s for s in sheets if s.name == "评分表"), sheets[0])
    rows = ws.rows
    cols = score_columns(parsed)
    expected = [c.header for c in cols]
    header = [c.strip() for c in (rows[1] if len(rows) > 1 else [])]
    if header[2 : 2 + len(expected)] != expected:
        out.error(f"工作表「{ws.name}」第 2 行的表头与本考核周期的评分表不一致，请重新下载空白表。")
        return out
    for r_index, row in enumerate(rows[TITLE_ROWS:], start=TITLE_ROWS + 1):
        # A row without a score is left as it was downloaded (a unit not scored yet, one
        # that has not submitted): it is not read, whatever its number and name say.
        if all(v.strip() == "" for v in row[2 : 2 + len(cols)]):
            continue
        ident = row[0].strip()
        name = row[1] if len(row) > 1 else ""
        if not ident.isdecimal() or int(ident) not in sheet_ids:
            shown = ident or "（空）"
            out.error(f"编号「{shown}」不是本考核周期本镇的考核表。", Place(ws.name, r_index, 0))
            continue
        sheet_id = int(ident)
        if sheet_id in out.by_sheet:
            out.error(f"「{name}」重复出现。", Place(ws.name, r_index))
            continue
        inputs: dict = {}
        for c_index, column in enumerate(cols, start=2):
            value = row[c_index] if c_index < len(row) else ""
            if value.strip() == "":
                continue
            try:
                column.assign(column.clean(value, inputs), inputs)
            except CellError as exc:
                out.error(exc.text, Place(ws.name, r_index, c_index), name)
        # The engine checks every value; its messages name the item.
        problems = engine.check_inputs(parsed.plan, {"items": inputs})
        for error in problems:
            out.error(error, Place(ws.name, r_index), name)
        if not problems:  # kept as the engine read them: " 2.50" is "2.5"
            out.by_sheet[sheet_id] = {k: engine.canonical_input(v) for k, v in inputs.items()}
    return out

"""The five seed documents' rubric tables as the office would send them, built in the test
run (never committed as binaries).

The text of every cell is the seed's, as the hand-encoded fixtures in fixtures/rubrics/
record it verbatim (section titles, 序号, requirement, points, rule text; the printed
column labels of each document). The layout is the Word table of the originals: the
section's cell merged down over its items, a title row above the table, a 合计 row under
it, empty 自评/考核 columns where the document has them, and rule texts of more than one
clause broken over two lines inside the cell (the reader must join them).
"""

from __future__ import annotations

import io
from pathlib import Path

import yaml

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "rubrics"
# The document and the fixture that encodes its table (常州 has two tables).
DOCUMENTS = {
    "000 湖塘镇 2014": "hutang-2014-community",
    "001 常州市 社区": "changzhou-community",
    "001 常州市 村": "changzhou-village",
    "002 如皋市 2018": "rugao-2018-town",
    "003 新建区 2021": "xinjian-2021-window",
    "004 新沂市": "xinyi-coordinator",
}
# 湖塘's table prints a 子项目 column (the items' titles); the others do not.
WITH_TITLE = {"hutang-2014-community"}
XLSX_DOCUMENT = "changzhou-community"


def fixture(code: str) -> dict:
    return yaml.safe_load((FIXTURES / f"{code}.yaml").read_text(encoding="utf-8"))


def _columns(code: str, data: dict) -> list[tuple[str, str]]:
    cols = data["columns"]
    out = [("section", cols["project"] or "项目")]
    if cols.get("number"):
        out.append(("number", cols["number"]))
    if code in WITH_TITLE:
        out.append(("title", "子项目"))
    out += [
        ("requirement", cols["requirement"]),
        ("points", cols["points"]),
        ("rule", cols["rule"]),
    ]
    for extra in ("self", "review"):
        if cols.get(extra):
            out.append((extra, cols[extra]))
    return out


def _value(section: dict, item: dict, role: str) -> str:
    return {
        "section": section["title"],
        "number": str(item.get("number") or ""),
        "title": item.get("title") or "",
        "requirement": item.get("requirement") or "",
        "points": str(item["max_points"]),
        "rule": item.get("rule_text") or "",
    }.get(role, "")


def _lines(text: str) -> list[str]:
    """A rule of two clauses or more is broken after its first clause (a multi-line cell)."""
    for mark in ("；", "，"):
        head, sep, tail = text.partition(mark)
        if sep and head and tail:
            return [head + sep, tail]
    return [text]


def docx_bytes(code: str) -> bytes:
    import docx

    data = fixture(code)
    columns = _columns(code, data)
    document = docx.Document()
    document.add_paragraph(data["title"])
    items = [(s, i) for s in data["sections"] for i in s["items"]]
    table = document.add_table(rows=len(items) + 2, cols=len(columns))
    for col, (_, label) in enumerate(columns):
        table.cell(0, col).text = label
    row = 1
    for section in data["sections"]:
        first = row
        for item in section["items"]:
            for col, (role, _) in enumerate(columns):
                if role == "section":
                    continue
                cell = table.cell(row, col)
                lines = (
                    _lines(_value(section, item, role))
                    if role == "rule"
                    else [_value(section, item, role)]
                )
                cell.text = lines[0]
                for more in lines[1:]:
                    cell.add_paragraph(more)
            row += 1
        merged = table.cell(first, 0).merge(table.cell(row - 1, 0))
        merged.text = section["title"]
    table.cell(row, 0).text = "合计"
    table.cell(row, 1).text = str(data["declared_total"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(code: str = XLSX_DOCUMENT) -> bytes:
    import openpyxl

    data = fixture(code)
    columns = _columns(code, data)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "评分表"
    sheet.append([data["title"]])
    sheet.append([label for _, label in columns])
    row = 3
    for section in data["sections"]:
        first = row
        for item in section["items"]:
            values = []
            for role, _ in columns:
                value = _value(section, item, role) if role != "section" else ""
                values.append("\n".join(_lines(value)) if role == "rule" else value)
            sheet.append(values)
            row += 1
        sheet.cell(first, 1).value = section["title"]
        if row - 1 > first:
            sheet.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
    sheet.append(["合计", str(data["declared_total"])])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pasted_text(code: str) -> str:
    """The table as copied from a PDF: one cell per line, empty cells missing, the merged
    section cell once, before its first item."""
    data = fixture(code)
    columns = _columns(code, data)
    lines = [data["title"], *[label for _, label in columns]]
    for section in data["sections"]:
        lines.append(section["title"])
        for item in section["items"]:
            for role, _ in columns:
                if role in ("section", "self", "review"):
                    continue
                value = _value(section, item, role)
                if value:
                    lines.extend(_lines(value) if role == "rule" else [value])
    lines += ["合计", str(data["declared_total"])]
    return "\n".join(lines)


def write_all(folder: Path) -> dict[str, Path]:
    """Every document's .docx (and the one .xlsx) in ``folder``; name → path."""
    paths = {}
    for code in DOCUMENTS.values():
        path = folder / f"{code}.docx"
        path.write_bytes(docx_bytes(code))
        paths[f"{code}.docx"] = path
    path = folder / f"{XLSX_DOCUMENT}.xlsx"
    path.write_bytes(xlsx_bytes())
    paths[path.name] = path
    return paths

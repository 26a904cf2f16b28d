"""Rows of cell text → the rubric's sections and items.

The header row is the first row naming both a points column (分值) and a rule column
(评分办法 / 评分标准 / 加减分依据 / 评分细则 / 考评标准). Columns are recognised by the
words the five documents print:

- section 项目 / 评估项目 / 考核项目; number 序号; title 子项目;
- requirement 目标要求 / 考核内容 / 评估标准 / 考核标准 / 目标任务;
- points 分值 / 分数 / 标准分; rule as above. Other columns (自评, 得分…) are passed over.

Below it, each row with a requirement or a rule is an item; the section is the text of the
section column (repeated on every row a merged cell spans), or, without such a column, a
row whose cells all say the same thing. Rows of 合计 / 小计 and repeated headers are
skipped. The table ends at the end of its Word table (an empty row) once items were read.
A section printing 「（15分）」 declares 15 points; a section whose title says 加分 holds
bonus items. Points are decimals; a row without readable points is a problem, listed with
its row number, and the item keeps no points (nothing is guessed).

``read_text_lines`` groups pasted lines (one cell per line, empty cells missing, a merged
section cell once) into the same rows: it needs the 序号 column to know where an item
starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

ROLES = {
    "section": ("项目", "评估项目", "考核项目", "考核类别", "类别", "项目名称"),
    "number": ("序号",),
    "title": ("子项目",),
    "requirement": ("目标要求", "考核内容", "评估标准", "考核标准", "目标任务", "工作要求"),
    "points": ("分值", "分数", "标准分", "分值(分)", "分值（分）"),
    "rule": ("评分办法", "评分标准", "加减分依据", "评分细则", "考评标准", "评分方法", "考核办法"),
}
_SKIP = ("合计", "小计", "总计", "总分")
_DECLARED = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_POINTS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*分?\s*$")
_SPACES = re.compile(r"[ \u3000\t]+")


def squeeze(text: str) -> str:
    return _SPACES.sub("", text or "").strip()


def header_roles(row: list[str]) -> dict[str, int] | None:
    roles: dict[str, int] = {}
    for index, cell in enumerate(row):
        word = squeeze(cell)
        for role, words in ROLES.items():
            if word in words and role not in roles:
                roles[role] = index
    if "points" in roles and "rule" in roles:
        return roles
    return None


def points_of(text: str) -> Decimal | None:
    match = _POINTS.match(text or "")
    if not match:
        return None
    try:
        return Decimal(match.group(1))
    except InvalidOperation:
        return None


@dataclass
class DocumentItem:
    row: int  # 1-based row of the table it came from
    number: str
    title: str
    requirement: str
    rule_text: str
    points: Decimal | None
    bonus: bool = False


@dataclass
class DocumentSection:
    title: str
    declared_points: Decimal | None
    bonus: bool = False
    items: list[DocumentItem] = field(default_factory=list)


@dataclass
class DocumentTable:
    sections: list[DocumentSection]
    problems: list[str]
    header: dict[str, str]  # role → the printed column label

    @property
    def items(self) -> list[DocumentItem]:
        return [item for section in self.sections for item in section.items]


def _section(title: str) -> DocumentSection:
    match = _DECLARED.search(title)
    declared = Decimal(match.group(1)) if match else None
    return DocumentSection(title, declared, bonus="加分" in title)


def read_rows(rows: list[list[str]]) -> DocumentTable:
    start = None
    roles: dict[str, int] = {}
    for index, row in enumerate(rows):
        found = header_roles(row)
        if found:
            start, roles = index, found
            break
    if start is None:
        return DocumentTable(
            [],
            [
                "没有找到评分表的表头：须有「分值」一栏和「评分办法」（或评分标准、加减分依据、评分细则）一栏。"
            ],
            {},
        )
    header = {role: squeeze(rows[start][col]) for role, col in roles.items()}
    sections: list[DocumentSection] = []
    problems: list[str] = []

    def cell(row: list[str], role: str) -> str:
        col = roles.get(role)
        return (row[col] if col is not None and col < len(row) else "").strip()

    for index in range(start + 1, len(rows)):
        row = rows[index]
        number_row = index + 1
        if not row:
            if sections and any(s.items for s in sections):
                break
            continue
        if not any(c.strip() for c in row):
            continue
        if header_roles(row):
            continue
        first = squeeze(cell(row, "section") or cell(row, "number") or row[0])
        if any(first.startswith(word) for word in _SKIP):
            continue
        distinct = {c.strip() for c in row if c.strip()}
        section_title = cell(row, "section")
        if "section" not in roles and len(distinct) == 1:
            sections.append(_section(distinct.pop()))
            continue
        requirement = cell(row, "requirement")
        rule = cell(row, "rule")
        if section_title and (not sections or sections[-1].title != section_title):
            sections.append(_section(section_title))
        if not requirement and not rule and not cell(row, "title"):
            continue
        if not sections:
            sections.append(DocumentSection("", None))
        section = sections[-1]
        points_text = cell(row, "points")
        points = points_of(points_text)
        label = cell(row, "title") or requirement or rule
        if points is None:
            shown = f"「{points_text}」" if points_text else "空白"
            problems.append(
                f"第 {number_row} 行「{label[:20]}」的分值{shown}，不是数字；请在下一步填写。"
            )
        section.items.append(
            DocumentItem(
                row=number_row,
                number=squeeze(cell(row, "number")),
                title=cell(row, "title") or requirement or rule,
                requirement=requirement,
                rule_text=rule,
                points=points,
                bonus=section.bonus,
            )
        )
    if not any(s.items for s in sections):
        problems.append("表头下面没有读到任何考核项。")
    return DocumentTable([s for s in sections if s.items], problems, header)


_HEADER_WORDS = {w for words in ROLES.values() for w in words} | {
    "自评",
    "自评得分",
    "考核",
    "得分",
    "评估得分",
    "考核得分",
    "备注",
}
_NUMBER = re.compile(r"^\d{1,3}$")
_SECTION_LINE = re.compile(
    r"^([一二三四五六七八九十]+[、.．]|\d+、).*|.*[（(]\d+分[)）]$|^(加分项目?|扣分项目?)$"
)


def read_text_lines(lines: list[str]) -> DocumentTable:
    """Pasted lines → rows: the header is a run of header words; an item starts at a
    序号 line and reads its requirement (lines up to the points line), its points, then
    its rule (lines up to the next 序号 or section line)."""
    start = None
    for index, line in enumerate(lines):
        if squeeze(line) in _HEADER_WORDS:
            run = index
            while run < len(lines) and squeeze(lines[run]) in _HEADER_WORDS:
                run += 1
            header = [squeeze(x) for x in lines[index:run]]
            if header_roles(header) and "number" in header_roles(header):
                start = (index, run, header)
                break
    if start is None:
        return DocumentTable(
            [], ["粘贴的内容里没有找到含「序号」「分值」「评分办法」的表头（每个单元格一行）。"], {}
        )
    _, run, header = start
    roles = header_roles(header) or {}
    width = len(header)
    rows: list[list[str]] = [header]
    section = ""
    current: dict[str, list[str]] | None = None
    stage = ""

    def flush():
        if current is None:
            return
        row = [""] * width
        row[roles["number"]] = "".join(current["number"])
        if "section" in roles:
            row[roles["section"]] = section_of_current
        for role in ("title", "requirement", "rule"):
            if role in roles:
                row[roles[role]] = "".join(current[role])
        row[roles["points"]] = "".join(current["points"])
        if "requirement" not in roles and "title" in roles:
            pass
        rows.append(row)

    section_of_current = ""
    for line in lines[run:]:
        text = line.strip()
        if any(squeeze(text).startswith(w) for w in _SKIP):
            flush()
            current = None
            continue
        if _NUMBER.match(text) and (current is None or stage in ("rule", "points_done")):
            flush()
            current = {"number": [text], "title": [], "requirement": [], "points": [], "rule": []}
            section_of_current = section
            stage = "title" if "title" in roles else "requirement"
            continue
        if (
            "section" in roles
            and _SECTION_LINE.match(text)
            and (current is None or stage == "rule")
        ):
            flush()
            current = None
            section = text
            continue
        if current is None:
            continue
        if stage in ("title", "requirement") and points_of(text) is not None:
            current["points"].append(text)
            stage = "rule"
            continue
        if stage == "title":
            current["title"].append(text)
            stage = "requirement"
            continue
        current[stage].append(text)
    flush()
    return read_rows(rows)

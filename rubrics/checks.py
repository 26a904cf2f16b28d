"""The arithmetic and authoring checks of a stored rubric, row by row, for live checking.

Each problem is ``{"row", "level", "message"}``: ``row`` is ``section:<key>``,
``item:<key>`` or ``rubric`` (the rubric as a whole), as the editor's rows carry it in
``data-row``; ``level`` is ``error`` (the rubric cannot be scored or graded as it is) or
``warning`` (it can, but the document or a setting disagrees with itself). The checks are
the engine's (``engine.check``); a rubric the engine cannot load at all gives the loader's
messages, placed on the row each names.
"""

from __future__ import annotations

import re

from rubrics import engine
from rubrics.convert import engine_rubric
from rubrics.models import Rubric

RUBRIC_ROW = "rubric"
_ITEM_PLACE = re.compile(r"^第 (\d+) 部分第 (\d+) 项")
_SECTION_PLACE = re.compile(r"^第 (\d+) 部分")
_FILE_KEY = re.compile(r"（[A-Za-z_]+）")  # 「等次（grades）」: the file format's own key
_PARAM = re.compile(r"参数「([A-Za-z_]+)」")
NO_BANDS = "等次（grades）应为非空列表"


def rubric_checks(rubric: Rubric) -> list[dict]:
    """Every problem of ``rubric`` as stored now (never the cached frozen reading)."""
    try:
        parsed = engine_rubric(rubric)
    except engine.RubricFormatError as exc:
        return _format_problems(rubric, exc.errors)
    return [{"row": f.row, "level": f.level, "message": f.message} for f in engine.check(parsed)]


def blocking(problems: list[dict]) -> list[dict]:
    """The problems that make scoring or grading impossible."""
    return [p for p in problems if p["level"] == "error"]


def _format_problems(rubric: Rubric, errors: list[str]) -> list[dict]:
    """The loader's messages in the page's words, each on the row it names."""
    sections = list(rubric.sections.prefetch_related("items"))
    out = []
    for error in errors:
        if error == NO_BANDS:
            message = (
                "没有设置等次分数线：无法评定等次，"
                f"所有单位都将评为「{rubric.fallback_grade}」，请至少设置一个等次"
            )
            out.append({"row": RUBRIC_ROW, "level": "error", "message": message})
            continue
        row, item = _row_of(error, sections)
        out.append({"row": row, "level": "error", "message": _plain(error, item)})
    return out


def _row_of(message: str, sections):
    """The row a loader message names by place (第 2 部分第 3 项, counted from 1), and the
    item if it names one."""
    found = _ITEM_PLACE.match(message)
    if found:
        s_index, i_index = int(found[1]), int(found[2])
        if s_index <= len(sections):
            items = list(sections[s_index - 1].items.all())
            if i_index <= len(items):
                item = items[i_index - 1]
                return f"item:{item.key}", item
    found = _SECTION_PLACE.match(message)
    if found and int(found[1]) <= len(sections):
        return f"section:{sections[int(found[1]) - 1].key}", None
    return RUBRIC_ROW, None


def _plain(message: str, item) -> str:
    """A parameter named by its Chinese label (参数「分档」, not 「brackets」); the file
    format's keys in brackets left out."""
    kind = engine.KINDS.get(item.kind) if item is not None else None
    if kind is not None:
        labels = {p.name: p.label for p in kind.params}
        message = _PARAM.sub(lambda m: f"参数「{labels.get(m[1], m[1])}」", message)
    return _FILE_KEY.sub("", message)

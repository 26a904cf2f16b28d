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
    sections = list(rubric.sections.prefetch_related("items"))
    out = []
    for error in errors:
        out.append({"row": _row_of(error, sections), "level": "error", "message": error})
    return out


def _row_of(message: str, sections) -> str:
    """The row a loader message names by place (第 2 部分第 3 项), counted from 1."""
    found = _ITEM_PLACE.match(message)
    if found:
        s_index, i_index = int(found[1]), int(found[2])
        if s_index <= len(sections):
            items = list(sections[s_index - 1].items.all())
            if i_index <= len(items):
                return f"item:{items[i_index - 1].key}"
    found = _SECTION_PLACE.match(message)
    if found and int(found[1]) <= len(sections):
        return f"section:{sections[int(found[1]) - 1].key}"
    return RUBRIC_ROW

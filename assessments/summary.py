"""The summary of a result version: what the results page's panels show, gathered while
the results are computed and stored in ``ResultVersion.summary``, so the page reads one row
instead of every result.

The summary is kept in cells, one per town and grade, each additive: a count, the sums of
the section subtotals, of the bonus and of the penalties, and the largest self-vs-review
gaps. Any view of the results that filters by town and grade (the whole cycle, a town
reviewer's towns, one town, one grade) adds up the cells it covers.

Stored shape (decimals as text)::

    {"count": 20000, "sections": [[title, items_max], …], "bonus_max": "3" or null,
     "penalties": true, "cells": [{"town": "…", "grade": "优秀", "count": 31,
     "sections": ["1234.5", …], "bonus": "12", "penalties": "4",
     "gaps": [[name, self total, review total], …]}, …]}
"""

from __future__ import annotations

from decimal import Decimal

from rubrics.engine.rounding import round_points

GAPS_SHOWN = 10  # the largest self-vs-review gaps the page lists
ZERO = Decimal(0)


def _dec(value) -> Decimal:
    """Stored results keep decimals as strings; absent values count as 0."""
    return Decimal(str(value)) if value not in (None, "") else ZERO


def self_total(parsed, detail: dict) -> tuple[Decimal, Decimal] | None:
    """(self total, review total) of a stored result: the first phase with self scores,
    the self total worked out as the engine totals a sheet (base items, the bonus within
    its cap, minus penalties, never below 0); None without self scores."""
    from assessments.sides import Side

    entries = parsed.plan.entries_by_key
    selfs = detail.get(Side.SELF, {})
    for phase, data in detail.get("phases", {}).items():
        own = selfs.get(phase)
        if not own:
            continue
        base = bonus = penalties = ZERO
        for key, value in own.items():
            entry = entries.get(key)
            if entry is None:
                continue
            if entry.is_base:
                base += _dec(value)
            elif entry.item.bonus:
                bonus += _dec(value)
            else:
                penalties += _dec(value)
        cap = parsed.plan.bonus_cap
        if cap is not None and bonus > cap:
            bonus = cap
        return max(base + bonus - penalties, ZERO), _dec(data.get("total"))
    return None


class _Cell:
    __slots__ = ("town", "grade", "count", "sections", "bonus", "penalties", "gaps")

    def __init__(self, town: str, grade: str, n_sections: int):
        self.town, self.grade = town, grade
        self.count = 0
        self.sections = [ZERO] * n_sections
        self.bonus = ZERO
        self.penalties = ZERO
        self.gaps: list = []  # (−|gap|, order, name, self, review), the largest kept

    def data(self) -> dict:
        return {
            "town": self.town,
            "grade": self.grade,
            "count": self.count,
            "sections": [str(x) for x in self.sections],
            "bonus": str(self.bonus),
            "penalties": str(self.penalties),
            "gaps": [[name, str(s), str(r), order] for _g, order, name, s, r in self.gaps],
        }


class SummaryBuilder:
    """Fed each stored result in ranking order; ``data()`` is the version's summary."""

    def __init__(self, parsed):
        self.parsed = parsed
        self.sections: list | None = None
        self.cells: dict[tuple, _Cell] = {}
        self.count = 0
        items = parsed.items
        self.has_bonus = any(i.bonus for i in items)
        self.has_penalties = any(i.penalty for i in items)
        if parsed.plan.bonus_cap is not None:
            self.bonus_max = parsed.plan.bonus_cap
        else:
            self.bonus_max = sum((i.max_points for i in items if i.bonus), ZERO)

    def add(self, result, name: str) -> None:
        phases = result.detail.get("phases", {})
        first = next(iter(phases.values()), {})
        sections = first.get("sections", [])
        if self.sections is None:
            self.sections = [[s["title"], str(_dec(s.get("items_max")))] for s in sections]
        key = (result.town_name, result.grade)
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = _Cell(result.town_name, result.grade, len(self.sections))
        self.count += 1
        cell.count += 1
        for i, section in enumerate(sections[: len(cell.sections)]):
            cell.sections[i] += _dec(section.get("subtotal"))
        cell.bonus += _dec(result.bonus)
        cell.penalties += _dec(result.penalties)
        totals = self_total(self.parsed, result.detail)
        if totals is not None:
            own, review = totals
            cell.gaps.append((-abs(own - review), self.count, name, own, review))
            if len(cell.gaps) > 4 * GAPS_SHOWN:
                cell.gaps = sorted(cell.gaps)[:GAPS_SHOWN]

    def grade_counts(self) -> dict:
        counts: dict[str, int] = {}
        for (_town, grade), cell in self.cells.items():
            counts[grade] = counts.get(grade, 0) + cell.count
        return counts

    def data(self) -> dict:
        for cell in self.cells.values():
            cell.gaps = sorted(cell.gaps)[:GAPS_SHOWN]
        return {
            "count": self.count,
            "sections": self.sections or [],
            "bonus_max": str(self.bonus_max) if self.has_bonus else None,
            "penalties": self.has_penalties,
            "cells": [cell.data() for cell in self.cells.values()],
        }


def towns(summary: dict, visible=None) -> list[str]:
    """The towns of the results, sorted; within ``visible`` (a set of names) when given."""
    names = {c["town"] for c in summary.get("cells", []) if c["town"]}
    if visible is not None:
        names &= visible
    return sorted(names)


def panels(summary: dict, *, towns=None, town: str = "", grade: str = "") -> dict:
    """The panels of the results within ``towns`` (a set of names; None: all), filtered by
    one town and one grade: {"count", "distribution", "section_averages", "gaps",
    "grades"}; ``grades`` are the grades within ``towns`` before the filters."""
    cells = [c for c in summary.get("cells", []) if towns is None or c["town"] in towns]
    by_grade: dict[str, int] = {}
    for c in cells:
        by_grade[c["grade"]] = by_grade.get(c["grade"], 0) + c["count"]
    grades = [g for g, _n in sorted(by_grade.items(), key=lambda kv: -kv[1])]
    chosen = [
        c for c in cells if (not town or c["town"] == town) and (not grade or c["grade"] == grade)
    ]
    count = sum(c["count"] for c in chosen)
    distribution: dict[str, int] = {}
    for c in chosen:
        distribution[c["grade"]] = distribution.get(c["grade"], 0) + c["count"]
    averages = []
    if count:
        for i, (title, top) in enumerate(summary.get("sections", [])):
            total = sum((_dec(c["sections"][i]) for c in chosen), ZERO)
            averages.append((title, round_points(total / count, 2), _dec(top)))
        if summary.get("bonus_max") is not None:
            bonus = sum((_dec(c["bonus"]) for c in chosen), ZERO)
            averages.append(("加分", round_points(bonus / count, 2), _dec(summary["bonus_max"])))
        if summary.get("penalties"):
            penalties = sum((_dec(c["penalties"]) for c in chosen), ZERO)
            averages.append(("扣分", round_points(penalties / count, 2), None))
    gaps = sorted(
        ((-abs(_dec(s) - _dec(r)), order, name, _dec(s), _dec(r)))
        for c in chosen
        for name, s, r, order in c["gaps"]
    )[:GAPS_SHOWN]
    return {
        "count": count,
        "distribution": sorted(distribution.items(), key=lambda kv: -kv[1]),
        "section_averages": averages,
        "gaps": [(name, s, r) for _g, _o, name, s, r in gaps],
        "grades": grades,
    }


def summarise_rows(parsed, results) -> dict:
    """The summary of some stored results (those of a user who sees only a few units)."""
    from assessments.selectors import subject_name

    builder = SummaryBuilder(parsed)
    for r in results:
        builder.add(r, subject_name(r))
    return builder.data()

"""Year over year: a unit's results in every cycle it was in, a town's units across cycles,
and a cycle against the one before it. Reads only.

A unit's history is one stored result per cycle (the current version), of the unit-scored
cycles whose results the person may see (``policy.results_visible``) and whose review has
begun; section scores come from the result's stored detail. Sections are put side by side
where the cycles' rubrics are versions of one another (one code), matched along the versions
by ``rubrics.version_match``.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from assessments.models import Cycle, Result
from assessments.policy import results_visible
from kit.formatting import plain
from org.models import Unit
from org.scope import scope_for
from rubrics.engine.rounding import round_points
from rubrics.models import GradeBand, Item, Rubric
from rubrics.version_match import match_items, side_by_side

# Cycles still in self-assessment have no review scores: their results say nothing yet.
HISTORY_STATES = (Cycle.State.REVIEW, Cycle.State.FINALISED, Cycle.State.PUBLISHED)
CHANGES_SHOWN = 3  # sections and items named under 「变化最大」


def _dec(value) -> Decimal | None:
    return Decimal(str(value)) if value not in (None, "") else None


def _signed(delta: Decimal) -> str:
    return ("+" if delta > 0 else "") + plain(delta)


@dataclass(frozen=True)
class Move:
    """A change between two cycles as the pages show it: ↑ up, ↓ down, → the same."""

    change: int | Decimal | None  # positive: better (a rank moved up, a total rose)

    @property
    def up(self) -> bool:
        return self.change is not None and self.change > 0

    @property
    def down(self) -> bool:
        return self.change is not None and self.change < 0

    @property
    def same(self) -> bool:
        return self.change == 0

    @property
    def size(self) -> str:
        return plain(abs(self.change)) if self.change is not None else ""

    @property
    def signed(self) -> str:
        return _signed(self.change) if self.change is not None else ""


def history_results(user):
    """The current unit results of the cycles whose results the user may see, reviewed or
    later, with the number of subjects ranked in their cycle."""
    ranked = (
        Result.objects.filter(cycle=OuterRef("cycle"))
        .order_by()
        .values("cycle")
        .annotate(n=Count("id"))
        .values("n")
    )
    qs = Result.objects.filter(
        coordinator__isnull=True,
        cycle__rubric__subject="unit",
        cycle__state__in=HISTORY_STATES,
    )
    return results_visible(scope_for(user), qs).annotate(ranked=Subquery(ranked[:1]))


def cycle_labels(cycles) -> dict[int, str]:
    """{cycle id: a short label}: the year, and where two cycles share a year, what their
    titles say before it (「2015 常州市」)."""
    per_year = defaultdict(list)
    for c in cycles:
        per_year[c.year].append(c)
    out = {}
    for year, group in per_year.items():
        for c in group:
            if len(group) == 1:
                out[c.pk] = str(year)
            else:
                before = c.title.split(str(year))[0].strip() or c.title[:6]
                out[c.pk] = f"{year} {before}"
    return out


@dataclass
class Levels:
    """The grades of a rubric from the highest (0) down; a grade it does not name is lowest."""

    order: list[str]

    def of(self, grade: str) -> int:
        return self.order.index(grade) if grade in self.order else len(self.order)

    def move(self, before: str, after: str) -> int:
        """+1 per grade moved up, −1 per grade moved down."""
        return self.of(before) - self.of(after)


def grade_levels(rubric: Rubric) -> Levels:
    bands = GradeBand.objects.filter(rubric=rubric).order_by("order", "-min_score")
    order = [b.label for b in bands]
    for label in (rubric.fallback_grade, rubric.veto_grade):
        if label and label not in order:
            order.append(label)
    return Levels(order)


# ---------------------------------------------------------------- one unit


@dataclass
class YearRow:
    cycle: Cycle
    label: str
    total: Decimal
    grade: str
    rank: int
    ranked: int
    published: bool
    flags: list
    sections: list  # [{"title", "subtotal", "items_max"}] of the result's last phase
    scores: dict  # {item key: score} of that phase
    total_change: Decimal | None = None  # against the row before
    rank_change: int | None = None  # positive: moved up
    grade_move: int | None = None  # +1 per grade up

    @property
    def moves(self) -> dict:
        return {
            "total": Move(self.total_change),
            "rank": Move(self.rank_change),
            "grade": Move(self.grade_move),
        }


@dataclass
class SectionTable:
    """One rubric's versions side by side: a row per section, a column per cycle."""

    title: str
    labels: list[str]
    rows: list  # (section title, [cell or None per cycle]), cell = (subtotal, items max)


@dataclass
class UnitHistory:
    unit: Unit
    rows: list[YearRow]
    tables: list[SectionTable] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # what changed most, in words
    compared: tuple[str, str] | None = None  # the two cycles the changes are between

    @property
    def chart_points(self) -> int:
        return len(self.rows)


def unit_history(user, unit: Unit, *, sections: bool = True) -> UnitHistory:
    results = list(
        history_results(user)
        .filter(unit=unit)
        .select_related("cycle__rubric")
        .order_by("cycle__year", "cycle_id")
    )
    labels = cycle_labels([r.cycle for r in results])
    rows = []
    for r in results:
        phases = r.detail.get("phases", {})
        last = list(phases.values())[-1] if phases else {}
        rows.append(
            YearRow(
                cycle=r.cycle,
                label=labels[r.cycle_id],
                total=r.total,
                grade=r.grade,
                rank=r.rank,
                ranked=r.ranked or 0,
                published=r.cycle.state == Cycle.State.PUBLISHED,
                flags=list(r.flags),
                sections=last.get("sections", []),
                scores=last.get("scores", {}),
            )
        )
    levels = {}
    for before, after in zip(rows, rows[1:], strict=False):
        rubric = after.cycle.rubric
        if rubric.pk not in levels:
            levels[rubric.pk] = grade_levels(rubric)
        after.total_change = after.total - before.total
        after.rank_change = before.rank - after.rank
        after.grade_move = levels[rubric.pk].move(before.grade, after.grade)
    history = UnitHistory(unit, rows)
    if sections:
        _add_sections(history)
    _add_changes(history)
    return history


def _families(rows: list[YearRow]) -> dict[str, list[YearRow]]:
    """The rows per rubric code (versions of one rubric), in cycle order."""
    out: dict[str, list[YearRow]] = {}
    for row in rows:
        out.setdefault(row.cycle.rubric.code, []).append(row)
    return out


def _add_sections(history: UnitHistory) -> None:
    for rows in _families(history.rows).values():
        if len(rows) < 2:
            continue
        titles = [[s["title"] for s in row.sections] for row in rows]
        table_rows = []
        for indices in side_by_side(titles):
            title = next(
                rows[v].sections[i]["title"]
                for v in range(len(rows) - 1, -1, -1)
                if (i := indices[v]) is not None
            )
            cells = [
                (
                    (_dec(rows[v].sections[i]["subtotal"]), _dec(rows[v].sections[i]["items_max"]))
                    if (i := indices[v]) is not None
                    else None
                )
                for v in range(len(rows))
            ]
            table_rows.append((title, cells))
        rubric = rows[-1].cycle.rubric
        history.tables.append(SectionTable(rubric.title, [r.label for r in rows], table_rows))


def _item_meta(rubric_id: int) -> list[tuple]:
    return list(
        Item.objects.filter(rubric_id=rubric_id)
        .order_by("section__order", "order", "id")
        .values_list("key", "number", "title", "max_points")
    )


def _add_changes(history: UnitHistory) -> None:
    """What changed most between the unit's last two cycles: total, rank and grade, and
    where their rubrics are versions of one another the sections and items that moved most."""
    if len(history.rows) < 2:
        return
    before, after = history.rows[-2], history.rows[-1]
    history.compared = (before.label, after.label)
    words = [
        f"总分 {plain(before.total)} → {plain(after.total)}（{_signed(after.total_change)} 分）；"
        f"名次 第 {before.rank} → 第 {after.rank} 名"
        + (
            f"（{'上升' if after.rank_change > 0 else '下降'} {abs(after.rank_change)} 位）"
            if after.rank_change
            else "（不变）"
        )
        + "；"
        + (
            f"等次 {before.grade} → {after.grade}（{'升' if after.grade_move > 0 else '降'}"
            f" {abs(after.grade_move)} 等）。"
            if after.grade_move
            else f"等次仍为{after.grade}。"
        )
    ]
    # Sections and items: against the unit's latest earlier cycle on a version of this
    # cycle's rubric, which need not be the cycle just before.
    code = after.cycle.rubric.code
    peer = next((r for r in reversed(history.rows[:-1]) if r.cycle.rubric.code == code), None)
    if peer is None:
        words.append("此前没有使用同一评分标准（或其版本）的周期，不逐项比较。")
        history.changes = words
        return
    if peer is not before:
        words.append(f"以下各项与同一评分标准的 {peer.label} 相比：")
    before = peer
    titles = [[s["title"] for s in row.sections] for row in (before, after)]
    moved = []
    for i, j in side_by_side(titles):
        if i is None or j is None:
            continue
        old, new = _dec(before.sections[i]["subtotal"]), _dec(after.sections[j]["subtotal"])
        if old is not None and new is not None and new != old:
            moved.append((abs(new - old), after.sections[j]["title"], old, new))
    moved.sort(key=lambda m: -m[0])
    for _size, title, old, new in moved[:CHANGES_SHOWN]:
        words.append(f"「{title}」{plain(old)} → {plain(new)} 分（{_signed(new - old)}）")
    early, late = _item_meta(before.cycle.rubric_id), _item_meta(after.cycle.rubric_id)
    early_by_key = {m[0]: m for m in early}
    pairs = match_items([(m[0], m[2]) for m in early], [(m[0], m[2]) for m in late])
    items = []
    for key, number, title, top in late:
        was = pairs.get(key)
        if was is None:
            continue
        old, new = _dec(before.scores.get(was)), _dec(after.scores.get(key))
        if old is None or new is None or old == new:
            continue
        note = ""
        if early_by_key[was][3] != top:
            note = f"，分值 {plain(early_by_key[was][3])} → {plain(top)}"
        items.append((abs(new - old), f"第 {number} 项「{title}」", old, new, note))
    items.sort(key=lambda m: -m[0])
    for _size, name, old, new, note in items[:CHANGES_SHOWN]:
        words.append(f"{name}{plain(old)} → {plain(new)} 分（{_signed(new - old)}{note}）")
    history.changes = words


# ---------------------------------------------------------------- a town's units


@dataclass
class TownCell:
    total: Decimal
    grade: str
    rank: int
    rank_change: int | None = None  # against the unit's previous cycle shown; + is up
    grade_move: int | None = None

    @property
    def moves(self) -> dict:
        return {"rank": Move(self.rank_change), "grade": Move(self.grade_move)}


@dataclass
class TownHistory:
    town: Unit
    labels: list[str]
    cycles: list[Cycle]
    rows: list  # (unit, [TownCell or None per cycle])
    means: list  # mean total per cycle (None where no unit of the town was scored)
    counts: list  # units scored per cycle


def town_history(user, town: Unit) -> TownHistory:
    """The town's communities and villages the user may see, across the cycles they were
    scored in: one query for the results (without their detail), bounded by the town."""
    results = list(
        history_results(user)
        .filter(unit__parent=town, unit__kind__in=Unit.GRASSROOTS_KINDS)
        .select_related("cycle__rubric", "unit")
        .defer("detail")
        .order_by("cycle__year", "cycle_id")
    )
    cycles = list({r.cycle_id: r.cycle for r in results}.values())
    column = {c.pk: k for k, c in enumerate(cycles)}
    units: dict[int, Unit] = {}
    cells: dict[int, list] = {}
    for r in results:
        units.setdefault(r.unit_id, r.unit)
        cells.setdefault(r.unit_id, [None] * len(cycles))[column[r.cycle_id]] = TownCell(
            r.total, r.grade, r.rank
        )
    levels = {c.rubric_id: grade_levels(c.rubric) for c in cycles}
    for unit_cells in cells.values():
        previous = None
        for k, cell in enumerate(unit_cells):
            if cell is None:
                continue
            if previous is not None:
                cell.rank_change = previous.rank - cell.rank
                cell.grade_move = levels[cycles[k].rubric_id].move(previous.grade, cell.grade)
            previous = cell
    ordered = sorted(units.values(), key=lambda u: (u.sort_order, u.name))
    rows = [(u, cells[u.pk]) for u in ordered]
    means, counts = [], []
    for k in range(len(cycles)):
        scored = [row[k].total for _u, row in rows if row[k] is not None]
        counts.append(len(scored))
        means.append(round_points(sum(scored) / len(scored), 2) if scored else None)
    labels = cycle_labels(cycles)
    return TownHistory(town, [labels[c.pk] for c in cycles], cycles, rows, means, counts)


# ---------------------------------------------------------------- against the previous cycle


def scores_units(cycle: Cycle) -> bool:
    """The cycle scores units (not coordinators): the only kind compared across cycles."""
    return cycle.rubric.subject == "unit"


def previous_cycle(cycle: Cycle) -> Cycle | None:
    """The latest cycle of an earlier year scoring the same kind of subject that has results
    for at least one of this cycle's units, its review begun."""
    units = Result.objects.filter(cycle=cycle).values("unit_id")
    shared = Result.objects.filter(cycle=OuterRef("pk"), unit_id__in=units)
    return (
        Cycle.objects.filter(
            year__lt=cycle.year,
            rubric__subject=cycle.rubric.subject,
            state__in=HISTORY_STATES,
        )
        .filter(Exists(shared))
        .select_related("rubric")
        .order_by("-year", "-id")
        .first()
    )


def comparable(previous: Cycle, cycle: Cycle) -> bool:
    """The same rubric, or versions of one rubric (one code)."""
    return previous.rubric.code == cycle.rubric.code


MOVES = {
    "changed": Q(level__lt=F("prev_level")) | Q(level__gt=F("prev_level")),
    "up": Q(level__lt=F("prev_level")),
    "down": Q(level__gt=F("prev_level")),
    "same": Q(level=F("prev_level")),
    "all": Q(),
}


def _level_case(field_name: str, levels: Levels) -> Case:
    return Case(
        *[When(**{field_name: label}, then=Value(i)) for i, label in enumerate(levels.order)],
        default=Value(len(levels.order)),
        output_field=IntegerField(),
    )


def compared_rows(results, previous: Cycle, levels: Levels):
    """``results`` (this cycle's, as the user may see them) with the previous cycle's grade,
    rank and total of the same unit and both grades' levels, only units in both cycles;
    ordered by this cycle's rank. Sliced by the page in SQL."""
    before = Result.objects.filter(
        cycle=previous, unit=OuterRef("unit"), coordinator__isnull=True
    ).order_by()
    return (
        results.filter(coordinator__isnull=True)
        .defer("detail")
        .annotate(
            prev_grade=Subquery(before.values("grade")[:1]),
            prev_rank=Subquery(before.values("rank")[:1]),
            prev_total=Subquery(before.values("total")[:1]),
        )
        .filter(prev_grade__isnull=False)
        .annotate(level=_level_case("grade", levels), prev_level=_level_case("prev_grade", levels))
        .order_by("rank", "unit__name", "id")
    )


def move_counts(rows) -> dict:
    """How many units moved up a grade, down, stayed: one query."""
    return rows.order_by().aggregate(
        up=Count("id", filter=MOVES["up"]),
        down=Count("id", filter=MOVES["down"]),
        same=Count("id", filter=MOVES["same"]),
    )


def only_in_one(results, before) -> tuple[int, int]:
    """(units of this cycle the previous one did not score, units of the previous cycle this
    one does not score): ``results`` and ``before`` are the two cycles' results as the user
    may see them."""
    now = results.filter(coordinator__isnull=True)
    before = before.filter(coordinator__isnull=True)
    new = now.exclude(unit_id__in=before.values("unit_id")).count()
    return new, before.exclude(unit_id__in=now.values("unit_id")).count()

"""Reads of the assessment work that take more than one line."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
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
from django.db.models.functions import Coalesce, Collate, Concat

from assessments.change_text import change_values
from assessments.models import Assessment, Change, Cycle, ItemScore, Result, ResultVersion
from assessments.policy import may_administer
from kit import formatting
from org.roles import Role
from org.scope import scope_for
from rubrics.models import Item


def visible_cycles(user):
    qs = Cycle.objects.select_related("rubric")
    if may_administer(scope_for(user)):
        return qs
    return qs.exclude(state=Cycle.State.DRAFT)


def visible_sheets(user, cycle: Cycle):
    scope = scope_for(user)
    qs = cycle.assessments.select_related("unit__parent", "coordinator")
    if not scope.all_units:
        qs = qs.filter(unit_id__in=scope.unit_ids)
    return qs


# The sheets of a cycle in page order (town, unit, phase); the id keeps pages stable.
SHEET_ORDER = ("unit__parent__sort_order", "unit__sort_order", "unit_id", "phase", "id")


def filter_sheets(sheets, *, town=None, state="", name=""):
    """``sheets`` (a queryset) narrowed by the list filters, in page order."""
    if town:
        sheets = sheets.filter(unit__parent_id=town)
    if state:
        sheets = sheets.filter(state=state)
    if name:
        sheets = sheets.filter(Q(unit__name__contains=name) | Q(coordinator__name__contains=name))
    return sheets.order_by(*SHEET_ORDER)


def sheet_list(user, cycle: Cycle, **filters):
    """The sheets of the cycle page: the user's, filtered, with their side totals (fetched
    for the rows of one page when the page is read)."""
    return filter_sheets(visible_sheets(user, cycle), **filters).prefetch_related("totals")


def progress_towns(progress: list[dict]) -> list[dict]:
    """The towns of ``cycle_progress`` as {id, name}, for the town filter."""
    return [
        {"id": p["unit__parent_id"], "name": p["unit__parent__name"]}
        for p in progress
        if p["unit__parent_id"]
    ]


def cycle_progress(user, cycle: Cycle) -> list[dict]:
    """Per town (the sheets' units' parent), one GROUP BY: how many sheets there are and how
    many are not started (填报中 with no saved item score), filling (填报中 with some),
    submitted, returned and reviewed (已审核 or 已定稿)."""
    draft = Q(state=Assessment.State.DRAFT)
    counts = (
        visible_sheets(user, cycle)
        .annotate(scored=Exists(ItemScore.objects.filter(assessment=OuterRef("pk"))))
        .values("unit__parent__name", "unit__parent_id")
        .annotate(
            total=Count("id"),
            not_started=Count("id", filter=draft & Q(scored=False)),
            filling=Count("id", filter=draft & Q(scored=True)),
            submitted=Count("id", filter=Q(state=Assessment.State.SUBMITTED)),
            returned=Count("id", filter=Q(state=Assessment.State.RETURNED)),
            reviewed=Count(
                "id", filter=Q(state__in=[Assessment.State.REVIEWED, Assessment.State.FINALISED])
            ),
        )
        .order_by("unit__parent__sort_order", "unit__parent_id")
    )
    return list(counts)


# The stacked bars of the cycle page: (key of ``cycle_progress``, label), in workflow order.
PROGRESS_STATES = (
    ("not_started", "未开始"),
    ("filling", "填报中"),
    ("submitted", "已提交"),
    ("returned", "已退回"),
    ("reviewed", "已审核"),
)


def progress_chart(progress: list[dict]):
    """The per-town progress as stacked bars (one series per state), with its table."""
    from kit.charts import stacked_bar_chart

    return stacked_bar_chart(
        "cycle-progress",
        "各镇考核表进度",
        [p["unit__parent__name"] or "—" for p in progress],
        [(label, [p[key] for p in progress]) for key, label in PROGRESS_STATES],
        value_name="张",
        total_label="合计",
    )


def sheet_scores(sheet: Assessment) -> dict:
    """{item key: {side: ItemScore}} for one sheet, one query."""
    out: dict = {}
    for s in sheet.scores.select_related("item"):
        out.setdefault(s.item.key, {})[s.side] = s
    return out


def sheet_totals(sheet: Assessment) -> dict:
    """{side: total} for one sheet, one query."""
    return dict(sheet.totals.values_list("side", "total"))


def grid_scores(sheets, item) -> dict:
    """{sheet id: {side: ItemScore}} for one item over many sheets."""
    out: dict = {}
    for s in ItemScore.objects.filter(assessment__in=sheets, item=item):
        out.setdefault(s.assessment_id, {})[s.side] = s
    return out


def changes_for(sheet: Assessment):
    return sheet.changes.select_related("user", "item").order_by("-at", "-id")


@dataclass(frozen=True)
class HistoryRow:
    """One change as the history page shows it: inputs in words (``change_text``)."""

    change: Change
    old: str
    new: str


def sheet_history(sheet: Assessment, limit: int = 500) -> list[HistoryRow]:
    rows = []
    for c in changes_for(sheet)[:limit]:
        old, new = change_values(c)
        rows.append(HistoryRow(c, old, new))
    return rows


def results_for(user, cycle: Cycle):
    """The current version's results the user may see."""
    scope = scope_for(user)
    qs = cycle.results.select_related("unit", "coordinator")
    if not scope.all_units:
        qs = qs.filter(unit_id__in=scope.unit_ids)
    return qs


# The stored results are read for an export in batches of this many rows.
EXPORT_CHUNK = 500


def export_results(cycle: Cycle, *, detail: bool):
    """(the cycle's current results in rank order, read in batches; how many there are).
    ``detail`` (every item's score of every side) is read only when asked for."""
    qs = cycle.results.select_related("unit", "coordinator").order_by("rank", "id")
    if not detail:
        qs = qs.defer("detail")
    return qs.iterator(chunk_size=EXPORT_CHUNK), cycle.results.count()


def rubric_items_meta(rubric_id: int) -> list[tuple]:
    """(key, number, title) of every item of a rubric, in sheet order."""
    return list(
        Item.objects.filter(rubric_id=rubric_id)
        .order_by("section__order", "order")
        .values_list("key", "number", "title")
    )


def current_result_version(cycle: Cycle) -> ResultVersion | None:
    return cycle.result_versions.select_related("computed_by").order_by("-number").first()


def compute_running(cycle: Cycle) -> str:
    """Why another computation of ``cycle`` is not queued now: one is queued or running
    (the message names it), or ""."""
    from jobs.models import Job

    job = (
        Job.objects.filter(
            kind="cycle_compute",
            params__cycle=cycle.pk,
            state__in=[Job.State.QUEUED, Job.State.RUNNING],
        )
        .order_by("id")
        .first()
    )
    if job is None:
        return ""
    return (
        f"「{cycle.title}」的结果正在计算中（后台任务 #{job.pk}，{job.get_state_display()}），"
        "请等它完成后再计算。"
    )


def _by_code_point(name: str):
    """Order by text as Python compares it (code points), whatever the database's collation:
    names sort the same on every page and in every export."""
    if connection.vendor == "postgresql":
        return Collate(F(name), "C")
    return F(name)  # SQLite compares text by its bytes: code point order


RESULT_ORDERS = {
    "rank": lambda: ["rank", _by_code_point("unit__name"), "id"],
    "total": lambda: [F("total").desc(), _by_code_point("unit__name"), "id"],
    "name": lambda: [_by_code_point("unit__name"), "id"],
    "town": lambda: [_by_code_point("town_name"), "rank", "id"],
}


def results_page_rows(user, cycle: Cycle, *, town: str = "", grade: str = "", order: str = "rank"):
    """The results the user may see, filtered by town and grade, sorted in the database;
    without the stored detail (every item's score), which the page does not show."""
    qs = results_for(user, cycle).select_related("confirmed_by").defer("detail")
    if town:
        qs = qs.filter(town_name=town)
    if grade:
        qs = qs.filter(grade=grade)
    return qs.order_by(*RESULT_ORDERS.get(order, RESULT_ORDERS["rank"])())


def results_panels(user, cycle: Cycle, version, *, town: str = "", grade: str = "") -> dict:
    """The results page's panels (grade distribution with the quota, section averages,
    self against review) with their charts, and its filter choices, within what the user
    may see: from the version's stored summary for administrators and town reviewers (the
    cells of their towns), from the few visible rows for anyone who sees single units."""
    from assessments import result_charts
    from assessments import summary as summaries
    from org.models import Unit
    from rubrics.selectors import engine_rubric_for

    scope = scope_for(user)
    stored = version.summary if version is not None else {}
    cycle_count = stored.get("count", 0) if stored else 0
    if stored and scope.all_units:
        visible = None
    elif stored and scope.town_ids:
        visible = set(Unit.objects.filter(pk__in=scope.town_ids).values_list("name", flat=True))
    else:  # single units, or results computed before summaries were stored
        sheets: dict = {}
        if not scope.all_units:  # a few sheets: the points open them
            for pk, unit, coordinator, phase in visible_sheets(user, cycle).values_list(
                "pk", "unit_id", "coordinator_id", "phase"
            ):
                sheets.setdefault((unit, coordinator), {})[phase] = pk
        stored = summaries.summarise_rows(
            engine_rubric_for(cycle.rubric),
            results_for(user, cycle).order_by("rank", "id"),
            weights={p: cycle.weights[p] for p in cycle.phases},
            sheets=sheets,
        )
        visible = None
        cycle_count = stored["count"] if scope.all_units else cycle.results.count()
    if stored and "grades" not in stored:  # stored before summaries named them
        named = summaries.SummaryBuilder(engine_rubric_for(cycle.rubric)).data()
        stored = {**stored, **{k: named[k] for k in ("grades", "subject", "quota")}}
    shown = summaries.panels(
        stored,
        towns=visible,
        town=town,
        grade=grade,
        whole=scope.all_units and not town,
        cycle_count=cycle_count,
    )
    shown["towns"] = summaries.towns(stored, visible)
    shown["charts"] = result_charts.results_charts(cycle, shown)
    return shown


# ---------------------------------------------------------------- result history
#
# Every computation of a cycle is a ResultVersion; its rows stay after a recompute, no
# longer current. Why a finalised cycle was computed again is the reason of its reopening:
# the reopenings between two versions belong to the later one.

COMPARED = ("total", "rank", "grade")


def _shown(result: Result | None, field_name: str) -> str:
    if result is None:
        return "—"
    value = getattr(result, field_name)
    return formatting.points(value) if field_name == "total" else str(value)


@dataclass(frozen=True)
class Cell:
    """A compared value of a subject as the page shows it: ``old → new`` when it changed."""

    old: str
    new: str
    changed: bool


@dataclass
class Move:
    """One subject whose total, rank or grade differs between two versions."""

    old: Result | None  # None: not in the earlier version
    new: Result | None  # None: not in the later version

    @property
    def result(self) -> Result:
        return self.new or self.old

    @property
    def name(self) -> str:
        return subject_name(self.result)

    def changed(self, field_name: str) -> bool:
        if self.old is None or self.new is None:
            return True
        return getattr(self.old, field_name) != getattr(self.new, field_name)

    @property
    def cells(self) -> list[Cell]:
        """Total, rank and grade, in that order."""
        return [Cell(_shown(self.old, f), _shown(self.new, f), self.changed(f)) for f in COMPARED]


@dataclass
class VersionEntry:
    number: int
    computed_at: object  # None for results stored without a version record
    computed_by: object
    count: int  # results of this version the user may see
    reopens: list = field(default_factory=list)  # Change rows, oldest first
    moves: list = field(default_factory=list)  # Move, against the previous version
    move_count: int = 0  # all the moves against the previous version (``moves`` may be fewer)
    current: bool = False  # the newest version
    result: Result | None = None  # in a subject's history: its row of this version

    @property
    def first(self) -> bool:
        return self.number == 1

    @property
    def cells(self) -> list[Cell]:
        """In a subject's history: its total, rank and grade, with the change from the
        version before when there was one."""
        if self.moves:
            return self.moves[0].cells
        return [Cell("", _shown(self.result, f), False) for f in COMPARED]


@dataclass
class ResultHistory:
    versions: list  # VersionEntry, newest first
    pending_reopens: list  # reopenings after the current version, not recomputed yet


def subject_name(result: Result) -> str:
    if result.coordinator_id:
        return f"{result.coordinator.name}（{result.unit.name}）"
    return result.unit.name


def _visible_versions(user, cycle: Cycle):
    qs = Result.all_versions.filter(cycle=cycle)
    scope = scope_for(user)
    if not scope.all_units:
        qs = qs.filter(unit_id__in=scope.unit_ids)
    return qs


def _history_rows(user, cycle: Cycle):
    qs = _visible_versions(user, cycle).select_related("unit", "coordinator")
    # the compared values only: a row's detail (every item's score) is not needed here
    fields = ("version", "current", "unit", "unit__name", "coordinator", "coordinator__name")
    return qs.only(*fields, "town_name", *COMPARED).order_by("version", "rank", "id")


def _entries(cycle: Cycle, counts: dict) -> tuple[list, list]:
    """(VersionEntry per version, oldest first; reopenings after the newest), three queries
    at most: the version records and the reopenings. ``counts``: version → results the
    user may see."""
    records = {v.number: v for v in cycle.result_versions.select_related("computed_by")}
    reopens = list(
        Change.objects.filter(cycle=cycle, what=Change.REOPENED)
        .select_related("user")
        .order_by("at")
    )
    entries = []
    since = None
    for number in sorted(set(records) | set(counts)):
        record = records.get(number)
        at = record.computed_at if record else None
        mine = [c for c in reopens if at and (since is None or c.at > since) and c.at <= at]
        entries.append(
            VersionEntry(
                number=number,
                computed_at=at,
                computed_by=record.computed_by if record else None,
                count=counts.get(number, 0),
                reopens=mine,
            )
        )
        since = at or since
    if entries:
        entries[-1].current = True
    pending = [c for c in reopens if since is None or c.at > since]
    return entries, pending


MOVES_SHOWN = 50  # moves listed per version on the history page; the rest on its own page


def _same_subject(version) -> dict:
    """Lookups matching the outer row's subject (unit and coordinator, no coordinator
    matching no coordinator) in result ``version`` of the same cycle."""
    return {
        "cycle_id": OuterRef("cycle_id"),
        "version": version,
        "unit_id": OuterRef("unit_id"),
        "subject_coordinator": Coalesce(OuterRef("coordinator_id"), Value(0)),
    }


def _of_version(version):
    return Result.all_versions.annotate(
        subject_coordinator=Coalesce("coordinator_id", Value(0))
    ).filter(**_same_subject(version))


def _name_order():
    """The subject's name as ``subject_name`` spells it, in code point order."""
    name = Case(
        When(
            coordinator__isnull=False,
            then=Concat("coordinator__name", Value("（"), "unit__name", Value("）")),
        ),
        default=F("unit__name"),
    )
    return Collate(name, "C") if connection.vendor == "postgresql" else name


def version_moves(user, cycle: Cycle, number: int):
    """The rows that make up the moves of version ``number`` against the version before, in
    the page's order: the rows of ``number`` whose total, rank or grade differs from the
    subject's row of ``number - 1`` (or that have none), by rank, then the rows of
    ``number - 1`` whose subject is gone from ``number``. Each row of ``number`` carries
    ``prev_total``, ``prev_rank`` and ``prev_grade`` (None: no earlier row). Computed in
    the database; turn the rows into moves with ``moves_of``."""
    before = _of_version(number - 1)
    changed = Q(version=number) & (
        Q(prev_rank__isnull=True)
        | ~Q(total=F("prev_total"))
        | ~Q(rank=F("prev_rank"))
        | ~Q(grade=F("prev_grade"))
    )
    gone = Q(version=number - 1) & ~Exists(_of_version(number))
    fields = ("version", "unit", "unit__name", "coordinator", "coordinator__name")
    return (
        _visible_versions(user, cycle)
        .filter(version__in=(number - 1, number))
        .select_related("unit", "coordinator")
        .only(*fields, "town_name", *COMPARED)
        .annotate(
            prev_total=Subquery(before.values("total")[:1]),
            prev_rank=Subquery(before.values("rank")[:1]),
            prev_grade=Subquery(before.values("grade")[:1]),
            is_gone=Case(When(version=number, then=0), default=1, output_field=IntegerField()),
        )
        .filter(changed | gone)
        .order_by("is_gone", "rank", _name_order(), "id")
    )


def moves_of(rows, number: int) -> list[Move]:
    """``Move`` per row of ``version_moves(…, number)``."""
    moves = []
    for r in rows:
        if r.version != number:
            moves.append(Move(r, None))
            continue
        old = None
        if r.prev_rank is not None:
            old = Result(
                unit_id=r.unit_id,
                coordinator_id=r.coordinator_id,
                total=r.prev_total,
                rank=r.prev_rank,
                grade=r.prev_grade,
            )
        moves.append(Move(old, r))
    return moves


def result_history(user, cycle: Cycle, *, only: int | None = None) -> ResultHistory:
    """Every version of the cycle's results, newest first, each with the count of subjects
    (among those the user may see) whose total, rank or grade differs from the version
    before and the first ``MOVES_SHOWN`` of them, and the reopenings that led to it. Two
    queries per version, whatever the number of units. With ``only``: that version alone,
    its moves left for the caller to page through (``version_moves``)."""
    counts = dict(
        _visible_versions(user, cycle)
        .order_by()
        .values_list("version")
        .annotate(n=Count("id"))
        .values_list("version", "n")
    )
    entries, pending = _entries(cycle, counts)
    if only is not None:
        return ResultHistory([e for e in entries if e.number == only], pending)
    for entry in entries[1:]:
        rows = version_moves(user, cycle, entry.number)
        entry.move_count = rows.count()
        entry.moves = moves_of(rows[:MOVES_SHOWN], entry.number)
    return ResultHistory(list(reversed(entries)), pending)


def subject_history(user, result: Result) -> ResultHistory:
    """The versions of one subject's result (the unit, or the coordinator, of ``result``),
    newest first; ``moves`` holds its one move when it changed."""
    cycle = result.cycle
    key = (result.unit_id, result.coordinator_id)
    by_version: dict[int, dict] = defaultdict(dict)
    for r in _history_rows(user, cycle).filter(
        unit_id=result.unit_id, coordinator_id=result.coordinator_id
    ):
        by_version[r.version][key] = r
    entries, pending = _entries(cycle, {n: len(rows) for n, rows in by_version.items()})
    previous = None
    for entry in entries:
        entry.result = by_version.get(entry.number, {}).get(key)
        if not entry.first:
            move = Move(previous, entry.result)
            if (previous or entry.result) and any(move.changed(f) for f in COMPARED):
                entry.moves = [move]
                entry.move_count = 1
        previous = entry.result
    return ResultHistory(list(reversed(entries)), pending)


def reviewing_town(sheet: Assessment):
    """The town-level unit whose reviewers score this sheet (its own unit for a town's)."""
    unit = sheet.unit
    if unit.is_town_level:
        return unit
    return unit.parent if unit.is_grassroots else None


def town_reviewers(sheet: Assessment) -> list[str]:
    """Names of the active reviewers of the sheet's town."""
    from django.contrib.auth import get_user_model

    town = reviewing_town(sheet)
    if town is None:
        return []
    users = get_user_model().objects.filter(role=Role.REVIEWER, units=town, is_active=True)
    return [u.display_name for u in users.order_by("username")]


# -------------------------------------------------------------------------- 公示 and 异议


def publicity_rows(user, cycle: Cycle):
    """The 公示 list the user sees, in rank order: the whole cycle or their towns' units
    (``policy.publicity_towns``)."""
    from assessments.policy import publicity_towns

    rows = cycle.results.select_related("unit", "coordinator").order_by("rank", "id")
    towns = publicity_towns(scope_for(user), cycle)
    if towns is None:
        return rows
    return rows.filter(_of_towns(towns))


def _of_towns(towns) -> Q:
    from org.models import Unit

    return Q(unit_id__in=towns, unit__kind__in=Unit.TOWN_KINDS) | Q(
        unit__parent_id__in=towns, unit__kind__in=Unit.GRASSROOTS_KINDS
    )


def visible_objections(user, cycle: Cycle):
    """The cycle's objections within the user's units, newest first."""
    from assessments.models import Objection

    scope = scope_for(user)
    qs = Objection.objects.filter(cycle=cycle).select_related(
        "unit__parent", "coordinator", "filed_by", "answered_by"
    )
    if not scope.all_units:
        qs = qs.filter(unit_id__in=scope.unit_ids)
    return qs


def waiting_objections(cycle: Cycle):
    from assessments.models import Objection

    return Objection.objects.filter(cycle=cycle, state=Objection.State.FILED)


def publicity_towns_count(cycle: Cycle) -> list[dict]:
    """Per town of the cycle's current results: its name and how many units it has."""
    return list(cycle.results.values("town_name").annotate(n=Count("id")).order_by("town_name"))


def publicity_audience(cycle: Cycle):
    """Who is told of the 公示: the active users of the cycle's units and of their towns,
    and the bureau's administrators."""
    from accounts.models import User
    from org.models import Unit

    unit_ids = cycle.assessments.values("unit_id")
    towns = Unit.objects.filter(
        Q(pk__in=unit_ids, kind__in=Unit.TOWN_KINDS)
        | Q(pk__in=Unit.objects.filter(pk__in=unit_ids).values("parent_id"))
    ).values("pk")
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(units__in=unit_ids)
            | Q(units__in=towns)
            | Q(role=User.Role.ADMIN)
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("pk")
    )


def objection_answerers(objection):
    """The reviewers of the unit's town and the administrators."""
    from accounts.models import User

    town = objection.unit.town_id
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role=User.Role.REVIEWER, units=town) | Q(role=User.Role.ADMIN) | Q(is_superuser=True)
        )
        .distinct()
        .order_by("pk")
    )


def unit_coordinators(objection):
    """Who is told of the answer: the one who filed it and the unit's coordinators."""
    from accounts.models import User

    return (
        User.objects.filter(is_active=True)
        .filter(Q(pk=objection.filed_by_id) | Q(role=User.Role.COORDINATOR, units=objection.unit))
        .distinct()
        .order_by("pk")
    )

"""Reads of the assessment work that take more than one line."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from assessments.linked import linked_inputs_for_cycle
from assessments.models import Assessment, Cycle, ItemScore
from assessments.policy import may_administer
from org.scope import scope_for
from rubrics.engine.rounding import round_points


@dataclass
class Subject:
    key: str  # the name the engine knows the subject by (unique in the cycle)
    unit_id: int
    coordinator_id: int | None
    town: str | None
    inputs: dict = field(default_factory=dict)  # phase → {item key: review input}
    self_scores: dict = field(default_factory=dict)  # phase → {item key: self score}


@dataclass
class Gathered:
    subjects: list[Subject]

    def sheets_for(self, phase: str) -> list[dict]:
        return [
            {"subject": s.key, "town": s.town, "items": s.inputs.get(phase, {})}
            for s in self.subjects
        ]


def cycle_engine_inputs(cycle: Cycle) -> Gathered:
    """Every sheet's review inputs, grouped by subject, in three queries."""
    sheets = list(
        cycle.assessments.select_related("unit__parent", "coordinator").order_by(
            "unit__parent__sort_order", "unit__sort_order", "id"
        )
    )
    subjects: dict[tuple, Subject] = {}
    by_sheet: dict[int, tuple[Subject, str]] = {}
    for sheet in sheets:
        ident = (sheet.unit_id, sheet.coordinator_id)
        subject = subjects.get(ident)
        if subject is None:
            unit = sheet.unit
            town = (
                unit.name if unit.is_town_level else (unit.parent.name if unit.parent_id else None)
            )
            name = unit.name
            if sheet.coordinator_id:
                name = f"{sheet.coordinator.name}（{unit.name}）"
            subject = subjects[ident] = Subject(name, unit.pk, sheet.coordinator_id, town)
        by_sheet[sheet.pk] = (subject, sheet.phase)
    rows = ItemScore.objects.filter(assessment__cycle=cycle).values_list(
        "assessment_id", "item__key", "review_input", "self_score"
    )
    linked = linked_inputs_for_cycle(cycle)
    for sheet_id, key, review_input, self_score in rows.iterator(chunk_size=5000):
        subject, phase = by_sheet[sheet_id]
        if review_input:
            fresh = linked.get(subject.unit_id, {}).get(key)
            if fresh and not review_input.get("na"):
                review_input = {**review_input, **fresh}
            subject.inputs.setdefault(phase, {})[key] = review_input
        if self_score is not None:
            subject.self_scores.setdefault(phase, {})[key] = str(self_score)
    return Gathered(list(subjects.values()))


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


def cycle_progress(user, cycle: Cycle) -> list[dict]:
    """Per town: how many sheets are in each state."""
    counts = (
        visible_sheets(user, cycle)
        .values("unit__parent__name", "unit__parent_id")
        .annotate(
            total=Count("id"),
            submitted=Count("id", filter=Q(state=Assessment.State.SUBMITTED)),
            returned=Count("id", filter=Q(state=Assessment.State.RETURNED)),
            reviewed=Count(
                "id", filter=Q(state__in=[Assessment.State.REVIEWED, Assessment.State.FINALISED])
            ),
        )
        .order_by("unit__parent__sort_order", "unit__parent_id")
    )
    return list(counts)


def sheet_scores(sheet: Assessment) -> dict:
    """{item key: ItemScore} for one sheet, one query."""
    return {s.item.key: s for s in sheet.scores.select_related("item")}


def grid_scores(sheets, item) -> dict:
    """{sheet id: ItemScore} for one item over many sheets."""
    rows = ItemScore.objects.filter(assessment__in=sheets, item=item)
    return {s.assessment_id: s for s in rows}


def changes_for(sheet: Assessment):
    return sheet.changes.select_related("user", "item").order_by("-at", "-id")


def results_for(user, cycle: Cycle):
    scope = scope_for(user)
    qs = cycle.results.select_related("unit", "coordinator")
    if not scope.all_units:
        qs = qs.filter(unit_id__in=scope.unit_ids)
    return qs


def grade_distribution(results) -> list[tuple[str, int]]:
    counts: dict[str, int] = defaultdict(int)
    for r in results:
        counts[r.grade] += 1
    return sorted(counts.items(), key=lambda kv: -kv[1])


def self_review_gaps(results) -> list[tuple[str, str, str]]:
    """(unit, self total, review total) per result, for the gap chart; from stored detail."""
    out = []
    for r in results:
        phases = r.detail.get("phases", {})
        selfs = r.detail.get("self", {})
        for phase, data in phases.items():
            own = selfs.get(phase)
            if not own:
                continue
            self_total = sum(_dec(v) for v in own.values())
            out.append((r.unit.name, self_total, _dec(data.get("total"))))
            break
    return out


def section_averages(results) -> list[tuple[str, object, object]]:
    """(section title, mean subtotal, section max) over the results shown."""
    sums: dict[str, list] = {}
    order: list[str] = []
    for r in results:
        for data in r.detail.get("phases", {}).values():
            for section in data.get("sections", []):
                title = section["title"]
                if title not in sums:
                    sums[title] = [Decimal(0), 0, _dec(section.get("items_max"))]
                    order.append(title)
                sums[title][0] += _dec(section.get("subtotal"))
                sums[title][1] += 1
            break
    return [
        (t, round_points(sums[t][0] / sums[t][1], 2) if sums[t][1] else Decimal(0), sums[t][2])
        for t in order
    ]


def _dec(value):
    """Stored results keep decimals as strings; absent values count as 0."""
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)

"""Computing a cycle's results: the one home of ``cycle_compute``.

Memory stays roughly flat in the number of subjects: inputs are read per batch of subjects,
never all at once, and what ranking, the quota and subsidies need of a subject is a few
numbers. The work is three passes:

1. 正在读取考核表: the subjects (one small record each) and the N/A means (only the result
   side's inputs of the items with ``na_policy: average``, streamed in sheet order through
   ``engine.AverageTally``);
2. 正在计分: per batch of subjects, every phase's sheet scored with the means
   (``engine.evaluate_in_cycle``), the phases combined; a subject's stored row (totals,
   detail) goes to a temporary file, its ranking key stays in memory;
3. 正在保存结果: rank, quota and subsidies over the ranking keys, then the rows read back
   from the file in ranking order and written in batches (so their ids keep the ranking
   order, as before), the summaries the results page shows (``summary.py``) gathered while
   they stream by.

The results are those of scoring the cycle with ``engine.evaluate_cycle`` per phase.
"""

from __future__ import annotations

import json
import pickle
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from assessments.linked import linked_inputs_for_cycle
from assessments.models import Assessment, Change, Cycle, ItemScore, Result, ResultVersion
from assessments.quota_decisions import OVER, TIE, answered, settle, stored_for
from assessments.services import WorkflowError
from assessments.sides import RESULT_SIDE, SIDES
from assessments.summary import SummaryBuilder
from org.models import Unit
from rubrics import engine
from rubrics.engine.phases import combine_phases, with_outside_veto
from rubrics.models import Item
from rubrics.selectors import engine_rubric_for

BATCH = 1000  # subjects read, scored and written at a time

READING = "正在读取考核表"
SCORING = "正在计分"
SAVING = "正在保存结果"


class _Quiet:
    """Progress reports nobody reads (the command line, tests, the demo)."""

    def __call__(self, done: int, total: int) -> None:
        pass

    def stage(self, text: str) -> None:
        pass


@dataclass(frozen=True)
class Computed:
    """What a computation stored: the version, how many results, by grade."""

    cycle: Cycle
    version: int
    count: int
    grades: dict = field(default_factory=dict)  # grade → results, in ranking order of first
    waiting: int = 0  # results that need an administrator's confirmation

    def __len__(self) -> int:
        return self.count


@dataclass(slots=True)
class _Subject:
    key: str  # the name the engine knows the subject by
    unit_id: int
    coordinator_id: int | None
    town: str | None
    sheets: dict  # phase → sheet id
    absent: bool = False  # a sheet of it was recorded as not submitted


@dataclass(slots=True)
class _Standing:
    """What ranking, the quota and subsidies read of a subject (duck-typed SheetResult)."""

    subject: str
    town: str | None
    total: Decimal
    veto: object  # None, or True when a veto failed
    grade: str
    subsidy_percent: Decimal
    offset: int  # where its row is in the temporary file
    size: int
    sheets: dict  # phase → sheet id, for the summary's link to the sheet
    base_total: Decimal = Decimal(0)  # the quota's tie rule reads these two
    sections: tuple = ()  # (key, subtotal) of the sections the tie rule names
    unit_id: int = 0
    coordinator_id: int | None = None
    absent: bool = False


@dataclass(frozen=True, slots=True)
class _Subtotal:
    key: str
    subtotal: Decimal


def compute_refused(cycle: Cycle) -> str:
    """Why ``cycle`` cannot be computed now, in the user's words, or ""; asked by the
    request before a computation is queued, and again by the computation."""
    if cycle.locked:
        return "考核周期已定稿，结果已锁定。"
    if not cycle.assessments.exists():
        return "本考核周期没有考核表。"
    return ""


def cycle_compute(*, cycle: Cycle, user, progress=None) -> Computed:
    """Score every sheet with the engine (N/A averages per phase), weight the phases, rank,
    apply the quota, work out subsidies, and store one Result per subject as the next result
    version, with the version's summary; the rows of the earlier versions are kept,
    superseded.

    Reading and scoring write nothing; the writes are one transaction that first locks the
    cycle row and checks again that it may be computed. A second computation of the same
    cycle meanwhile waits on that lock and then stores the next version (the page refuses
    to queue a second one while one is queued or running: ``compute_running``)."""
    progress = progress or _Quiet()
    cycle = Cycle.objects.select_related("rubric").get(pk=cycle.pk)
    refused = compute_refused(cycle)
    if refused:
        raise WorkflowError(refused)
    parsed = engine_rubric_for(cycle.rubric)
    phases = cycle.phases
    progress.stage(READING)
    subjects = _subjects(cycle)
    progress(0, len(subjects))
    keys = dict(Item.objects.filter(rubric_id=cycle.rubric_id).values_list("id", "key"))
    linked = linked_inputs_for_cycle(cycle)
    averages, flags = _averages(cycle, parsed, subjects, keys, linked)

    progress.stage(SCORING)
    weights = {p: cycle.weights[p] for p in phases}
    outside = _outside_vetoes(cycle, subjects)
    memos = {p: engine.Memo(parsed.plan) for p in phases}
    errors: dict[str, list] = {p: [] for p in phases}
    seen: dict[str, set] = {p: set() for p in phases}
    standings: list[_Standing] = []
    spool = tempfile.TemporaryFile()
    for start in range(0, len(subjects), BATCH):
        batch = subjects[start : start + BATCH]
        inputs, side_scores = _batch_inputs(batch, keys, linked)
        for subject in batch:
            phase_results = {}
            for phase in phases:
                sheet_id = subject.sheets.get(phase)
                sheet = {
                    "subject": subject.key,
                    "town": subject.town,
                    "items": inputs.get(sheet_id, {}),
                }
                result, problems = engine.evaluate_in_cycle(
                    parsed, sheet, averages[phase], memo=memos[phase]
                )
                if problems:
                    errors[phase] += problems
                    continue
                if (subject.town, subject.key) in seen[phase]:
                    where = f"（{subject.town}）" if subject.town else ""
                    errors[phase].append(engine.InputError(f"「{subject.key}」{where}有两份评分表"))
                seen[phase].add((subject.town, subject.key))
                phase_results[phase] = result
            if any(errors.values()):
                continue  # nothing will be stored; go on only to report every problem
            standings.append(
                _stand(
                    spool,
                    parsed,
                    cycle,
                    subject,
                    phase_results,
                    weights,
                    outside,
                    side_scores.get((subject.unit_id, subject.coordinator_id), {}),
                    flags,
                )
            )
        progress(min(start + BATCH, len(subjects)), len(subjects))
    for phase in phases:
        if errors[phase]:
            raise engine.SheetInputError(errors[phase])

    progress.stage(SAVING)
    progress(0, len(standings))
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().select_related("rubric").get(pk=cycle.pk)
        if locked.locked:
            raise WorkflowError(compute_refused(locked))
        return _save(spool, parsed, locked, user, standings, progress)


def _subjects(cycle: Cycle) -> list[_Subject]:
    """One record per unit (or coordinator), in the order of the sheets' units."""
    rows = cycle.assessments.order_by(
        "unit__parent__sort_order", "unit__sort_order", "id"
    ).values_list(
        "id",
        "phase",
        "unit_id",
        "coordinator_id",
        "unit__name",
        "unit__kind",
        "unit__parent_id",
        "unit__parent__name",
        "coordinator__name",
        "absence",
    )
    subjects: dict[tuple, _Subject] = {}
    for row in rows:
        sheet_id, phase, unit_id, coordinator_id, name, kind, parent_id, parent, who, absence = row
        subject = subjects.get((unit_id, coordinator_id))
        if subject is None:
            town = name if kind in Unit.TOWN_KINDS else (parent if parent_id else None)
            key = f"{who}（{name}）" if coordinator_id else name
            subject = subjects[(unit_id, coordinator_id)] = _Subject(
                key, unit_id, coordinator_id, town, {}
            )
        subject.sheets[phase] = sheet_id
        subject.absent = subject.absent or bool(absence)
    return list(subjects.values())


def _with_linked(value: dict, fresh: dict | None) -> dict:
    if fresh and not value.get("na"):
        return {**value, **fresh}
    return value


def _averages(cycle, parsed, subjects, keys, linked) -> tuple[dict, list]:
    """({phase: {item key: mean}}, cycle flags), from the result side's inputs of the
    averaged items only, streamed sheet by sheet."""
    phases = cycle.phases
    tallies = {p: engine.AverageTally(parsed) for p in phases}
    averaged = [e.key for e in parsed.plan.average_entries]
    if averaged:
        owner = {}
        for subject in subjects:
            for phase, sheet_id in subject.sheets.items():
                owner[sheet_id] = (subject, phase)
        ids = [pk for pk, key in keys.items() if key in averaged]
        for sheet_id, values in _averaged_inputs(cycle, ids):
            subject, phase = owner[sheet_id]
            fresh = linked.get(subject.unit_id, {})
            items = {
                keys[item_id]: _with_linked(value, fresh.get(keys[item_id]))
                for item_id, value in values.items()
                if value
            }
            tallies[phase].add({"subject": subject.key, "town": subject.town, "items": items})
    averages, flags = {}, []
    for phase in phases:
        averages[phase], phase_flags = tallies[phase].averages()
        flags += phase_flags
    return averages, flags


def _averaged_inputs(cycle, item_ids):
    """(sheet id, {item id: input}) of the result side's inputs of ``item_ids``, sheet by
    sheet, streamed."""
    if connection.vendor == "postgresql":
        sql = f"""
            SELECT s.assessment_id, jsonb_object_agg(s.item_id::text, s.input)::text
            FROM {ItemScore._meta.db_table} s
            JOIN {Assessment._meta.db_table} a ON a.id = s.assessment_id
            WHERE a.cycle_id = %s AND s.side = %s AND s.item_id = ANY(%s)
                AND s.input IS NOT NULL
            GROUP BY s.assessment_id
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [cycle.pk, RESULT_SIDE, item_ids])
            while rows := cursor.fetchmany(5000):
                for sheet_id, values in rows:
                    yield sheet_id, {int(k): v for k, v in json.loads(values).items()}
        return
    rows = (
        ItemScore.objects.filter(assessment__cycle=cycle, side=RESULT_SIDE, item_id__in=item_ids)
        .order_by("assessment_id")
        .values_list("assessment_id", "item_id", "input")
    )
    current, values = None, {}
    for sheet_id, item_id, value in rows.iterator(chunk_size=5000):
        if sheet_id != current:
            if current is not None:
                yield current, values
            current, values = sheet_id, {}
        values[item_id] = value
    if current is not None:
        yield current, values


def _batch_inputs(batch, keys, linked) -> tuple[dict, dict]:
    """({sheet id: {item key: input of the result side}}, {(unit id, coordinator id): {side:
    {phase: {item key: score}}}}) of the batch's sheets."""
    owner = {}
    for subject in batch:
        for phase, sheet_id in subject.sheets.items():
            owner[sheet_id] = (subject, phase)
    inputs: dict = {}
    others: dict = {}

    def add(sheet_id, item_id, side, value, score):
        subject, phase = owner[sheet_id]
        key = keys[item_id]
        if side == RESULT_SIDE:
            if value:
                fresh = linked.get(subject.unit_id, {}).get(key)
                inputs.setdefault(sheet_id, {})[key] = _with_linked(value, fresh)
        elif score is not None and side in SIDES:
            by_side = others.setdefault((subject.unit_id, subject.coordinator_id), {})
            by_side.setdefault(side, {}).setdefault(phase, {})[key] = score

    if connection.vendor == "postgresql":
        for sheet_id, side, values, scores in _aggregated(list(owner)):
            for item_id, value in json.loads(values).items():
                add(sheet_id, int(item_id), side, value, None)
            for item_id, score in json.loads(scores).items():
                add(sheet_id, int(item_id), side, None, score)
    else:
        rows = ItemScore.objects.filter(assessment_id__in=list(owner)).values_list(
            "assessment_id", "item_id", "side", "input", "score"
        )
        for sheet_id, item_id, side, value, score in rows:
            add(sheet_id, item_id, side, value, None if score is None else str(score))
    return inputs, others


def _aggregated(sheet_ids: list) -> list:
    """PostgreSQL: per sheet and side, its inputs and its scores as one JSON object each
    ({item id: input}, {item id: score as text}). Decoding 40 inputs as one document
    instead of 40 values is most of the time the rows took to read; the result side's
    scores and the other sides' inputs are not read."""
    sql = f"""
        SELECT assessment_id, side,
            COALESCE(jsonb_object_agg(item_id::text, input)
                FILTER (WHERE side = %s AND input IS NOT NULL), '{{}}'::jsonb)::text,
            COALESCE(jsonb_object_agg(item_id::text, score::text)
                FILTER (WHERE side <> %s AND score IS NOT NULL), '{{}}'::jsonb)::text
        FROM {ItemScore._meta.db_table}
        WHERE assessment_id = ANY(%s)
        GROUP BY assessment_id, side
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [RESULT_SIDE, RESULT_SIDE, sheet_ids])
        return cursor.fetchall()


def _side_scores(found: dict) -> dict:
    """Every side but the result side, each {phase: {item key: score}} (empty when none)."""
    return {side: found.get(side, {}) for side in SIDES if side != RESULT_SIDE}


def _stand(spool, parsed, cycle, subject, phase_results, weights, outside, found, flags):
    result = combine_phases(parsed, phase_results, weights)
    if subject.coordinator_id in outside:
        result = with_outside_veto(parsed, result, outside[subject.coordinator_id])
    phases = cycle.phases
    notes = list(result.flags)
    absent = engine.absence_outcome(parsed) if subject.absent else None
    if absent is not None:
        notes = [absent.explanation]
    elif not result.complete:
        notes.append("考核表尚未评完，结果为暂算")
    row = {
        "unit_id": subject.unit_id,
        "coordinator_id": subject.coordinator_id,
        "town_name": result.town or "",
        "phase_totals": {p: str(phase_results[p].total) for p in phases},
        "base_total": result.base_total,
        "bonus": result.bonus,
        "penalties": result.penalties,
        "total": result.total,
        "veto_item": (f"{result.veto.number} {result.veto.title}".strip() if result.veto else ""),
        "grade_before_quota": absent.grade if absent else result.grade,
        "absence": "not_submitted" if absent else "",
        "award_eligible": result.award_eligible and absent is None,
        "flags": notes,
        "detail": {
            "phases": {p: _compact(phase_results[p]) for p in phases},
            # the other sides' item scores, for comparison: {side: {phase: …}}
            **_side_scores(found),
            "cycle_flags": flags,
        },
    }
    data = pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL)
    offset = spool.tell()
    spool.write(data)
    named = {
        e.split(":", 1)[1]
        for e in (parsed.quota.tie_break if parsed.quota else ())
        if e.startswith("section:")
    }
    return _Standing(
        result.subject,
        result.town,
        # An absent subject is not scored: it ranks after every scored one (with the vetoed).
        Decimal(0) if absent else result.total,
        True if (result.veto is not None or absent) else None,
        absent.grade if absent else result.grade,
        absent.subsidy_percent if absent else result.subsidy_percent,
        offset,
        len(data),
        subject.sheets,
        result.base_total,
        tuple(_Subtotal(x.key, x.subtotal) for x in result.sections if x.key in named),
        subject.unit_id,
        subject.coordinator_id,
        absent is not None,
    )


def _save(spool, parsed, cycle: Cycle, user, standings, progress) -> Computed:
    ranked = engine.rank(standings)
    decisions = engine.apply_quota(parsed, ranked)
    # The administrator's quota decisions and overrides, stored per subject, apply again.
    stored, overrides = stored_for(cycle)
    settled = []
    for entry, decision in zip(ranked, decisions, strict=True):
        standing = entry.result
        key = (standing.unit_id, standing.coordinator_id)
        position = TIE if decision.flagged_tie else (OVER if decision.beyond else "")
        settled.append(
            settle(
                parsed.plan,
                grade_before=decision.grade_before,
                quota_grade=decision.grade_after,
                quota_percent=decision.subsidy_percent,
                position=position,
                flagged=decision.flagged,
                decision=stored.get(key),
                override=overrides.get(key),
            )
        )
    amounts = (
        [
            line.amount
            for line in engine.subsidy_amounts(settled_lines(settled), cycle.base_subsidy).lines
        ]
        if cycle.base_subsidy is not None
        else [None] * len(decisions)
    )
    latest = cycle.result_versions.order_by("-number").values_list("number", flat=True).first()
    # Results stored without a version record (before versioning) are version 1.
    number = (latest or (1 if Result.objects.filter(cycle=cycle).exists() else 0)) + 1
    now = timezone.now()
    Result.objects.filter(cycle=cycle).update(current=False)  # superseded, kept
    version = ResultVersion.objects.create(
        cycle=cycle, number=number, computed_by=user, computed_at=now
    )
    summary = SummaryBuilder(parsed, {p: cycle.weights[p] for p in cycle.phases})
    waiting = 0
    total = len(ranked)
    rows = []
    for done, (entry, decision, final, amount) in enumerate(
        zip(ranked, decisions, settled, amounts, strict=True), start=1
    ):
        standing = entry.result
        spool.seek(standing.offset)
        row = pickle.loads(spool.read(standing.size))
        if decision.reason:
            row["flags"] += answered([decision.reason], bool(final.quota_decision))
        row["flags"] += final.notes
        result = Result(
            cycle=cycle,
            version=number,
            rank=entry.rank,
            grade=final.grade,
            grade_after_quota=final.grade_after_quota,
            subsidy_percent=final.subsidy_percent,
            subsidy_amount=amount,
            needs_confirmation=final.needs_confirmation,
            confirmed_by_id=final.confirmed_by_id,
            quota_position=final.quota_position,
            quota_decision=final.quota_decision,
            quota_reason=final.quota_reason,
            override_reason=final.override_reason,
            **row,
        )
        waiting += final.needs_confirmation and not final.quota_decision
        summary.add(result, standing.subject, standing.sheets)
        rows.append(result)
        if len(rows) == BATCH or done == total:
            Result.objects.bulk_create(rows, batch_size=BATCH)
            rows = []
            progress(done, total)
    spool.close()
    version.summary = summary.data()
    version.save(update_fields=["summary"])
    cycle.computed_at = now
    cycle.save(update_fields=["computed_at"])
    Change.objects.create(
        cycle=cycle, user=user, what="computed", new=f"第 {number} 版，{total} 条结果"
    )
    return Computed(cycle, number, total, summary.grade_counts(), waiting)


def settled_lines(settled):
    """What ``engine.subsidy_amounts`` reads of each settled result."""
    return [_Line(s.grade, s.subsidy_percent) for s in settled]


@dataclass(frozen=True, slots=True)
class _Line:
    grade: str
    subsidy_percent: Decimal
    subject: str = ""
    town: str | None = None


def _outside_vetoes(cycle: Cycle, subjects) -> dict:
    """{coordinator id: reason} for coordinators failed by attendance (新沂 考勤制度第5条)."""
    from staff.models import Coordinator
    from staff.selectors import attendance_tallies

    ids = [s.coordinator_id for s in subjects if s.coordinator_id]
    if not ids:
        return {}
    tallies = attendance_tallies(Coordinator.objects.filter(pk__in=ids), cycle.year)
    return {pk: tally.veto for pk, tally in tallies.items() if tally.veto}


def _compact(result) -> dict:
    """What a stored result keeps of a phase: totals, section subtotals, every item's
    score, and the explanation of scores decided at cycle level (N/A averages)."""
    return {
        "total": str(result.total),
        "base_total": str(result.base_total),
        "bonus": str(result.bonus),
        "penalties": str(result.penalties),
        "sections": [
            {
                "key": x.key,
                "title": x.title,
                "subtotal": str(x.subtotal),
                "items_max": str(x.items_max),
            }
            for x in result.sections
        ],
        "scores": {i.key: (None if i.score is None else str(i.score)) for i in result.items},
        "notes": {i.key: i.explanation for i in result.items if i.status.startswith("na_")},
    }

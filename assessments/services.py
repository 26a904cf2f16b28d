"""Writes of the assessment work: cycles, sheets, states, results.

Every function takes keyword arguments, runs in one transaction and records what it
changed (assessments.models.Change), so a sheet's history shows who changed what, when.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assessments import policy
from assessments.linked import apply_linked
from assessments.models import Assessment, Change, Cycle, ItemScore, SideTotal
from assessments.sides import SIDES, Side
from assessments.transitions import CYCLE_TRANSITIONS, STEPS_BY_ACTION
from kit.imports import Plan, StalePlan
from org.scope import scope_for
from rubrics import engine
from rubrics.models import Item
from rubrics.selectors import engine_rubric_for
from rubrics.services import rubric_freeze


class WorkflowError(Exception):
    """A step that is not allowed now; the message says why, in the user's words."""


@dataclass
class SaveOutcome:
    saved: bool
    errors: list[str] = field(default_factory=list)
    conflict: list[str] = field(default_factory=list)  # what someone else changed meanwhile
    changed: int = 0
    total: object = None  # the side's sheet total after the save


def _text(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


# ------------------------------------------------------------------------- cycles


@transaction.atomic
def cycle_create(
    *,
    title,
    year,
    rubric,
    units,
    user,
    process_weight=0,
    annual_weight=100,
    base_subsidy=None,
    coordinators=None,
) -> Cycle:
    """A cycle with one sheet per unit (or per coordinator) and phase."""
    if not units and not coordinators:
        raise WorkflowError("请至少选择一个参加考核的单位。")
    if process_weight + annual_weight != 100:
        raise WorkflowError(
            f"过程考核与年度考核的权重之和应为 100%（现为 {process_weight + annual_weight}%）。"
        )
    cycle = Cycle.objects.create(
        title=title,
        year=year,
        rubric=rubric,
        process_weight=process_weight,
        annual_weight=annual_weight,
        base_subsidy=base_subsidy,
    )
    sheets = []
    for phase in cycle.phases:
        if coordinators:
            sheets += [
                Assessment(cycle=cycle, phase=phase, unit_id=c.unit_id, coordinator=c)
                for c in coordinators
            ]
        else:
            sheets += [Assessment(cycle=cycle, phase=phase, unit=u) for u in units]
    Assessment.objects.bulk_create(sheets)
    Change.objects.create(cycle=cycle, user=user, what="cycle_created", new=title)
    return cycle


@transaction.atomic
def cycle_step(*, cycle: Cycle, action: str, user, reason: str = "") -> Cycle:
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    step = STEPS_BY_ACTION.get(action)
    if step is None or step.target is None:  # computing is cycle_compute's
        raise WorkflowError("未知的操作。")
    target = CYCLE_TRANSITIONS.get((cycle.state, action))
    if target is None:
        raise WorkflowError(f"考核周期当前状态为「{cycle.get_state_display()}」，不能执行此操作。")
    if action == "reopen" and not reason.strip():
        raise WorkflowError("重新打开已定稿的考核周期必须填写原因。")
    if action == "finalise":
        from assessments.quota_decisions import pending_decisions

        if not cycle.computed_at:
            raise WorkflowError("请先计算结果，再定稿。")
        pending = pending_decisions(cycle)
        if pending.total:
            raise WorkflowError(
                f"还有 {pending.total} 个单位等待名额决定（{pending.text()}），"
                "请在「名额决定」中逐一决定保持或调整后再定稿。"
            )
        cycle.assessments.update(state=Assessment.State.FINALISED)
    if action == "reopen":
        cycle.assessments.filter(state=Assessment.State.FINALISED).update(
            state=Assessment.State.REVIEWED
        )
    if action == "back_to_self":
        # Self-assessment opens again for every unit, the ones recorded as not submitted too.
        cycle.assessments.exclude(absence="").update(absence="")
    if action == "open_self":
        rubric_freeze(rubric=cycle.rubric)
    old = cycle.get_state_display()
    cycle.state = target
    cycle.save(update_fields=["state"])
    Change.objects.create(
        cycle=cycle,
        user=user,
        # A reopening is named apart: the history of results shows its reason.
        what=Change.REOPENED if action == "reopen" else "cycle_state",
        old=old,
        new=cycle.get_state_display(),
        reason=reason.strip(),
    )
    return cycle


# -------------------------------------------------------------------------- sheets


def _editable(sheet: Assessment, side: str) -> None:
    reason = policy.side_closed_reason(sheet, side)
    if reason:
        raise WorkflowError(reason)


def score_inputs(side: str, scores) -> dict:
    """{item key: input} of ``side``'s rows among ``scores``."""
    return {s.item.key: s.input for s in scores if s.side == side and s.input}


@transaction.atomic
def sheet_save(
    *,
    sheet: Assessment,
    user,
    side: str,
    inputs: dict,
    notes: dict,
    expected_version: int,
    linked: dict | None = None,
) -> SaveOutcome:
    """Save one side's inputs and notes. ``inputs`` holds every item the form showed
    ({key: input or {}}); items whose input is empty are cleared.

    A save made on a stale version is refused and reports what the other person changed.
    """
    assert side in SIDES
    _editable(sheet, side)
    parsed = engine_rubric_for(sheet.cycle.rubric)
    items = {i.key: i for i in Item.objects.filter(rubric_id=sheet.cycle.rubric_id)}
    existing = {s.item.key: s for s in sheet.scores.filter(side=side).select_related("item")}
    merged = score_inputs(side, existing.values())
    for key, value in inputs.items():
        if key not in items:
            continue
        if value:
            merged[key] = value
        else:
            merged.pop(key, None)
    merged = apply_linked(merged, linked or {})
    try:
        result = engine.evaluate(
            parsed, {"subject": sheet.subject_name, "town": _town(sheet), "items": merged}
        )
    except engine.SheetInputError as exc:
        return SaveOutcome(False, errors=[str(e) for e in exc.errors])
    merged = {key: engine.canonical_input(value) for key, value in merged.items()}  # as read

    updated = Assessment.objects.filter(pk=sheet.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:  # nothing was written yet: refuse, and say what the other person did
        return SaveOutcome(False, conflict=_changes_since(sheet, expected_version))
    sheet.version = expected_version + 1

    by_key = {r.key: r for r in result.items}
    touched_inputs = set(inputs) | {k for k in (linked or {}) if k in merged}
    changed = 0
    to_create, to_update, changes = [], [], []
    for key in touched_inputs | set(notes):
        item = items.get(key)
        if item is None:
            continue
        record = existing.get(key) or ItemScore(assessment=sheet, item=item, side=side)
        before = _recorded(record)
        if key in touched_inputs:
            value = merged.get(key)
            record.input = value or None
            record.score = by_key[key].score if value else None
            record.explanation = by_key[key].explanation if value else ""
        if key in notes:
            record.note = notes[key].strip()
        after = _recorded(record)
        diffs = [(k, before[k], after[k]) for k in before if _text(before[k]) != _text(after[k])]
        if not diffs:
            continue
        changed += 1
        (to_update if record.pk else to_create).append(record)
        changes += [
            Change(
                assessment=sheet,
                cycle=sheet.cycle,
                item=item,
                user=user,
                what=f"{side}_{what}",
                old=_text(old),
                new=_text(new),
                sheet_version=sheet.version,
            )
            for what, old, new in diffs
        ]
    ItemScore.objects.bulk_create(to_create)
    if to_update:
        ItemScore.objects.bulk_update(to_update, ["input", "score", "explanation", "note"])
    Change.objects.bulk_create(changes)
    SideTotal.objects.bulk_create(
        [SideTotal(assessment=sheet, side=side, total=result.total)],
        update_conflicts=True,
        unique_fields=["assessment", "side"],
        update_fields=["total"],
    )
    return SaveOutcome(True, changed=changed, total=result.total)


def _recorded(record: ItemScore) -> dict:
    """What the history records of a score row: {what: value}, ``what`` as in ``WHAT``."""
    return {"input": record.input, "score": record.score, "note": record.note}


def _town(sheet: Assessment) -> str | None:
    unit = sheet.unit
    if unit.is_town_level:
        return unit.name
    return unit.parent.name if unit.parent_id else None


# A refused save lists at most this many of the other person's changes (the latest ones); a
# page left open for long may be hundreds of changes behind, which the history page shows.
CONFLICT_LINES = 20


def _changes_since(sheet: Assessment, version: int) -> list[str]:
    rows = Change.objects.filter(assessment=sheet, sheet_version__gt=version)
    latest = list(rows.select_related("user", "item").order_by("-id")[: CONFLICT_LINES + 1])
    out = []
    if len(latest) > CONFLICT_LINES:
        latest = latest[:CONFLICT_LINES]
        earlier = rows.count() - CONFLICT_LINES
        out.append(f"此前还有 {earlier} 处修改，请在「修改记录」中查看。")
    for c in reversed(latest):
        who = c.user.display_name if c.user else "系统"
        item = f"第 {c.item.number} 项「{c.item.title}」" if c.item else ""
        out.append(
            f"{who} 于 {timezone.localtime(c.at):%H:%M} 修改了{item}{WHAT.get(c.what, c.what)}：{c.old or '空'} → {c.new or '空'}"
        )
    return out or ["其他人刚刚修改了这张考核表。"]


# Change.what → its label. A score row's changes are recorded as "<side>_<what>".
WHAT = {
    **{
        f"{side}_{what}": label
        for side, info in SIDES.items()
        for what, label in (
            ("score", info.score_label),
            ("input", info.input_label),
            ("note", info.note_label),
        )
    },
    "state": "状态",
}


def _set_state(
    sheet: Assessment, user, new_state: str, *, reason: str = "", **fields
) -> Assessment:
    old = sheet.get_state_display()
    sheet.state = new_state
    for name, value in fields.items():
        setattr(sheet, name, value)
    sheet.version += 1
    sheet.save(update_fields=["state", "version", "updated_at", *fields])
    Change.objects.create(
        assessment=sheet,
        cycle=sheet.cycle,
        user=user,
        what="state",
        old=old,
        new=sheet.get_state_display(),
        reason=reason,
        sheet_version=sheet.version,
    )
    return sheet


@transaction.atomic
def assessment_submit(*, sheet: Assessment, user) -> Assessment:
    sheet = (
        Assessment.objects.select_for_update()
        .select_related("cycle__rubric", "unit")
        .get(pk=sheet.pk)
    )
    _editable(sheet, Side.SELF)
    missing = _missing_items(sheet, Side.SELF)
    if missing:
        raise WorkflowError(
            f"还有 {len(missing)} 项未填写自评：{'、'.join(missing[:8])}{'…' if len(missing) > 8 else ''}"
        )
    return _set_state(
        sheet, user, Assessment.State.SUBMITTED, submitted_at=timezone.now(), return_reason=""
    )


@transaction.atomic
def assessment_return(*, sheet: Assessment, user, reason: str) -> Assessment:
    sheet = Assessment.objects.select_for_update().select_related("cycle__rubric").get(pk=sheet.pk)
    if not reason.strip():
        raise WorkflowError("退回时请填写原因，协理员会看到它。")
    if not policy.sheet_returnable(sheet):
        raise WorkflowError("只有已提交或已审核、且未定稿的考核表可以退回。")
    return _set_state(
        sheet, user, Assessment.State.RETURNED, reason=reason, return_reason=reason.strip()
    )


@transaction.atomic
def assessment_mark_reviewed(*, sheet: Assessment, user) -> Assessment:
    sheet = Assessment.objects.select_for_update().select_related("cycle__rubric").get(pk=sheet.pk)
    _editable(sheet, Side.REVIEW)
    missing = _missing_items(sheet, Side.REVIEW)
    if missing:
        raise WorkflowError(
            f"还有 {len(missing)} 项未评分：{'、'.join(missing[:8])}{'…' if len(missing) > 8 else ''}"
        )
    return _set_state(sheet, user, Assessment.State.REVIEWED, reviewed_at=timezone.now())


@transaction.atomic
def assessment_reopen(*, sheet: Assessment, user, reason: str) -> Assessment:
    sheet = Assessment.objects.select_for_update().select_related("cycle").get(pk=sheet.pk)
    if not reason.strip():
        raise WorkflowError("重新打开已定稿的考核表必须填写原因。")
    if sheet.state != Assessment.State.FINALISED:
        raise WorkflowError("只有已定稿的考核表需要重新打开。")
    if not policy.sheet_reopenable(sheet):
        raise WorkflowError("结果已公布，不能重新打开。")
    cycle = sheet.cycle
    if cycle.state == Cycle.State.FINALISED:
        cycle_step(cycle=cycle, action="reopen", user=user, reason=reason)
    return _set_state(sheet, user, Assessment.State.REVIEWED, reason=reason)


def _missing_items(sheet: Assessment, side: str) -> list[str]:
    """Numbers (or titles) of base items without an input on this side."""
    filled = {s.item_id for s in sheet.scores.filter(side=side) if s.input}
    missing = []
    for item in Item.objects.filter(rubric_id=sheet.cycle.rubric_id).order_by(
        "section__order", "order"
    ):
        if item.bonus or item.penalty or item.pk in filled:
            continue
        missing.append(item.number or item.title)
    return missing


# ------------------------------------------------------------------------- results


# ------------------------------------------------------------------- offline scores


@dataclass
class ScoreImport(Plan):
    """The preview of an offline score workbook and, once committed, what was saved."""

    changes: list[tuple] = field(default_factory=list)  # (sheet name, item label, old, new)
    unchanged: int = 0
    saved: bool = False
    stale: bool = False  # not saved: the plan is not the one previewed
    sha256: str = ""
    versions: tuple = ()  # (sheet id, version) of the sheets at preview time
    side: str = ""  # the side the rows are written to

    def fingerprint_parts(self):
        yield (self.sha256, self.versions, str(self.side))
        yield from self.changes


class _Abort(Exception):
    pass


def scores_import(
    *,
    cycle: Cycle,
    content: bytes,
    side: str,
    user,
    sheets,
    commit: bool,
    expected: str | None = None,
    file_name: str = "",
) -> ScoreImport:
    """Read a filled score workbook for ``sheets``; preview what changes, and with
    ``commit`` save every sheet in one transaction, or none. ``expected``: the
    fingerprint of the preview confirmed; a different plan is not saved (``stale``). A
    ``user`` may import only a side they may write on every one of ``sheets``
    (``policy.import_side_refused``); ``user=None`` is the operator's command line."""
    from assessments.workbook import read_workbook

    assert side in SIDES
    if user is not None:  # the command line is the operator's; a person imports what they may
        refused = policy.import_side_refused(scope_for(user), sheets, side)
        if refused:
            report = ScoreImport(side=side)
            report.error(refused)
            return report
    parsed = engine_rubric_for(cycle.rubric)
    by_id = {s.pk: s for s in sheets}
    read = read_workbook(content, parsed, set(by_id), file_name)
    report = ScoreImport(
        problems=list(read.problems), sha256=hashlib.sha256(content).hexdigest(), side=side
    )
    if not report.ok:
        return report
    report.versions = tuple(sorted((pk, by_id[pk].version) for pk in read.by_sheet))
    stored = _stored_inputs(list(by_id), side)
    for sheet_id, inputs in read.by_sheet.items():
        sheet = by_id[sheet_id]
        try:
            _editable(sheet, side)
        except WorkflowError as exc:
            report.error(str(exc), value=sheet.subject_name)
            continue
        for key, value in inputs.items():
            old = stored.get((sheet_id, key))
            if _text(old) == _text(value):
                report.unchanged += 1
            else:
                item = parsed.item(key)
                report.changes.append(
                    (sheet.subject_name, item.label, _text(old) or "空", _text(value))
                )
    if not report.ok or not commit:
        return report
    try:
        report.check(expected)
    except StalePlan:
        report.stale = True
        return report
    try:
        with transaction.atomic():
            for sheet_id, inputs in read.by_sheet.items():
                errors = _write_scores(sheet_id=sheet_id, inputs=inputs, side=side, user=user)
                if errors:
                    for error in errors:
                        report.error(error)
                    raise _Abort
    except _Abort:
        return report
    report.saved = True
    return report


def _stored_inputs(sheet_ids: list, side: str) -> dict:
    """(sheet id, item key) → the stored input of ``side``."""
    return {
        (s.assessment_id, s.item.key): s.input
        for s in ItemScore.objects.filter(assessment__in=sheet_ids, side=side).select_related(
            "item"
        )
    }


def _write_scores(*, sheet_id: int, inputs: dict, side: str, user) -> list[str]:
    """The final write of an offline import: one sheet's inputs of ``side``; the errors."""
    sheet = Assessment.objects.select_related("cycle__rubric", "unit__parent", "coordinator").get(
        pk=sheet_id
    )
    outcome = sheet_save(
        sheet=sheet,
        user=user,
        side=side,
        inputs=inputs,
        notes={},
        expected_version=sheet.version,
    )
    if outcome.saved:
        return []
    return [f"「{sheet.subject_name}」：{e}" for e in outcome.errors + outcome.conflict]


@transaction.atomic
def evidence_add(*, sheet: Assessment, item: Item, upload, user, side: str):
    from assessments.evidence import check_upload
    from assessments.models import Evidence

    _editable(sheet, side)
    content_type, ext = check_upload(upload, sheet.evidence.filter(item=item).count())
    record = Evidence(
        assessment=sheet,
        item=item,
        original_name=upload.name[:200],
        size=upload.size,
        content_type=content_type,
        uploaded_by=user,
    )
    record.file.save(f"{item.key}-{timezone.now():%Y%m%d%H%M%S}{ext}", upload, save=False)
    record.save()
    Change.objects.create(
        assessment=sheet,
        cycle=sheet.cycle,
        item=item,
        user=user,
        what="evidence",
        new=record.original_name,
        sheet_version=sheet.version,
    )
    return record

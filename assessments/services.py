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

from assessments import policy, sheet_notices
from assessments.change_text import change_values, item_input_text
from assessments.linked import apply_linked, linked_inputs_for_cycle
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
    # {item key: [message…]}: the refused items, so the page puts each message at its field
    by_item: dict = field(default_factory=dict)


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
    deadlines=None,
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
        **(deadlines or {}),  # self_deadline, review_deadline, publicity_start, publicity_end
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
    if action == "publish" and not (
        cycle.publicity_end and cycle.publicity_end >= timezone.localdate()
    ):
        # Publishing opens the 公示: its dates are confirmed on the step's own page.
        raise WorkflowError("公布结果前请在「公布结果」页面确定公示期。")
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
    """Save one side's inputs and notes. ``inputs`` holds the items to write
    ({key: input or {}}, from ``sheet_page.read_form``: the items the person changed);
    items whose input is empty are cleared.

    Values equal to what is stored (numbers as read, scores as numbers) are not changes: a
    save that changes nothing writes nothing (no version, no history) and is not checked
    against the version. A save made on a stale version is refused and reports what the
    other person changed; a refused input is reported per item (``SaveOutcome.by_item``).
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
        by_item: dict = {}
        for e in exc.errors:
            if e.item_key:
                by_item.setdefault(e.item_key, []).append(e.message)
        return SaveOutcome(False, errors=[str(e) for e in exc.errors], by_item=by_item)
    merged = {key: engine.canonical_input(value) for key, value in merged.items()}  # as read

    # What differs from what is stored, worked out before anything is written: a save that
    # changes nothing writes nothing (no version, no history).
    by_key = {r.key: r for r in result.items}
    touched_inputs = set(inputs) | {k for k in (linked or {}) if k in merged}
    to_create, to_update, diffs_of = [], [], []
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
        diffs = [(k, before[k], after[k]) for k in before if _differs(k, before[k], after[k])]
        if not diffs:
            continue
        (to_update if record.pk else to_create).append(record)
        diffs_of.append((item, diffs))
    if not diffs_of:
        return SaveOutcome(True, changed=0, total=_stored_total(sheet, side, result.total))

    updated = Assessment.objects.filter(pk=sheet.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:  # nothing was written yet: refuse, and say what the other person did
        return SaveOutcome(False, conflict=_changes_since(sheet, expected_version))
    sheet.version = expected_version + 1
    changes = [
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
        for item, diffs in diffs_of
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
    return SaveOutcome(True, changed=len(diffs_of), total=result.total)


def _stored_total(sheet: Assessment, side: str, computed):
    row = SideTotal.objects.filter(assessment=sheet, side=side).first()
    return row.total if row is not None else computed


def _same_numbers(value):
    """An input with its whole numbers as text, as a form reads them back (120 → 「120」)."""
    if isinstance(value, dict):
        return {k: _same_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_same_numbers(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _differs(what: str, old, new) -> bool:
    """Whether a recorded value changed: inputs compared as read (numbers as canonical
    text), scores as numbers (3.00 is 3)."""
    if what == "input":
        return _text(_same_numbers(engine.canonical_input(old or {}))) != _text(
            _same_numbers(engine.canonical_input(new or {}))
        )
    if what == "score":
        return old != new
    return _text(old) != _text(new)


@dataclass
class Adoption:
    """What adopting the earlier side's inputs would do, or did."""

    keys: list[str]  # the items filled from the earlier side
    kept: int  # items of the sheet already scored on this side, left as they are
    outcome: SaveOutcome | None = None


def adoption_plan(*, sheet: Assessment, side: str, keys=None) -> Adoption:
    """The items whose inputs 采纳自评 copies into ``side``: those the earlier side (the side
    ``side`` waits for) has answered and ``side`` has not; ``keys`` limits it to those items."""
    source = SIDES[side].waits_for
    if source is None:
        raise WorkflowError(f"{SIDES[side].label}没有可采纳的评分。")
    rows = sheet.scores.filter(side__in=[source, side]).select_related("item")
    theirs = score_inputs(source, rows)
    ours = score_inputs(side, rows)
    wanted = [k for k in theirs if keys is None or k in keys]
    return Adoption(
        keys=[k for k in wanted if k not in ours], kept=len([k for k in wanted if k in ours])
    )


@transaction.atomic
def sheet_adopt(
    *,
    sheet: Assessment,
    user,
    side: str,
    expected_version: int,
    keys=None,
    inputs=None,
    notes=None,
    linked=None,
) -> Adoption:
    """采纳自评: copy the earlier side's inputs into ``side`` for the items not yet scored
    there (all of them, or ``keys``), saved with whatever else the form changed
    (``inputs``, ``notes``) as one save: one version, each copied item in the history."""
    _editable(sheet, side)
    plan = adoption_plan(sheet=sheet, side=side, keys=keys)
    source = SIDES[side].waits_for
    copied = {
        s.item.key: s.input
        for s in sheet.scores.filter(side=source, item__key__in=plan.keys).select_related("item")
    }
    plan.outcome = sheet_save(
        sheet=sheet,
        user=user,
        side=side,
        inputs={**(inputs or {}), **copied},
        notes=notes or {},
        expected_version=expected_version,
        linked=linked,
    )
    if not plan.outcome.saved:
        transaction.set_rollback(True)
    return plan


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
        old, new = change_values(c)  # inputs in words, never as stored
        out.append(
            f"{who} 于 {timezone.localtime(c.at):%H:%M} 修改了{item}{WHAT.get(c.what, c.what)}：{old} → {new}"
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
    "deadline_extended": "截止日期延期",
    "evidence": "上传台账附件",
    "evidence_removed": "删除台账附件",
    "evidence_replaced": "替换台账附件",
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
    sheet = _set_state(
        sheet, user, Assessment.State.RETURNED, reason=reason, return_reason=reason.strip()
    )
    sheet_notices.tell_returned(sheet, reason=reason, by=user)
    return sheet


@transaction.atomic
def assessment_mark_reviewed(*, sheet: Assessment, user) -> Assessment:
    sheet = Assessment.objects.select_for_update().select_related("cycle__rubric").get(pk=sheet.pk)
    _editable(sheet, Side.REVIEW)
    missing = _missing_items(sheet, Side.REVIEW)
    if missing:
        raise WorkflowError(
            f"还有 {len(missing)} 项未评分：{'、'.join(missing[:8])}{'…' if len(missing) > 8 else ''}"
        )
    sheet = _set_state(sheet, user, Assessment.State.REVIEWED, reviewed_at=timezone.now())
    sheet_notices.tell_reviewed(sheet, by=user)
    return sheet


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


def missing_items(sheet: Assessment, side: str) -> list[str]:
    """Numbers (or titles) of the items ``side`` must still answer before it is finished."""
    return _missing_items(sheet, side)


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
    left_out: list[tuple] = field(default_factory=list)  # (sheet name, why), rows not imported
    unchanged: int = 0
    saved: bool = False
    stale: bool = False  # not saved: the plan is not the one previewed
    sha256: str = ""
    versions: tuple = ()  # (sheet id, version) of the sheets at preview time
    side: str = ""  # the side the rows are written to

    def fingerprint_parts(self):
        yield (self.sha256, self.versions, str(self.side))
        yield from self.changes
        yield from self.left_out


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
    # The sheet pages' rule decides each row: a sheet whose side is closed now (a unit that
    # has not submitted, for the review) is left out and named in the preview; the others
    # are imported.
    # As on the sheet page, the targets app's numbers win over typed ones (``linked``).
    linked = linked_inputs_for_cycle(cycle) if read.by_sheet else {}
    included = {}
    for sheet_id, inputs in read.by_sheet.items():
        reason = policy.side_closed_reason(by_id[sheet_id], side)
        if reason:
            report.left_out.append((by_id[sheet_id].subject_name, reason))
            continue
        targets = {
            key: {"authoritative": values}
            for key, values in linked.get(by_id[sheet_id].unit_id, {}).items()
            if key in inputs
        }
        if targets:
            inputs = {
                key: engine.canonical_input(value)
                for key, value in apply_linked(inputs, targets).items()
                if key in inputs
            }
        included[sheet_id] = inputs
    report.versions = tuple(sorted((pk, by_id[pk].version) for pk in included))
    stored = _stored_inputs(list(by_id), side)
    for sheet_id, inputs in included.items():
        sheet = by_id[sheet_id]
        for key, value in inputs.items():
            old = stored.get((sheet_id, key))
            if _text(old) == _text(value):
                report.unchanged += 1
            else:
                item = parsed.item(key)
                report.changes.append(
                    (
                        sheet.subject_name,
                        item.label,
                        item_input_text(item, old),
                        item_input_text(item, value),
                    )
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
            for sheet_id, inputs in included.items():
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


def _evidence_record(*, sheet: Assessment, item: Item, upload, user, already: int):
    from assessments.evidence import check_upload
    from assessments.models import Evidence

    content_type, ext = check_upload(upload, already)
    record = Evidence(
        assessment=sheet,
        item=item,
        original_name=upload.name[:200],
        size=upload.size,
        content_type=content_type,
        uploaded_by=user,
    )
    record.file.save(f"{item.key}-{timezone.now():%Y%m%d%H%M%S%f}{ext}", upload, save=False)
    record.save()
    return record


def _evidence_changeable(sheet: Assessment, evidence, user, side: str) -> None:
    """A file can be removed or replaced while its side is open, by the one who uploaded it
    (or an administrator)."""
    _editable(sheet, side)
    if evidence.uploaded_by_id != user.pk and not scope_for(user).is_admin:
        who = evidence.uploaded_by.display_name if evidence.uploaded_by else "其他人"
        raise WorkflowError(
            f"附件「{evidence.original_name}」是{who}上传的，只有上传人可以删除或替换。"
        )


def _delete_file_on_commit(file) -> None:
    storage, name = file.storage, file.name
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def evidence_remove(*, sheet: Assessment, evidence, user, side: str) -> None:
    _evidence_changeable(sheet, evidence, user, side)
    Change.objects.create(
        assessment=sheet,
        cycle=sheet.cycle,
        item=evidence.item,
        user=user,
        what="evidence_removed",
        old=evidence.original_name,
        sheet_version=sheet.version,
    )
    _delete_file_on_commit(evidence.file)
    evidence.delete()


@transaction.atomic
def evidence_replace(*, sheet: Assessment, evidence, upload, user, side: str):
    """The new file in the old one's place (same item); the old file is deleted."""
    _evidence_changeable(sheet, evidence, user, side)
    item = evidence.item
    already = sheet.evidence.filter(item=item).exclude(pk=evidence.pk).count()
    record = _evidence_record(sheet=sheet, item=item, upload=upload, user=user, already=already)
    Change.objects.create(
        assessment=sheet,
        cycle=sheet.cycle,
        item=item,
        user=user,
        what="evidence_replaced",
        old=evidence.original_name,
        new=record.original_name,
        sheet_version=sheet.version,
    )
    _delete_file_on_commit(evidence.file)
    evidence.delete()
    return record


@transaction.atomic
def evidence_add(*, sheet: Assessment, item: Item, upload, user, side: str):
    _editable(sheet, side)
    record = _evidence_record(
        sheet=sheet,
        item=item,
        upload=upload,
        user=user,
        already=sheet.evidence.filter(item=item).count(),
    )
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

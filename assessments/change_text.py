"""Stored inputs and their changes in words: 「第 10 项 还款率：比率 75% → 比率 80%」.

A sheet stores each item's input as the engine reads it (``{"flags": {"a": true}}``). People
read it here in the words of the item's own form: the rule kind's description
(``RuleKind.fields`` / ``fill_form``) gives each field its label and value, so a kind added
to the registry is described without a line here. Used by the history page, the offline
workbook's preview and the message of a refused (conflicting) save.
"""

import json

from rubrics.engine import KINDS

EMPTY = "空"
UNREADABLE = "（无法读取）"
NOT_APPLICABLE = "无此项任务"
PERCENT_MARK = "（%）"


def _as_dict(value):
    """The input as a dict, or None when there is none; ``UNREADABLE`` when it is no input."""
    if value is None or value == "" or value == {}:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return UNREADABLE
    if not isinstance(value, dict):
        return UNREADABLE
    return value or None


def _label(text: str) -> tuple[str, str]:
    """(label, unit): 「或：完成率（%）」 → (「完成率」, 「%」)."""
    text = str(text).removeprefix("或：").strip()
    if text.endswith(PERCENT_MARK):
        return text.removesuffix(PERCENT_MARK), "%"
    return text, ""


def input_text(kind: str, params: dict | None, value, title: str = "") -> str:
    """One stored input of an item of ``kind`` in words; 「空」 when there is none. A field
    labelled as the item is (``title``) shows its value alone: 「还款率：75% → 80%」."""
    value = _as_dict(value)
    if value is None:
        return EMPTY
    if value == UNREADABLE:
        return UNREADABLE
    if value.get("na"):
        return NOT_APPLICABLE
    rule = KINDS.get(kind)
    if rule is None:
        return UNREADABLE
    params = params or {}
    base = "x"
    try:
        shown: dict[str, str] = {}
        rule.fill_form(params, base, value, shown)
        fields = rule.fields(params, base)
        # a label of the rubric's own replaces the kind's, which says whether it is a rate
        plain = rule.fields({k: v for k, v in params.items() if k != "label"}, base)
    except (AttributeError, KeyError, TypeError, ValueError):
        return UNREADABLE
    units = {f.name: _label(f.label)[1] for f in plain}
    parts, ticked, boxes = [], [], False
    for f in fields:
        raw = shown.get(f.name, "")
        if f.widget == "hidden":
            continue
        if f.widget == "checkbox":
            boxes = True
            if raw:
                ticked.append(_label(f.label)[0])
            continue
        if raw == "":
            continue
        if f.widget == "passfail":
            parts.append("符合" if raw == "yes" else "不符合")
            continue
        label, unit = _label(f.label)
        unit = unit or units.get(f.name, "")
        alone = not label or (label == title and len(fields) == 1)
        parts.append(f"{raw}{unit}" if alone else f"{label} {raw}{unit}")
    if ticked:
        parts.append("勾选：" + "、".join(ticked))
    elif boxes and not parts:
        parts.append("均未勾选")
    elif rule.ticked and not parts:  # counts per level, none entered: an answer too
        parts.append("均为 0")
    return "，".join(parts) if parts else UNREADABLE


def item_name(item) -> str:
    """「第 10 项 还款率」, or the title alone when the item has no number."""
    if item.number:
        return f"第 {item.number} 项 {item.title}"
    return item.title


def item_input_text(item, value) -> str:
    """``input_text`` of a rubric item (a model row or an engine item)."""
    return input_text(item.kind, item.params, value, item.title)


def change_sentence(item, old, new) -> str:
    """「第 10 项 还款率：比率 75% → 比率 80%」."""
    return f"{item_name(item)}：{item_input_text(item, old)} → {item_input_text(item, new)}"


def change_values(change) -> tuple[str, str]:
    """(old, new) of a recorded ``Change`` as the history shows them: inputs in words,
    everything else (scores, notes, states) as stored."""
    if change.item is not None and change.what.endswith("_input"):
        return item_input_text(change.item, change.old), item_input_text(change.item, change.new)
    return change.old or EMPTY, change.new or EMPTY

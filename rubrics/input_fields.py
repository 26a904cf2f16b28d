"""Form fields for what each rule kind needs, and reading them back into engine inputs.

Used by every page where someone enters scores (the trial calculation, self-assessment,
review), so a rule kind's inputs look the same everywhere. What a kind shows and reads is
part of its description in the engine registry (``RuleKind.fields`` / ``read_form`` /
``fill_form``); this module adds what every item shares (the N/A box, the 已核查 box of
ticked inputs) and tells a changed item from an untouched one (``changed_inputs``). Field
names are ``<prefix>-<item key>-<name>``; a composite's components nest their names under
theirs.
"""

from rubrics.engine import canonical_input
from rubrics.engine.rules import KINDS, InputField

Field = InputField  # the name the templates and views know

# A ticked kind's answer "none of these" is given by this box, so an item nobody looked at
# stays unanswered instead of reading as 「无扣分情形」.
ENTERED_LABEL = "已核查（以上均没有也请勾选）"


def fields_for(item, prefix: str) -> list[Field]:
    """The fields an item shows. ``item`` is an engine Item (or a component view of one)."""
    base = f"{prefix}-{item.key}"
    kind = KINDS[item.kind]
    out = kind.fields(item.params or {}, base)
    if kind.ticked:
        # Boxes left unticked are an answer too (nothing to deduct, no level reached).
        out.append(Field(f"{base}-entered", ENTERED_LABEL, "checkbox"))
    if getattr(item, "na_policy", "none") != "none":
        out.append(Field(f"{base}-na", "无此项任务", "checkbox"))
    return out


def read_inputs(items, data, prefix: str) -> dict:
    """Engine inputs from submitted form data: {item key: input}. Items left blank are absent.

    Values are passed through as typed, so the engine's own checks produce the messages.
    """
    out = {}
    for item in items:
        value = _read(item, data, prefix)
        if value:
            out[item.key] = value
    return out


def _read(item, data, prefix: str) -> dict:
    base = f"{prefix}-{item.key}"
    value = KINDS[item.kind].read_form(item.params or {}, base, data)
    if getattr(item, "na_policy", "none") != "none" and data.get(f"{base}-na"):
        value = {"na": True}
    return value


def form_values(items, inputs: dict, prefix: str) -> dict:
    """The inverse of ``read_inputs``: stored inputs as form field values."""
    out: dict[str, str] = {}
    for item in items:
        value = inputs.get(item.key)
        if not value:
            continue
        base = f"{prefix}-{item.key}"
        if value.get("na"):
            out[f"{base}-na"] = "on"
            continue
        kind = KINDS[item.kind]
        kind.fill_form(item.params or {}, base, value, out)
        if kind.ticked:
            out[f"{base}-entered"] = "on"
    return out


def _seen(item, value, prefix: str, names) -> dict:
    """What the form shows of an input, after the kind's own reading: {field name: text}.
    Numbers are compared as read (「3.50」 is 「3.5」, 120 is 「120」)."""
    if not value:
        return {}
    shown = form_values([item], {item.key: canonical_input(value)}, prefix)
    return {name: shown[name] for name in names if shown.get(name) not in (None, "")}


def _editable_keys(item, fields, prefix: str) -> set:
    """The input keys the item's fields can write: what its kind reads from them all filled."""
    probe = {f.name: {"checkbox": "on", "passfail": "yes"}.get(f.widget, "1") for f in fields}
    base = f"{prefix}-{item.key}"
    return set(KINDS[item.kind].read_form(item.params or {}, base, probe)) | {"na"}


def changed_inputs(items, data, prefix: str, stored: dict, *, all_present=False) -> dict:
    """{item key: input or {}} of the items whose posted fields say something other than
    their stored input (``stored``: {item key: input}); the others were not touched and are
    left out, so saving an untouched form writes nothing.

    An item none of whose fields (nor its note) was posted is not touched, unless
    ``all_present``. A changed item keeps the stored values no field of the form shows
    (a ``proportional`` item scored on its main numbers keeps ``sub_target``/``sub_actual``).
    """
    out = {}
    for item in items:
        fields = fields_for(item, prefix)
        names = [f.name for f in fields]
        base = f"{prefix}-{item.key}"
        if not all_present and not any(n in data for n in (*names, f"{base}-note")):
            continue
        old = stored.get(item.key) or {}
        new = _read(item, data, prefix)
        if _seen(item, new, prefix, names) == _seen(item, old, prefix, names):
            continue
        if new and not new.get("na") and old and not old.get("na"):
            editable = _editable_keys(item, fields, prefix)
            new = {**{k: v for k, v in old.items() if k not in editable}, **new}
        out[item.key] = new
    return out

"""Form fields for what each rule kind needs, and reading them back into engine inputs.

Used by every page where someone enters scores (the trial calculation, self-assessment,
review), so a rule kind's inputs look the same everywhere. What a kind shows and reads is
part of its description in the engine registry (``RuleKind.fields`` / ``read_form`` /
``fill_form``); this module adds what every item shares (the N/A box, the hidden field of
ticked inputs). Field names are ``<prefix>-<item key>-<name>``; a composite's components
nest their names under theirs.
"""

from rubrics.engine.rules import KINDS, InputField

Field = InputField  # the name the templates and views know


def fields_for(item, prefix: str) -> list[Field]:
    """The fields an item shows. ``item`` is an engine Item (or a component view of one)."""
    base = f"{prefix}-{item.key}"
    kind = KINDS[item.kind]
    out = kind.fields(item.params or {}, base)
    if kind.ticked:
        # Boxes left unticked are an answer too (nothing to deduct, no level reached).
        out.append(Field(f"{base}-entered", "", "hidden"))
    if getattr(item, "na_policy", "none") != "none":
        out.append(Field(f"{base}-na", "无此项任务", "checkbox"))
    return out


def read_inputs(items, data, prefix: str) -> dict:
    """Engine inputs from submitted form data: {item key: input}. Items left blank are absent.

    Values are passed through as typed, so the engine's own checks produce the messages.
    """
    out = {}
    for item in items:
        base = f"{prefix}-{item.key}"
        value = KINDS[item.kind].read_form(item.params or {}, base, data)
        if getattr(item, "na_policy", "none") != "none" and data.get(f"{base}-na"):
            value = {"na": True}
        if value:
            out[item.key] = value
    return out


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
        KINDS[item.kind].fill_form(item.params or {}, base, value, out)
    return out

"""What the sheet page shows and reads: rows per section with each side's fields."""

from dataclasses import dataclass

from rubrics.input_fields import fields_for, form_values, read_inputs

PREFIX = {"self": "s", "review": "r"}


@dataclass
class Row:
    item: object  # engine Item
    score: object  # ItemScore or None
    fields: list
    values: dict
    gap: bool  # self and review differ by a third of the item's points or more


def build_rows(parsed, scores: dict, *, side: str | None, posted=None) -> list[tuple]:
    """[(section, [Row…])…]; ``posted`` refills the form after a refused save."""
    prefix = PREFIX.get(side, "")
    sections = []
    for section in parsed.sections:
        rows = []
        for item in section.items:
            score = scores.get(item.key)
            fields = fields_for(item, prefix) if side else []
            if posted is not None:
                values = posted
            elif side and score is not None and getattr(score, f"{side}_input"):
                values = form_values([item], {item.key: getattr(score, f"{side}_input")}, prefix)
            else:
                values = {}
            gap = False
            if (
                score is not None
                and score.self_score is not None
                and score.review_score is not None
            ):
                gap = abs(score.self_score - score.review_score) * 3 >= item.max_points > 0
            rows.append(Row(item, score, fields, values, gap))
        sections.append((section, rows))
    return sections


def read_form(parsed, data, side: str, *, only=None, prefix: str | None = None):
    """(inputs for every item shown, notes) from a posted sheet form."""
    prefix = prefix or PREFIX[side]
    items = only if only is not None else parsed.items
    read = read_inputs(items, data, prefix)
    inputs = {item.key: read.get(item.key, {}) for item in items}
    notes = {}
    for item in items:
        name = f"{prefix}-{item.key}-note"
        if name in data:
            notes[item.key] = data.get(name, "")
    return inputs, notes

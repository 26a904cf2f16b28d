"""What the sheet page shows and reads: rows per section with each side's column."""

from dataclasses import dataclass

from assessments.sides import SIDES, SideInfo, heading, sides_of
from rubrics.input_fields import fields_for, form_values, read_inputs


@dataclass
class Column:
    side: str
    info: SideInfo
    heading: str
    total: object  # Decimal or None


@dataclass
class Cell:
    side: str
    info: SideInfo
    heading: str
    score: object  # this side's ItemScore or None
    editing: bool
    fields: list
    values: dict


@dataclass
class Row:
    item: object  # engine Item
    cells: list[Cell]  # one per side the rubric has, in sheet order
    fields: list  # the edited side's input fields (empty when only viewing)
    values: dict
    gap: bool  # the sides differ by a third of the item's points or more


def columns(parsed, totals: dict) -> list[Column]:
    """The sheet's side columns with their headings and totals."""
    return [
        Column(side, SIDES[side], heading(parsed.columns, side), totals.get(side))
        for side in sides_of(parsed.columns)
    ]


def build_rows(parsed, scores: dict, *, side: str | None, posted=None) -> list[tuple]:
    """[(section, [Row…])…]; ``scores`` is {item key: {side: ItemScore}}; ``posted`` refills
    the form after a refused save."""
    shown = sides_of(parsed.columns)
    sections = []
    for section in parsed.sections:
        rows = []
        for item in section.items:
            by_side = scores.get(item.key, {})
            cells = []
            for s in shown:
                record = by_side.get(s)
                editing = s == side
                prefix = SIDES[s].prefix
                fields = fields_for(item, prefix) if editing else []
                if not editing:
                    values = {}
                elif posted is not None:
                    values = posted
                elif record is not None and record.input:
                    values = form_values([item], {item.key: record.input}, prefix)
                else:
                    values = {}
                cells.append(
                    Cell(s, SIDES[s], heading(parsed.columns, s), record, editing, fields, values)
                )
            edited = next((c for c in cells if c.editing), None)
            given = [r.score for r in by_side.values() if r.score is not None]
            gap = len(given) > 1 and (max(given) - min(given)) * 3 >= item.max_points > 0
            rows.append(
                Row(
                    item,
                    cells,
                    edited.fields if edited else [],
                    edited.values if edited else {},
                    gap,
                )
            )
        sections.append((section, rows))
    return sections


def read_form(parsed, data, side: str, *, only=None, prefix: str | None = None):
    """(inputs for every item shown, notes) from a posted sheet form."""
    prefix = prefix or SIDES[side].prefix
    items = only if only is not None else parsed.items
    read = read_inputs(items, data, prefix)
    inputs = {item.key: read.get(item.key, {}) for item in items}
    notes = {}
    for item in items:
        name = f"{prefix}-{item.key}-note"
        if name in data:
            notes[item.key] = data.get(name, "")
    return inputs, notes

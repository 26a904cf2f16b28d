"""What the sheet page shows and reads: rows per section with each side's column."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessments.sides import SIDES, Side, SideInfo, heading, sides_of
from rubrics.input_fields import changed_inputs, fields_for, form_values, read_inputs

# How a side's progress reads: 「已审核 12/40 项」.
DONE_WORD = {Side.SELF: "已填写", Side.REVIEW: "已审核"}


@dataclass
class Column:
    side: str
    info: SideInfo
    heading: str
    total: object  # Decimal or None
    answered: int = 0
    required: int = 0

    @property
    def partial(self) -> str:
        """「已审核 12/40 项，合计为部分得分」 while the side has items left; else empty."""
        if self.total is None or self.answered >= self.required:
            return ""
        word = DONE_WORD.get(self.side, "已评分")
        return _("%(word)s %(done)d/%(all)d 项，合计为部分得分") % {
            "word": word,
            "done": self.answered,
            "all": self.required,
        }


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
    errors: list = None  # why the edited side's input was refused, shown at the field
    adopt: object = None  # the earlier side's ItemScore that 采纳自评 would copy here
    adopt_label: str = ""  # that side's name (自评)
    errors_first: bool = False  # the first refused item of the page: its field takes focus


def progress(parsed, scores: dict) -> dict:
    """{side: (items answered, items to answer)} over the items every sheet must answer
    (bonus and penalty items are answered only when they apply)."""
    required = [i for i in parsed.items if not i.bonus and not i.penalty]
    out = {}
    for side in SIDES:
        done = 0
        for item in required:
            record = scores.get(item.key, {}).get(side)
            done += bool(record is not None and record.input)
        out[side] = (done, len(required))
    return out


def columns(parsed, totals: dict, done: dict | None = None) -> list[Column]:
    """The sheet's side columns with their headings, totals and (``done``, from
    ``progress``) how many items each has answered."""
    done = done or {}
    return [
        Column(
            side,
            SIDES[side],
            heading(parsed.columns, side),
            totals.get(side),
            *done.get(side, (0, 0)),
        )
        for side in sides_of(parsed.columns)
    ]


def build_rows(parsed, scores: dict, *, side: str | None, posted=None, by_item=None) -> list[tuple]:
    """[(section, [Row…])…]; ``scores`` is {item key: {side: ItemScore}}; ``posted`` refills
    the form after a refused save, ``by_item`` ({item key: [message…]}) says why."""
    shown = sides_of(parsed.columns)
    source = SIDES[side].waits_for if side else None
    by_item = by_item or {}
    first_error_seen = False
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
            adopt = None
            if source in shown and not (by_side.get(side) and by_side[side].input):
                record = by_side.get(source)
                adopt = record if record is not None and record.input else None
            rows.append(
                Row(
                    item,
                    cells,
                    edited.fields if edited else [],
                    edited.values if edited else {},
                    gap,
                    by_item.get(item.key, []),
                    adopt,
                    SIDES[source].label if adopt is not None else "",
                    bool(by_item.get(item.key)) and not first_error_seen,
                )
            )
            first_error_seen = first_error_seen or bool(by_item.get(item.key))
        sections.append((section, rows))
    return sections


def read_form(parsed, data, side: str, *, only=None, prefix: str | None = None, stored=None):
    """(inputs, notes) from a posted sheet form. With ``stored`` ({item key: this side's
    stored input}) the inputs are only those of items the person changed (an untouched
    form gives none); without it, every item shown."""
    prefix = prefix or SIDES[side].prefix
    items = only if only is not None else parsed.items
    if stored is not None:
        inputs = changed_inputs(items, data, prefix, stored, all_present=only is not None)
    else:
        read = read_inputs(items, data, prefix)
        inputs = {item.key: read.get(item.key, {}) for item in items}
    notes = {}
    for item in items:
        name = f"{prefix}-{item.key}-note"
        if name in data:
            notes[item.key] = data.get(name, "")
    return inputs, notes

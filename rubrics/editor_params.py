"""The parameter fields of one rule kind on the item form, generated from ``RuleKind.params``.

Each ``Param`` becomes one field named ``p-<kind>-<param>``; a ``rows`` parameter becomes a
table whose cells are named ``p-<kind>-<param>-<row>-<column>`` (the page adds rows by
copying the last one, so row numbers need not be consecutive). Reading checks each value's
type, then lets the engine parse the whole set, and puts every message at the field it
concerns, in the field's own words: never 「缺少参数「levels」」 but 「请填写「级别」」.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rubrics.engine.loader import plain
from rubrics.engine.rounding import NumberError, fmt, to_decimal
from rubrics.engine.rules import KINDS, Param, RuleKind

PREFIX = "p"
BLANK_ROWS = 1  # empty rows offered under the filled ones (the page can add more)
_ROW_KEYS = "abcdefghijklmnopqrstuvwxyz"


def field_name(
    kind: str, param: str, row: int | None = None, column: str = "", prefix: str = PREFIX
) -> str:
    if row is None:
        return f"{prefix}-{kind}-{param}"
    return f"{prefix}-{kind}-{param}-{row}-{column}"


def part_prefix(kind: str, param: str, row: int, prefix: str = PREFIX) -> str:
    """Where the fields of a composite's part live: ``p-composite-components-<row>-pp``."""
    return f"{field_name(kind, param, row, 'pp', prefix)}"


def choice_labels(param: Param) -> list[tuple[str, str]]:
    """(value, Chinese words) of a choice parameter, read from its help, which writes them
    as 「full：得满分；zero：不得分。」; a value the help leaves out is shown as its default
    or as 「（value）」."""
    words = {}
    for part in re.split(r"[；;。]", param.help):
        if "：" in part:
            value, text = part.split("：", 1)
            words[value.strip()] = text.strip()
    return [(value, words.get(value) or f"（{value}）") for value in param.choices]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


# A composite's part names its rule kind and carries that kind's parameters: the page
# offers the kinds a part may be and, under the part's row, that kind's own fields (``Part``).
PART_KIND, PART_PARAMS = "kind", "params"
PART_KINDS = frozenset(k.name for k in KINDS.values() if k.in_composite)
ROW_KEY = "key"


@dataclass
class Cell:
    name: str
    param: Param
    value: str

    @property
    def checked(self) -> bool:
        return self.value in ("on", "true", "True", "1")

    @property
    def hidden(self) -> bool:
        """Not drawn as a cell: a part's own parameters (drawn under its row, see ``Part``)."""
        return self.param.name == PART_PARAMS

    @property
    def carried(self) -> bool:
        """Carried unseen: a row's code, which the page makes up for a new row."""
        return self.param.name == ROW_KEY

    @property
    def picks_part(self) -> bool:
        """The select of a composite's part kind (the page switches the part's fields)."""
        return self.param.name == PART_KIND

    @property
    def options(self) -> list[tuple[str, str]]:
        if self.param.name == PART_KIND:
            return [(k.name, k.label) for k in KINDS.values() if k.in_composite]
        if self.param.type == "choice":
            return choice_labels(self.param)
        return []


@dataclass
class BoundParam:
    """One parameter as the template draws it."""

    kind: str
    param: Param
    value: str = ""
    rows: list[list[Cell]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    prefix: str = PREFIX
    parts: list[Part] = field(default_factory=list)  # a composite's parts, one per row

    @property
    def name(self) -> str:
        return field_name(self.kind, self.param.name, prefix=self.prefix)

    @property
    def row_parts(self) -> list[tuple[list[Cell], Part]]:
        return list(zip(self.rows, self.parts, strict=True))

    @property
    def drawn_columns(self) -> int:
        return sum(1 for c in self.param.columns if c.name not in (PART_PARAMS, ROW_KEY))

    @property
    def label(self) -> str:
        return self.param.label

    @property
    def help(self) -> str:
        return "" if self.param.type == "choice" else self.param.help

    @property
    def type(self) -> str:
        return self.param.type

    @property
    def required(self) -> bool:
        return self.param.required

    @property
    def checked(self) -> bool:
        return self.value in ("on", "true", "True", "1")

    @property
    def options(self) -> list[tuple[str, str]]:
        if self.param.type == "choice":
            return choice_labels(self.param)
        return []

    @property
    def default_label(self) -> str:
        for value, words in self.options:
            if value == self.param.default:
                return words
        return ""

    @property
    def columns(self) -> tuple[Param, ...]:
        return self.param.columns

    @property
    def blank_row(self) -> list[Cell]:
        """The cells of a new row (the template for the page's 「添加一行」)."""
        return self.rows[-1] if self.rows else []


def _row_cells(kind: str, param: Param, index: int, values: dict, prefix: str) -> list[Cell]:
    return [
        Cell(
            field_name(kind, param.name, index, col.name, prefix),
            col,
            "" if col.name == PART_PARAMS else _text(values.get(col.name)),
        )
        for col in param.columns
    ]


def _posted_rows(kind: str, param: Param, data, prefix: str) -> list[tuple[int, dict]]:
    start = field_name(kind, param.name, prefix=prefix) + "-"
    columns = {c.name for c in param.columns} - {PART_PARAMS}
    found: dict[int, dict] = {}
    for key in data:
        if not key.startswith(start):
            continue
        index, _, column = key[len(start) :].partition("-")
        if index.isdigit() and column in columns:
            found.setdefault(int(index), {})[column] = data.get(key, "")
    return sorted(found.items())


def _points(text: Any) -> Decimal | None:
    try:
        return to_decimal(_text(text), what="满分") if _text(text).strip() else None
    except NumberError:
        return None


@dataclass
class Part:
    """A composite's part under its row: the fields of every kind a part may be (the page
    shows the chosen kind's; the others hold their examples, so a change of kind starts
    from the new kind's example)."""

    prefix: str
    chosen: str
    label: str
    points: Decimal | None
    blocks: list[KindParams]

    @property
    def block(self) -> KindParams | None:
        return next((b for b in self.blocks if b.kind.name == self.chosen), None)

    @property
    def drawn(self) -> list[tuple[KindParams, str]]:
        return [(b, b.sentence(self.points)) for b in self.blocks]


def _part(prefix: str, values: dict, data, stored: dict | None) -> Part:
    """The part of one row: its chosen kind reads the form (when the form carries its
    fields) or the part's stored parameters; the other kinds show their examples."""
    chosen = _text(values.get(PART_KIND)).strip()
    blocks = []
    for rule in KINDS.values():
        if not rule.in_composite:
            continue
        if rule.name != chosen:
            blocks.append(KindParams(rule, prefix=prefix))
            continue
        own = f"{prefix}-{rule.name}-"
        if data is not None and any(key.startswith(own) for key in data):
            blocks.append(KindParams(rule, data=data, prefix=prefix))
        else:
            blocks.append(KindParams(rule, params=stored, prefix=prefix))
    label = _text(values.get("label")).strip() or _text(values.get(ROW_KEY)).strip()
    return Part(prefix, chosen, label, _points(values.get("max_points")), blocks)


class KindParams:
    """The parameter fields of one kind: drawn from stored params, a new item's example, or
    a submitted form; ``clean`` turns a submitted form into the params the engine reads."""

    def __init__(
        self, kind: RuleKind, *, data=None, params: dict | None = None, prefix: str = PREFIX
    ):
        self.kind = kind
        self.data = data
        self.prefix = prefix
        self.stored = params or {}
        self.fields: list[BoundParam] = []
        self.errors_outside: list[str] = []
        self.cleaned: dict = {}
        self._parts_failed = False
        given = params if params is not None else self.examples()
        for param in kind.params:
            bound = BoundParam(kind.name, param, prefix=prefix)
            if param.type == "rows":
                if data is not None:
                    rows = _posted_rows(kind.name, param, data, prefix)
                    rows = [(i, r) for i, r in rows if any(v.strip() for v in r.values())]
                else:
                    raw = given.get(param.name)
                    listed = (
                        [r for r in raw if isinstance(r, dict)] if isinstance(raw, list) else []
                    )
                    rows = list(enumerate(listed))
                after = max((i for i, _ in rows), default=-1) + 1
                rows = rows + [(after + n, {}) for n in range(BLANK_ROWS)]
                bound.rows = [_row_cells(kind.name, param, i, r, prefix) for i, r in rows]
                if PART_PARAMS in {c.name for c in param.columns}:
                    bound.parts = [
                        _part(
                            part_prefix(kind.name, param.name, i, prefix),
                            r,
                            data,
                            self._stored_part(param.name, r)
                            if data is not None
                            else r.get(PART_PARAMS),
                        )
                        for i, r in rows
                    ]
            elif data is not None:
                bound.value = (data.get(bound.name) or "").strip()
            else:
                bound.value = _text(given.get(param.name))
            self.fields.append(bound)

    def examples(self) -> dict:
        out = {}
        for param in self.kind.params:
            value = param.example if param.example is not None else param.default
            if value is not None:
                out[param.name] = value
        return out

    def raw(self) -> dict:
        """The parameters as shown (unchecked), a part's with its own."""
        raw: dict = {}
        for bound in self.fields:
            if bound.param.type == "rows":
                rows = []
                for number, cells in enumerate(bound.rows):
                    if not any(c.value for c in cells):
                        continue
                    row = {c.param.name: c.value for c in cells if c.value}
                    block = bound.parts[number].block if bound.parts else None
                    if block is not None:
                        row[PART_PARAMS] = block.cleaned or block.raw()
                    rows.append(row)
                raw[bound.param.name] = rows
            elif bound.param.type == "bool":
                raw[bound.param.name] = bound.checked
            elif bound.value:
                raw[bound.param.name] = bound.value
        return raw

    def sentence(self, max_points: Decimal | None) -> str:
        """What the rule will do with the values shown (checked or not)."""
        return self.kind.describe(self.cleaned or self.raw(), max_points)

    # ------------------------------------------------------------------- reading

    def clean(self, max_points: Decimal | None) -> bool:
        """Type-check every field, then let the engine parse them; errors at their fields."""
        params: dict = {}
        self._parts_failed = False
        for bound in self.fields:
            value = self._read(bound)
            if value is not None:
                params[bound.param.name] = value
        if self._parts_failed or any(b.errors for b in self.fields):
            return False
        if max_points is None:
            self.cleaned = params
            return True
        errors: list[str] = []
        spec = self.kind.parse_params(params, max_points, "", errors)
        for message in errors:
            self._place(message)
        if spec is None:
            return False
        self.cleaned = plain(spec.to_params())
        return True

    def _read(self, bound: BoundParam) -> Any:
        param = bound.param
        if param.type == "rows":
            rows: list[dict] = []
            given = {c.value.strip() for cells in bound.rows for c in cells if c.carried}
            number = 0
            for position, cells in enumerate(bound.rows):
                if not any(c.value.strip() for c in cells if not c.carried):
                    continue
                number += 1
                row = {}
                for cell in cells:
                    if cell.hidden or cell.carried:
                        if cell.carried and cell.value.strip():
                            row[ROW_KEY] = cell.value.strip()
                        continue
                    value = self._value(cell.param, cell.value, bound, f"第 {number} 行")
                    if value is not None:
                        row[cell.param.name] = value
                if ROW_KEY in {c.name for c in param.columns} and not row.get(ROW_KEY):
                    row[ROW_KEY] = _free_row_key(rows, given)
                if bound.parts:
                    row[PART_PARAMS] = self._part_params(bound.parts[position], number)
                rows.append(row)
            if not rows:
                if param.required:
                    bound.errors.append(f"请至少填写一行「{param.label}」")
                return None
            return rows
        return self._value(param, bound.value, bound, "")

    def _stored_part(self, name: str, row: dict) -> dict | None:
        """A part's stored parameters, when the row is the same part of the same kind."""
        for r in self.stored.get(name) or ():
            if isinstance(r, dict) and r.get(ROW_KEY) and r.get(ROW_KEY) == row.get(ROW_KEY):
                if r.get(PART_KIND) == row.get(PART_KIND) and isinstance(r.get(PART_PARAMS), dict):
                    return r[PART_PARAMS]
        return None

    def _part_params(self, part: Part, number: int) -> dict:
        """The part's own fields read and checked by its kind; their messages say which part
        (「第 2 部分「宣传」：请填写「每次扣分」」)."""
        block = part.block
        if block is None:
            return {}
        if not block.clean(part.points):
            self._parts_failed = True
            where = f"第 {number} 部分「{part.label}」：" if part.label else f"第 {number} 部分："
            for bound in block.fields:
                bound.errors[:] = [where + e for e in bound.errors]
            block.errors_outside[:] = [where + e for e in block.errors_outside]
        return block.cleaned

    def _value(self, param: Param, text: str, bound: BoundParam, where: str) -> Any:
        text = (text or "").strip()
        place = f"{where}「{param.label}」" if where else f"「{param.label}」"
        if param.type == "bool":
            return text in ("on", "true", "True", "1")
        if not text:
            if param.required and where:
                bound.errors.append(f"{where}：请填写「{param.label}」")
            elif param.required:
                bound.errors.append(f"请填写「{param.label}」")
            return None
        if param.type in ("number", "int"):
            try:
                number = to_decimal(text, what=param.label)
            except NumberError:
                bound.errors.append(f"{place}应为数字，如 {_text(param.example) or '1'}")
                return None
            if number < 0:
                bound.errors.append(f"{place}不能为负数")
                return None
            if param.type == "int":
                if number != number.to_integral_value():
                    bound.errors.append(f"{place}应为整数")
                    return None
                return int(number)
            return fmt(number)
        if param.name == PART_KIND and where and text not in PART_KINDS:
            bound.errors.append(f"{place}请从列表中选择")
            return None
        if param.type == "choice" and text not in param.choices:
            bound.errors.append(f"{place}请从列表中选择")
            return None
        return text

    def _place(self, message: str) -> None:
        """An engine message put at the field it names, in the field's words."""
        message = message.lstrip("：")
        target = None
        for bound in self.fields:
            if f"「{bound.param.name}」" in message:
                target = bound
                break
        words = _in_words(message, self.kind.params)
        if target is None:
            self.errors_outside.append(words)
        else:
            target.errors.append(words)

    @property
    def has_errors(self) -> bool:
        return (
            bool(self.errors_outside)
            or any(b.errors for b in self.fields)
            or any(p.block.has_errors for b in self.fields for p in b.parts if p.block)
        )

    def part_sentences(self) -> list[dict]:
        """Each part's sentence, for the page's live sentences under the parts."""
        return [
            {"part": p.prefix, "kind": p.chosen, "sentence": p.block.sentence(p.points)}
            for b in self.fields
            for p in b.parts
            if p.block is not None
        ]


def _free_row_key(rows: list[dict], given: set[str]) -> str:
    taken = {r.get(ROW_KEY) for r in rows} | given
    for letter in _ROW_KEYS:
        if letter not in taken:
            return letter
    return f"k{len(rows) + 1}"


def _in_words(message: str, params: tuple[Param, ...]) -> str:
    """「参数「levels」第 1 条：缺少「key」」 → 「「级别」第 1 行：请填写「代码」」."""
    labels = {}
    for param in params:
        labels[param.name] = param.label
        for column in param.columns:
            labels.setdefault(column.name, column.label)
    text = message.replace("缺少参数「", "请填写「").replace("缺少「", "请填写「")
    text = text.replace("参数「", "「")
    text = re.sub(r"第 (\d+) 条", r"第 \1 行", text)
    text = text.replace("应为非空列表", "至少要填一行").replace(
        "应为 true 或 false", "应勾选或不勾选"
    )
    return re.sub(r"「([A-Za-z_]+)」", lambda m: f"「{labels.get(m.group(1), m.group(1))}」", text)


def every_kind(*, data=None, kind: str = "", params: dict | None = None) -> list[KindParams]:
    """The parameter blocks of every kind for the item form: the chosen ``kind`` reads the
    stored ``params`` (or the form); the others show their examples."""
    blocks = []
    for name, rule in KINDS.items():
        if data is not None and name == kind:
            blocks.append(KindParams(rule, data=data, params=params))
        elif name == kind and params is not None:
            blocks.append(KindParams(rule, params=params))
        else:
            blocks.append(KindParams(rule))
    return blocks

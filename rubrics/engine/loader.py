"""Rubric files (parsed YAML/JSON dicts) ⇄ ``model.Rubric``.

``rubric_from_dict`` checks everything and raises ``RubricFormatError`` listing every
problem with its place: 「第 2 部分第 3 项「办公设施」：未知的评分方式「foo」」.
``rubric_to_dict`` writes the normalised form back: defaults filled in, decimals as
strings, so ``rubric_to_dict(rubric_from_dict(d))`` is ``d`` normalised, and loading that
again gives an equal rubric.

Defaults and readings where the contract is silent:
- ``version`` 1, ``issuer`` "", ``year`` null, ``subject`` unit, ``rounding`` 2 (0–6),
  ``columns`` the common labels (考核项目/序号/考核内容/分值/评分标准/自评得分/考核得分),
  ``fallback_grade`` 不合格 with 0%, ``veto_grade`` the fallback grade, a band's
  ``subsidy_percent`` 0, ``quota.scope`` cycle, ``quota.enforced`` true and
  ``quota.tie_break`` empty (every boundary tie is the administrator's);
- an item's ``title`` defaults to its ``requirement``; ``key`` and ``number`` given as
  YAML integers become strings;
- an item of kind ``penalty`` is a penalty item (``penalty: true`` may be omitted); a
  penalty item must have that kind and ``max_points`` 0; an item cannot be both bonus and
  penalty;
- unknown fields and unknown parameters are errors (they are almost always typos).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from decimal import Decimal
from typing import Any

from .errors import RubricFormatError
from .model import (
    NA_POLICIES,
    QUOTA_SCOPES,
    SUBJECTS,
    Columns,
    GradeBand,
    Item,
    Quota,
    Rubric,
    Section,
)
from .reading import ABSENT as _ABSENT
from .reading import MappingReader
from .rounding import MAX_PLACES, NumberError, to_decimal
from .rules.registry import KINDS

TOP_FIELDS = (
    "code",
    "version",
    "title",
    "issuer",
    "year",
    "subject",
    "declared_total",
    "columns",
    "rounding",
    "grades",
    "fallback_grade",
    "veto_grade",
    "quota",
    "bonus_cap",
    "notes",
    "sections",
)
SECTION_FIELDS = ("key", "title", "declared_points", "items")
ITEM_FIELDS = (
    "key",
    "number",
    "title",
    "requirement",
    "rule_text",
    "max_points",
    "kind",
    "params",
    "bonus",
    "penalty",
    "na_policy",
    "indicator",
)
COLUMN_FIELDS = tuple(f.name for f in fields(Columns))
_CODE = re.compile(r"[a-z0-9-]+")


class _Fields(MappingReader):
    """Reads one mapping of the file, appending problems to a shared error list."""

    def decimal(self, name: str, what: str, default: Any = _ABSENT) -> Decimal | None:
        value = self.raw.get(name)
        if value is None:
            if default is _ABSENT:
                self.error(f"缺少{what}（{name}）")
            return None if default is _ABSENT else default
        try:
            d = to_decimal(value, what=what)
        except NumberError as error:
            self.error(str(error))
            return None
        if d < 0:
            self.error(f"{what}「{value}」不能为负数")
            return None
        return d

    def integer(self, name: str, what: str, default: Any, low: int, high: int) -> Any:
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.error(f"{what}「{value}」应为 {low} 到 {high} 之间的整数")
            return default
        return value


def rubric_from_dict(data: object) -> Rubric:
    errors: list[str] = []
    top = _Fields(data, "", errors, TOP_FIELDS)

    code = top.text("code")
    if code and not _CODE.fullmatch(code):
        top.error(f"代码「{code}」只能包含小写字母、数字和“-”")
    title = top.text("title")
    grades, fallback = _grades(top, errors)
    labels = [band.label for band in grades] + [fallback.label]
    veto_grade = top.text("veto_grade", fallback.label)
    if veto_grade not in labels:
        top.error(f"一票否决等次「{veto_grade}」不是本表的等次（{'、'.join(labels)}）")
    sections = _sections(top, errors)

    rubric = Rubric(
        code=code,
        version=top.integer("version", "版本", 1, 1, 10**6),
        title=title,
        issuer=top.text("issuer", ""),
        year=top.integer("year", "年份", None, 1900, 2999),
        subject=top.choice("subject", SUBJECTS, "unit", "考核对象"),
        declared_total=top.decimal("declared_total", "标注总分", None),
        columns=_columns(top, errors),
        rounding=top.integer("rounding", "小数位数", 2, 0, MAX_PLACES),
        grades=grades,
        fallback_grade=fallback,
        veto_grade=veto_grade,
        quota=_quota(top, errors, [band.label for band in grades], sections),
        bonus_cap=top.decimal("bonus_cap", "加分上限", None),
        notes=top.text("notes", ""),
        sections=sections,
    )
    if errors:
        raise RubricFormatError(errors)
    return rubric


def _columns(top: _Fields, errors: list[str]) -> Columns:
    raw = top.raw.get("columns")
    if raw is None:
        return Columns()
    reader = _Fields(raw, "表头（columns）", errors, COLUMN_FIELDS)
    defaults = Columns()
    values = {}
    for name in COLUMN_FIELDS:
        if name in reader.raw and reader.raw[name] is None:
            values[name] = None
        else:
            values[name] = reader.text(name, getattr(defaults, name))
    return Columns(**values)


def _grades(top: _Fields, errors: list[str]) -> tuple[tuple[GradeBand, ...], GradeBand]:
    raw = top.raw.get("grades")
    bands = []
    if not isinstance(raw, list) or not raw:
        top.error("等次（grades）应为非空列表")
        raw = []
    for index, entry in enumerate(raw, start=1):
        reader = _Fields(entry, f"等次第 {index} 档", errors, ("label", "min", "subsidy_percent"))
        label = reader.text("label")
        low = reader.decimal("min", "分数线")
        percent = reader.decimal("subsidy_percent", "补助比例", Decimal(0))
        bands.append(GradeBand(label, low if low is not None else Decimal(0), percent))
    fallback_raw = top.raw.get("fallback_grade") or {"label": "不合格"}
    reader = _Fields(
        fallback_raw, "兜底等次（fallback_grade）", errors, ("label", "subsidy_percent")
    )
    fallback = GradeBand(
        reader.text("label", "不合格"),
        None,
        reader.decimal("subsidy_percent", "补助比例", Decimal(0)),
    )
    seen: set[str] = set()
    for band in (*bands, fallback):
        if band.label and band.label in seen:
            top.error(f"等次名称「{band.label}」重复")
        seen.add(band.label)
    return tuple(bands), fallback


TIE_BASE_TOTAL = "base_total"
TIE_SECTION = "section:"


def _tie_break(reader: _Fields, sections) -> tuple[str, ...]:
    raw = reader.raw.get("tie_break")
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        reader.error('同分排序（tie_break）应为列表，如 ["section:s3", "base_total"]')
        return ()
    keys = {section.key for section in sections}
    for entry in raw:
        if entry == TIE_BASE_TOTAL:
            continue
        if entry.startswith(TIE_SECTION) and entry[len(TIE_SECTION) :] in keys:
            continue
        reader.error(
            f"同分排序「{entry}」不可识别：应为 base_total 或 section:<部分代码>"
            f"（本表的部分：{'、'.join(sorted(keys))}）"
        )
    if len(set(raw)) != len(raw):
        reader.error("同分排序（tie_break）有重复的项")
    return tuple(raw)


def _quota(top: _Fields, errors: list[str], band_labels: list[str], sections) -> Quota | None:
    raw = top.raw.get("quota")
    if raw is None:
        return None
    reader = _Fields(
        raw, "名额限制（quota）", errors, ("grade", "percent", "scope", "enforced", "tie_break")
    )
    grade = reader.text("grade")
    if grade and grade not in band_labels:
        reader.error(f"等次「{grade}」不是本表的分数段等次（{'、'.join(band_labels)}）")
    percent = reader.decimal("percent", "比例")
    if percent is not None and percent > 100:
        reader.error(f"比例「{reader.raw.get('percent')}」不能超过 100")
    return Quota(
        grade=grade,
        percent=percent if percent is not None else Decimal(0),
        scope=reader.choice("scope", QUOTA_SCOPES, "cycle", "名额范围"),
        enforced=reader.flag("enforced", True),
        tie_break=_tie_break(reader, sections),
    )


def _sections(top: _Fields, errors: list[str]) -> tuple[Section, ...]:
    raw = top.raw.get("sections")
    if not isinstance(raw, list) or not raw:
        top.error("各部分（sections）应为非空列表")
        return ()
    sections = []
    section_keys: set[str] = set()
    item_places: dict[str, str] = {}
    for s_index, s_raw in enumerate(raw, start=1):
        title_hint = s_raw.get("title", "") if isinstance(s_raw, Mapping) else ""
        where = f"第 {s_index} 部分「{title_hint}」" if title_hint else f"第 {s_index} 部分"
        reader = _Fields(s_raw, where, errors, SECTION_FIELDS)
        key = reader.text("key", str(s_index))
        if key in section_keys:
            reader.error(f"部分代码「{key}」重复")
        section_keys.add(key)
        items = []
        items_raw = reader.raw.get("items")
        if not isinstance(items_raw, list) or not items_raw:
            reader.error("评分项（items）应为非空列表")
            items_raw = []
        for i_index, i_raw in enumerate(items_raw, start=1):
            item = _item(i_raw, s_index, i_index, key, errors, item_places)
            if item is not None:
                items.append(item)
        sections.append(
            Section(
                key=key,
                title=reader.text("title"),
                declared_points=reader.decimal("declared_points", "小计", None),
                items=tuple(items),
            )
        )
    return tuple(sections)


def _item(
    raw: object,
    s_index: int,
    i_index: int,
    section_key: str,
    errors: list[str],
    item_places: dict[str, str],
) -> Item | None:
    hint = ""
    if isinstance(raw, Mapping):
        hint = raw.get("title") or raw.get("requirement") or ""
    where = f"第 {s_index} 部分第 {i_index} 项" + (f"「{hint}」" if hint else "")
    reader = _Fields(raw, where, errors, ITEM_FIELDS)
    before = len(errors)

    key = reader.text("key")
    if key:
        if key in item_places:
            reader.error(f"代码「{key}」与{item_places[key]}重复")
        else:
            item_places[key] = f"第 {s_index} 部分第 {i_index} 项"
    requirement = reader.text("requirement", "")
    title = reader.text("title", requirement or _ABSENT)
    kind = reader.raw.get("kind")
    rule = None
    if kind is None:
        reader.error("缺少评分方式（kind）")
    elif kind not in KINDS:
        reader.error(f"未知的评分方式「{kind}」")
        kind = None
    else:
        rule = KINDS[kind]
    penalty = reader.flag("penalty", rule is not None and rule.penalty)
    bonus = reader.flag("bonus", False)
    if bonus and penalty:
        reader.error("不能同时是加分项和扣分项")
    if rule is not None and penalty != rule.penalty:
        reader.error("扣分项（penalty: true）的评分方式应为 penalty，反之亦然")
    max_points = reader.decimal("max_points", "满分", Decimal(0) if penalty else _ABSENT)
    if penalty and max_points:
        reader.error(f"扣分项的满分应为 0，而不是 {max_points}")
    na_policy = reader.choice("na_policy", NA_POLICIES, "none", "不适用处理方式")
    indicator = reader.text("indicator", None) or None
    number = reader.text("number", "")
    params = reader.raw.get("params")

    spec = None
    if rule is not None and max_points is not None:
        spec = rule.parse_params(params, max_points, where, errors)
    if len(errors) > before or spec is None:
        return None
    return Item(
        key=key,
        number=number,
        title=title,
        requirement=requirement,
        rule_text=reader.text("rule_text", ""),
        max_points=max_points,
        kind=kind,
        params=spec.to_params(),
        bonus=bonus,
        penalty=penalty,
        na_policy=na_policy,
        indicator=indicator,
        section_key=section_key,
        spec=spec,
        rule=rule,
    )


# ------------------------------------------------------------------------- writing


def plain(value: Any) -> Any:
    """Decimals as strings, tuples as lists, all the way down (what a file holds)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


HEAD_FIELDS = ("code", "version", "title", "issuer", "year", "subject")


def rubric_to_dict(rubric: Rubric) -> dict:
    """The normalised file form of a loaded rubric."""
    return write_rubric(
        rubric,
        columns={name: getattr(rubric.columns, name) for name in COLUMN_FIELDS},
        grades=rubric.grades,
        fallback=rubric.fallback_grade,
        quota=rubric.quota,
        sections=[(section, section.items) for section in rubric.sections],
    )


def write_rubric(
    source: Any,
    *,
    columns: dict,
    grades: Iterable[GradeBand],
    fallback: GradeBand,
    quota: Quota | None,
    sections: Iterable[tuple[Any, Iterable[Any]]],
    number: Callable[[Decimal | None], str | None] = _dec,
) -> dict:
    """The file form of a rubric, loaded or stored: the one writer of the format.

    ``source`` gives the top-level fields under their file names (``code``, ``rounding``,
    ``veto_grade``…), as both a loaded rubric and the stored model do; its parts come as
    this module's dataclasses (grades, fallback, quota) and (section, items) pairs whose
    attributes are named as in the file. ``number`` writes a decimal."""
    return {
        **{name: getattr(source, name) for name in HEAD_FIELDS},
        "declared_total": number(source.declared_total),
        "columns": columns,
        "rounding": source.rounding,
        "grades": [
            {"label": b.label, "min": number(b.min), "subsidy_percent": number(b.subsidy_percent)}
            for b in grades
        ],
        "fallback_grade": {
            "label": fallback.label,
            "subsidy_percent": number(fallback.subsidy_percent),
        },
        "veto_grade": source.veto_grade,
        "quota": None
        if quota is None
        else {
            "grade": quota.grade,
            "percent": number(quota.percent),
            "scope": quota.scope,
            "enforced": quota.enforced,
            "tie_break": list(quota.tie_break),
        },
        "bonus_cap": number(source.bonus_cap),
        "notes": source.notes,
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "declared_points": number(section.declared_points),
                "items": [_item_dict(item, number) for item in items],
            }
            for section, items in sections
        ],
    }


def _item_dict(item: Any, number: Callable[[Decimal | None], str | None]) -> dict:
    out = {name: getattr(item, name) for name in ITEM_FIELDS}
    out["max_points"] = number(item.max_points)
    out["params"] = plain(item.params or {})
    out["indicator"] = item.indicator or None
    return out

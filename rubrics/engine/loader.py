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
  ``subsidy_percent`` 0, ``quota.scope`` cycle and ``quota.enforced`` true;
- an item's ``title`` defaults to its ``requirement``; ``key`` and ``number`` given as
  YAML integers become strings;
- an item of kind ``penalty`` is a penalty item (``penalty: true`` may be omitted); a
  penalty item must have that kind and ``max_points`` 0; an item cannot be both bonus and
  penalty;
- unknown fields and unknown parameters are errors (they are almost always typos).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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
_ABSENT = object()


class _Fields:
    """Reads one mapping of the file, appending problems to a shared error list."""

    def __init__(self, raw: object, where: str, errors: list[str], allowed: tuple[str, ...]):
        self.where = where
        self.errors = errors
        if not isinstance(raw, Mapping):
            self.error("应为键值对")
            raw = {}
        self.raw = raw
        for key in raw:
            if key not in allowed:
                self.error(f"未知的字段「{key}」")

    def error(self, message: str) -> None:
        self.errors.append(f"{self.where}：{message}" if self.where else message)

    def text(self, name: str, default: Any = _ABSENT, *, what: str = "") -> Any:
        value = self.raw.get(name)
        if value is None:
            if default is _ABSENT:
                self.error(f"缺少{what or '字段'}「{name}」")
                return ""
            return default
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.error(f"「{name}」应为文字")
            return "" if default is _ABSENT else default
        return str(value)

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

    def flag(self, name: str, default: bool) -> bool:
        value = self.raw.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(f"「{name}」应为 true 或 false")
            return default
        return value

    def choice(self, name: str, options: tuple[str, ...], default: str, what: str) -> str:
        value = self.raw.get(name)
        if value is None:
            return default
        if value not in options:
            self.error(f"未知的{what}「{value}」，应为 {'、'.join(options)} 之一")
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
        quota=_quota(top, errors, [band.label for band in grades]),
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


def _quota(top: _Fields, errors: list[str], band_labels: list[str]) -> Quota | None:
    raw = top.raw.get("quota")
    if raw is None:
        return None
    reader = _Fields(raw, "名额限制（quota）", errors, ("grade", "percent", "scope", "enforced"))
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
    indicator = reader.text("indicator", None)
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


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def rubric_to_dict(rubric: Rubric) -> dict:
    quota = rubric.quota
    return {
        "code": rubric.code,
        "version": rubric.version,
        "title": rubric.title,
        "issuer": rubric.issuer,
        "year": rubric.year,
        "subject": rubric.subject,
        "declared_total": _dec(rubric.declared_total),
        "columns": {name: getattr(rubric.columns, name) for name in COLUMN_FIELDS},
        "rounding": rubric.rounding,
        "grades": [
            {"label": b.label, "min": str(b.min), "subsidy_percent": str(b.subsidy_percent)}
            for b in rubric.grades
        ],
        "fallback_grade": {
            "label": rubric.fallback_grade.label,
            "subsidy_percent": str(rubric.fallback_grade.subsidy_percent),
        },
        "veto_grade": rubric.veto_grade,
        "quota": None
        if quota is None
        else {
            "grade": quota.grade,
            "percent": str(quota.percent),
            "scope": quota.scope,
            "enforced": quota.enforced,
        },
        "bonus_cap": _dec(rubric.bonus_cap),
        "notes": rubric.notes,
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "declared_points": _dec(section.declared_points),
                "items": [_item_dict(item) for item in section.items],
            }
            for section in rubric.sections
        ],
    }


def _item_dict(item: Item) -> dict:
    return {
        "key": item.key,
        "number": item.number,
        "title": item.title,
        "requirement": item.requirement,
        "rule_text": item.rule_text,
        "max_points": str(item.max_points),
        "kind": item.kind,
        "params": _plain(item.params),
        "bonus": item.bonus,
        "penalty": item.penalty,
        "na_policy": item.na_policy,
        "indicator": item.indicator,
    }

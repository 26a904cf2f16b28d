"""An item made of parts, each with its own rule (「培训和鉴定取证各3分」).

The item's score is the sum of its components' scores (each rounded on its own, as
printed), capped at the item's ``max_points``. A component whose kind is tied to a
target reads the item's ``target``/``actual``/``sub_target``/``sub_actual`` when its own
input lacks them, so 「15000 (7500)」 can be entered once for the item.

Components may be of any kind except composite, veto and penalty: a veto or a penalty
inside a part would act on the whole sheet, which the documents never do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import InputError
from ..model import Item
from ..rounding import fmt
from .base import ZERO, ItemOutcome, ParamReader, clamp
from .kind import InputField, Param, RuleKind, Sample, num, rows_of
from .targets import TARGET_FIELDS, fill_targets_form, read_targets_form, target_fields


@dataclass(frozen=True)
class Component:
    item: Any  # model.Item standing for the part
    read: Any
    score: Any
    target_linked: bool


@dataclass(frozen=True)
class CompositeSpec:
    components: tuple[Component, ...]
    by_key: Mapping[str, Component]

    def to_params(self) -> dict:
        return {
            "components": [
                {
                    "key": c.item.key,
                    "label": c.item.title,
                    "max_points": c.item.max_points,
                    "kind": c.item.kind,
                    "params": c.item.params,
                }
                for c in self.components
            ]
        }


def parse_with(kinds: Mapping[str, RuleKind], p: ParamReader, max_points: Decimal) -> CompositeSpec:
    """The parts' kinds are looked up in ``kinds`` (the registry's, given by ``describe``)."""
    components = []
    seen: set[str] = set()
    for r in p.records("components", ("key", "label", "max_points", "kind", "params")):
        key = r.key()
        label = r.text("label", key or "")
        top = r.decimal("max_points")
        kind_name = r.raw.get("kind")
        if kind_name is None:
            r.error("缺少评分方式（kind）")
            continue
        kind = kinds.get(kind_name) if isinstance(kind_name, str) else None
        if kind is not None and not kind.in_composite:
            r.error(f"组成部分的评分方式不能是「{kind_name}」")
            continue
        if kind is None:
            r.error(f"未知的评分方式「{kind_name}」")
            continue
        if key in seen:
            r.error(f"组成部分代码「{key}」重复")
        if key is None or top is None:
            continue
        seen.add(key)
        where = f"{p.where}：组成部分「{label}」"
        spec = kind.parse_params(r.raw.get("params"), top, where, p.errors)
        if spec is None:
            continue
        part = Item(
            key=key,
            number="",
            title=label,
            requirement="",
            rule_text="",
            max_points=top,
            kind=kind_name,
            params=spec.to_params(),
            spec=spec,
            rule=kind,
        )
        components.append(Component(part, kind.read, kind.score, kind.target_linked))
    return CompositeSpec(tuple(components), {c.item.key: c for c in components})


def read(item, raw: dict) -> list[tuple[Component, Any]]:
    spec = item.spec
    own_inputs = raw.get("components") or {}
    if type(own_inputs) is not dict and not isinstance(own_inputs, Mapping):
        raise InputError("components 应为键值对")
    for key in own_inputs:
        if key not in spec.by_key:
            raise InputError(f"未知的组成部分「{key}」")
    values = []
    for component in spec.components:
        own = own_inputs.get(component.item.key) or {}
        if type(own) is not dict and not isinstance(own, Mapping):
            raise InputError(f"{component.item.title}：输入应为键值对")
        if component.target_linked:
            inherited = {f: raw[f] for f in TARGET_FIELDS if f in raw and f not in own}
            if inherited:
                own = {**inherited, **own}
        try:
            values.append((component, component.read(component.item, own)))
        except InputError as error:
            raise InputError(f"{component.item.title}：{error.message}") from None
    return values


def score(item, values: list[tuple[Component, Any]], places: int) -> ItemOutcome:
    parts = []
    scores = {}
    total = ZERO
    for component, value in values:
        outcome = component.score(component.item, value, places)
        scores[component.item.key] = outcome.score
        total += outcome.score
        parts.append(f"{component.item.title}：{outcome.explanation}")
    top = item.max_points
    points = clamp(total, top, places)
    if total > top:
        tail = f"合计 {fmt(total)} 分，超过满分 {fmt(top)} 分，按 {fmt(points)} 分计"
    else:
        tail = f"合计 {fmt(points)} 分"
    return ItemOutcome(points, f"{'；'.join(parts)}；{tail}", components=scores)


# --------------------------------------------------------------- descriptions


def _warnings(item) -> list[str]:
    parts = sum((c.item.max_points for c in item.spec.components), Decimal(0))
    if parts != item.max_points:
        return [f"满分 {fmt(item.max_points)} 分，各组成部分合计 {fmt(parts)} 分"]
    return []


def describe(kinds: Mapping[str, RuleKind]) -> RuleKind:
    """The composite kind, whose parts are of the kinds in ``kinds`` (looked up when used,
    so a kind registered later may be a part)."""

    def parse(p: ParamReader, max_points: Decimal) -> CompositeSpec:
        return parse_with(kinds, p, max_points)

    def fields(params: dict, base: str) -> list[InputField]:
        out = []
        components = params.get("components", [])
        for comp in components:
            kind = kinds[comp["kind"]]
            sub = kind.fields(comp.get("params") or {}, f"{base}-c-{comp['key']}")
            out += [
                InputField(f.name, f"{comp['label']}：{f.label}", f.widget, f.step, f.help)
                for f in sub
            ]
        if any(kinds[c["kind"]].target_linked for c in components):
            out += target_fields(base) + target_fields(base, sub=True)
        return out

    def read_form(params: dict, base: str, data: Mapping) -> dict:
        out = read_targets_form(params, base, data)
        components = {}
        for comp in params.get("components", []):
            kind = kinds[comp["kind"]]
            sub = kind.read_form(comp.get("params") or {}, f"{base}-c-{comp['key']}", data)
            if sub:
                components[comp["key"]] = sub
        if components:
            out["components"] = components
        return out

    def fill_form(params: dict, base: str, value: dict, out: dict) -> None:
        fill_targets_form(params, base, value, out)
        for comp in params.get("components", []):
            sub = (value.get("components") or {}).get(comp["key"])
            if sub:
                kind = kinds[comp["kind"]]
                kind.fill_form(comp.get("params") or {}, f"{base}-c-{comp['key']}", sub, out)

    def describer(params: dict, max_points: Decimal | None) -> str:
        """「分项计分后相加，合计不超过 8 分：培训 3 分（考核人酌情给分…）；鉴定取证 3 分（…）」."""
        parts = []
        for comp in rows_of(params, "components"):
            name = comp.get("label") or comp.get("key") or "?"
            kind = kinds.get(comp.get("kind") or "")
            top = comp.get("max_points")
            how = ""
            if kind is not None:
                try:
                    part_top = Decimal(str(top)) if top not in (None, "") else None
                except ArithmeticError:
                    part_top = None
                how = f"（{kind.describe(comp.get('params') or {}, part_top)}）"
            parts.append(f"{name} {num(top, '?')} 分{how}")
        if not parts:
            return "尚未列出组成部分"
        cap = f"，合计不超过 {fmt(max_points)} 分" if max_points else ""
        return f"分项计分后相加{cap}：" + "；".join(parts)

    def sample(params: dict, top: Decimal, draw: Sample) -> dict:
        return {
            "components": {
                c["key"]: draw.part(c["kind"], c.get("params") or {}, Decimal(str(c["max_points"])))
                for c in params.get("components", [])
            }
        }

    return RuleKind(
        "composite",
        "组合项（分项各自计分）",
        (
            Param(
                "components",
                "组成部分",
                "rows",
                "各部分各用自己的评分方式计分，合计不超过本项满分；"
                "部分不能是组合评分、一票否决或扣分项。",
                required=True,
                example=[{"key": "a", "label": "培训", "max_points": "3", "kind": "discretionary"}],
                columns=(
                    Param("key", "代码", "text", "输入里用来指明部分的代码。", required=True),
                    Param("label", "名称", "text", "表上显示的部分名称。"),
                    Param("max_points", "满分", "number", "这一部分的满分。", required=True),
                    Param("kind", "评分方式", "text", "这一部分的评分方式。", required=True),
                    Param("params", "参数", "text", "这一部分评分方式的参数。"),
                ),
            ),
        ),
        parse,
        read,
        score,
        fields=fields,
        read_form=read_form,
        fill_form=fill_form,
        sample=sample,
        warnings=_warnings,
        in_composite=False,
        describer=describer,
    )

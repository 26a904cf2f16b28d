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
from ..rounding import fmt
from .base import ZERO, ItemOutcome, ParamReader, clamp

TARGET_FIELDS = ("target", "actual", "sub_target", "sub_actual")
NOT_IN_COMPOSITE = ("composite", "veto", "penalty")


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


def parse(p: ParamReader, max_points: Decimal) -> CompositeSpec:
    from ..model import Item
    from .registry import KINDS, parse_params

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
        if kind_name in NOT_IN_COMPOSITE:
            r.error(f"组成部分的评分方式不能是「{kind_name}」")
            continue
        kind = KINDS.get(kind_name) if isinstance(kind_name, str) else None
        if kind is None:
            r.error(f"未知的评分方式「{kind_name}」")
            continue
        if key in seen:
            r.error(f"组成部分代码「{key}」重复")
        if key is None or top is None:
            continue
        seen.add(key)
        where = f"{p.where}：组成部分「{label}」"
        spec = parse_params(kind_name, r.raw.get("params"), top, where, p.errors)
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
        )
        part.__dict__["spec"] = spec
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

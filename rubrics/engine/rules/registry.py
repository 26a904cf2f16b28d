"""Rule kind name → its description (``kind.RuleKind``), joined from the rule modules.

Each kind is described beside its code (``KIND`` or ``*_KIND`` values in ``rules/*.py``);
this module only lists them, in the order pages offer them. ``register`` adds a kind
(what a new rule module's entry does, and what tests use for a throwaway kind).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from ..errors import InputError
from . import bonuses, composite, deductions, discretionary, peer, rates, targets, veto
from .base import ItemOutcome
from .kind import RuleKind, Sample

KINDS: dict[str, RuleKind] = {}


def register(kind: RuleKind) -> RuleKind:
    if kind.name in KINDS:
        raise ValueError(f"rule kind {kind.name!r} is already registered")
    KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    del KINDS[name]


@contextmanager
def registered(kind: RuleKind) -> Iterator[RuleKind]:
    """``kind`` is registered for the duration of the block (tests)."""
    register(kind)
    try:
        yield kind
    finally:
        unregister(kind.name)


for _kind in (
    discretionary.KIND,
    deductions.PER_OCCURRENCE,
    deductions.FIXED,
    deductions.CHECKLIST,
    targets.ALL_OR_NOTHING,
    targets.PROPORTIONAL,
    targets.SHORTFALL,
    rates.RATE_BELOW,
    rates.BRACKETS,
    composite.describe(KINDS),
    bonuses.HIGHEST_LEVEL,
    bonuses.ADDITIVE_BONUS,
    bonuses.PENALTY,
    veto.KIND,
    peer.KIND,
):
    register(_kind)


def choices() -> list[tuple[str, str]]:
    """(name, Chinese label) of every kind, for model and form choices."""
    return [(kind.name, kind.label) for kind in KINDS.values()]


def sample_input(kind_name: str, params: dict, top: Decimal, rng: random.Random, quality: float):
    """A plausible input for an item of this kind (demo data); ``quality`` is 0..1."""
    q = Decimal(str(round(min(1.0, quality + rng.uniform(-0.08, 0.08)), 3)))

    def part(name: str, part_params: dict, part_top: Decimal) -> dict:
        return sample_input(name, part_params, part_top, rng, quality)

    kind = KINDS.get(kind_name)
    if kind is None:
        return {}
    return kind.sample(params, top, Sample(rng, quality, q, part))


def score_item(item: Any, raw: dict, places: int = 2) -> ItemOutcome:
    """Read and score one item's input (for tests and previews); raises InputError."""
    kind = KINDS[item.kind]
    try:
        return kind.score(item, kind.read(item, raw), places)
    except InputError as error:
        raise InputError(f"{item.label}：{error.message}", item_key=item.key) from None

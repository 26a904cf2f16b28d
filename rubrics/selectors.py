from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rubrics import engine
from rubrics.convert import engine_rubric
from rubrics.models import Rubric

_FROZEN_CACHE: dict[tuple, engine.Rubric] = {}


def engine_rubric_for(rubric: Rubric) -> engine.Rubric:
    """The engine's view of a stored rubric. A frozen version never changes, so it is parsed
    once per process; an unfrozen one is read afresh."""
    if not rubric.frozen:
        return engine_rubric(rubric)
    # The key names the row completely: a deleted rubric's id may be given to a new one.
    key = (rubric.pk, rubric.code, rubric.version, rubric.created_at)
    cached = _FROZEN_CACHE.get(key)
    if cached is None:
        cached = _FROZEN_CACHE[key] = engine_rubric(rubric)
    return cached


# ------------------------------------------------------------ the rubric pages


def rubric_list():
    """Every rubric with how many cycles use it, newest versions first within a code."""
    from django.db.models import Count

    return Rubric.objects.annotate(cycle_count=Count("cycles")).order_by("code", "-version")


@dataclass(frozen=True)
class ItemRow:
    item: Any
    kind_label: str
    does: str  # what the rule will do, in words


@dataclass(frozen=True)
class SectionRows:
    section: Any
    items: list[ItemRow]
    items_total: Decimal  # the base items' points (bonus and penalty items apart)


def editor_table(rubric: Rubric) -> list[SectionRows]:
    """The sections in order, each with its items in order and what each rule will do."""
    from rubrics.engine.rules import KINDS

    out = []
    for section in rubric.sections.prefetch_related("items"):
        rows = []
        total = Decimal(0)
        for item in section.items.all():
            kind = KINDS.get(item.kind)
            label = kind.label if kind else item.kind
            does = kind.describe(item.params, item.max_points) if kind else ""
            rows.append(ItemRow(item, label, does))
            if not item.bonus and not item.penalty:
                total += item.max_points
        out.append(SectionRows(section, rows, total))
    return out

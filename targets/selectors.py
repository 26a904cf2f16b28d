from org.models import Unit
from org.naming import NameMatcher
from org.scope import visible_units


def unit_tree_for(user):
    """Visible units grouped for display: [(town, [children…])…], plus bureaus."""
    units = list(visible_units(user).filter(active=True).order_by("sort_order", "id"))
    by_parent: dict = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    towns = [u for u in units if u.is_town_level]
    return [(town, by_parent.get(town.pk, [])) for town in towns]


def unit_matcher(queryset=None) -> NameMatcher:
    """A matcher over units (active ones by default) with their aliases, in two queries.
    The aliases come as plain (unit id, name) pairs: a prefetch would build a related
    manager and a query per unit, a few seconds at 5,000 units."""
    from org.models import UnitAlias

    qs = queryset if queryset is not None else Unit.objects.filter(active=True)
    units = list(qs)
    aliases: dict[int, list[str]] = {}
    for unit_id, name in UnitAlias.objects.order_by("pk").values_list("unit_id", "name"):
        aliases.setdefault(unit_id, []).append(name)  # a few hundred: all of them, one query
    return NameMatcher((u, u.name, aliases.get(u.pk, [])) for u in units)


def target_years() -> list[int]:
    from targets.models import TargetAllocation

    return sorted(set(TargetAllocation.objects.values_list("year", flat=True)), reverse=True)


def indicator_summaries(user, year: int) -> list[dict]:
    """Per indicator of the year: units with a target, sums of target and actual (visible units)."""
    from django.db.models import Count, Sum

    from targets.models import Achievement, Indicator, TargetAllocation

    units = visible_units(user)
    targets = {
        row["indicator"]: row
        for row in TargetAllocation.objects.filter(year=year, unit__in=units)
        .values("indicator")
        .annotate(n=Count("id"), total=Sum("target"))
    }
    actuals = {
        row["indicator"]: row["total"]
        for row in Achievement.objects.filter(year=year, unit__in=units)
        .values("indicator")
        .annotate(total=Sum("actual"))
    }
    indicators = Indicator.objects.filter(pk__in=set(targets) | set(actuals)).order_by(
        "sort_order", "pk"
    )
    return [
        {
            "indicator": i,
            "units": targets.get(i.pk, {}).get("n", 0),
            "target": targets.get(i.pk, {}).get("total"),
            "actual": actuals.get(i.pk),
        }
        for i in indicators
    ]


def completion_rows(user, indicator, year: int) -> list[dict]:
    """Visible units with a target or an actual for the indicator and year, in tree order."""
    from targets.completion import completion
    from targets.models import Achievement, TargetAllocation

    units = visible_units(user)
    allocations = {
        a.unit_id: a
        for a in TargetAllocation.objects.filter(year=year, indicator=indicator, unit__in=units)
    }
    achievements = {
        a.unit_id: a
        for a in Achievement.objects.filter(year=year, indicator=indicator, unit__in=units)
    }
    unit_list = Unit.objects.filter(pk__in=set(allocations) | set(achievements)).select_related(
        "parent"
    )
    rows = []
    for unit in unit_list:
        allocation = allocations.get(unit.pk)
        achievement = achievements.get(unit.pk)
        target = allocation.target if allocation else None
        actual = achievement.actual if achievement else None
        sub_target = allocation.sub_target if allocation else None
        sub_actual = achievement.sub_actual if achievement else None
        town = unit if unit.is_town_level else unit.parent
        rows.append(
            {
                "unit": unit,
                "town": town,
                "target": target,
                "actual": actual,
                "sub_target": sub_target,
                "sub_actual": sub_actual,
                "completion": completion(target, actual),
                "sub_completion": completion(sub_target, sub_actual),
                "as_of": achievement.as_of if achievement else None,
                "order": (
                    town.sort_order if town else 0,
                    town.pk if town else 0,
                    0 if unit.is_town_level else 1,
                    unit.sort_order,
                    unit.pk,
                ),
            }
        )
    rows.sort(key=lambda r: r["order"])
    return rows


def targets_and_actuals(*, year: int, indicator, units=None) -> dict:
    """For rubric items tied to a target: unit id → (target, sub_target, actual, sub_actual),
    None where missing. ``indicator`` is an Indicator or its name; two queries."""
    from org.naming import normalize_name
    from targets.models import Achievement, Indicator, TargetAllocation

    if isinstance(indicator, str):
        indicator = Indicator.objects.filter(normalized_name=normalize_name(indicator)).first()
        if indicator is None:
            return {}
    allocations = TargetAllocation.objects.filter(year=year, indicator=indicator)
    achievements = Achievement.objects.filter(year=year, indicator=indicator)
    if units is not None:
        allocations = allocations.filter(unit__in=units)
        achievements = achievements.filter(unit__in=units)
    out: dict = {}
    for unit_id, target, sub in allocations.values_list("unit_id", "target", "sub_target"):
        out[unit_id] = (target, sub, None, None)
    for unit_id, actual, sub in achievements.values_list("unit_id", "actual", "sub_actual"):
        target, sub_target, _a, _s = out.get(unit_id, (None, None, None, None))
        out[unit_id] = (target, sub_target, actual, sub)
    return out

from org.models import Unit
from org.naming import NameMatcher
from org.scope import visible_units

TOWNS_PER_PAGE = 20


def visible_towns(user):
    """The active town-level units the user may see, in tree order, each with
    ``n_children``: its active communities and villages."""
    from django.db.models import Count, Q

    return (
        visible_units(user)
        .filter(active=True, kind__in=Unit.TOWN_KINDS)
        .annotate(n_children=Count("children", filter=Q(children__active=True)))
        .order_by("sort_order", "id")
    )


def unit_tree_page(user, number, per_page: int = TOWNS_PER_PAGE):
    """One page of the unit tree: (page of towns, [(town, [children…])…]); three queries
    whatever the number of units (the count, the towns, their visible children)."""
    from django.core.paginator import Paginator

    page = Paginator(visible_towns(user), per_page).get_page(number)
    towns = list(page.object_list)
    by_parent: dict = {}
    children = (
        visible_units(user)
        .filter(active=True, parent_id__in=[t.pk for t in towns])
        .order_by("sort_order", "id")
    )
    for unit in children:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    return page, [(town, by_parent.get(town.pk, [])) for town in towns]


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

    years = TargetAllocation.objects.order_by().values_list("year", flat=True).distinct()
    return sorted(years, reverse=True)


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


COMPLETION_SORTS = ("name", "target", "actual", "rate")


def completion_queryset(user, indicator, year: int):
    """The visible units with a target or an actual for the indicator and year, as one
    query: each annotated with its target, actual, their sub-values, the date of the
    actual, its town (``town_key``) and its completion rate (``rate_value``, unrounded,
    None without a task or an actual); in tree order."""
    from django.db.models import Case, F, FilteredRelation, FloatField, Q, When
    from django.db.models.functions import Cast

    towns = Unit.TOWN_KINDS
    return (
        visible_units(user)
        .annotate(
            alloc=FilteredRelation(
                "allocations",
                condition=Q(allocations__year=year, allocations__indicator=indicator),
            ),
            ach=FilteredRelation(
                "achievements",
                condition=Q(achievements__year=year, achievements__indicator=indicator),
            ),
        )
        .filter(Q(alloc__id__isnull=False) | Q(ach__id__isnull=False))
        .annotate(
            target=F("alloc__target"),
            sub_target=F("alloc__sub_target"),
            actual=F("ach__actual"),
            sub_actual=F("ach__sub_actual"),
            as_of=F("ach__as_of"),
            town_key=Case(When(kind__in=towns, then=F("pk")), default=F("parent_id")),
            town_order=Case(
                When(kind__in=towns, then=F("sort_order")), default=F("parent__sort_order")
            ),
            level=Case(When(kind__in=towns, then=0), default=1),
            rate_value=Case(
                When(
                    Q(alloc__target__isnull=False)
                    & ~Q(alloc__target=0)
                    & Q(ach__actual__isnull=False),
                    then=Cast("ach__actual", FloatField())
                    * 100.0
                    / Cast("alloc__target", FloatField()),
                ),
                default=None,
                output_field=FloatField(),
            ),
        )
    )


def completion_page(
    user, indicator, year: int, *, town_id=None, sort="name", number=1, per_page=100
):
    """(page of row dicts, the towns of every row, the town chosen or None): the
    completion page filtered by town, sorted and paginated in SQL; four queries."""
    from django.core.paginator import Paginator
    from django.db.models import F

    from targets.completion import completion

    qs = completion_queryset(user, indicator, year)
    towns = list(Unit.objects.filter(pk__in=qs.values("town_key")).order_by("sort_order", "pk"))
    town = next((t for t in towns if t.pk == town_id), None)
    if town is not None:
        qs = qs.filter(town_key=town.pk)
    tree = ["town_order", "town_key", "level", "sort_order", "pk"]
    key = sort.lstrip("-")
    if key not in COMPLETION_SORTS:
        key, sort = "name", "name"
    if key == "name":
        order = [F(f).desc() if sort.startswith("-") else F(f).asc() for f in tree]
    else:
        field = {"target": "target", "actual": "actual", "rate": "rate_value"}[key]
        first = (
            F(field).desc(nulls_last=True)
            if sort.startswith("-")
            else F(field).asc(nulls_last=True)
        )
        order = [first, *tree]
    page = Paginator(qs.order_by(*order), per_page).get_page(number)
    rows = []
    for unit in page.object_list:
        rows.append(
            {
                "unit": unit,
                "town": unit if unit.is_town_level else unit.parent,
                "target": unit.target,
                "actual": unit.actual,
                "sub_target": unit.sub_target,
                "sub_actual": unit.sub_actual,
                "completion": completion(unit.target, unit.actual),
                "sub_completion": completion(unit.sub_target, unit.sub_actual),
                "as_of": unit.as_of,
            }
        )
    page.object_list = rows
    return page, towns, town


def town_completion(user, indicator, year: int) -> list[dict]:
    """Per visible town, in tree order, the completion of the indicator: the town's own
    target and actual when the town has a target of its own (a table with towns as columns,
    如皋), otherwise the sums over its communities and villages (a table of communities,
    湖塘). Units with a target of 0 (no task) count in neither sum; a unit with a target but
    no actual yet counts its target and an actual of 0. Each row: ``town`` (its name),
    ``town_id``, ``target``, ``actual``, ``units`` (counted), ``own`` (the town's own row)
    and ``completion``. One GROUP BY query, whatever the number of units."""
    from decimal import Decimal

    from django.db.models import Case, CharField, Count, F, Sum, When

    from org.scope import scope_for
    from targets.completion import completion

    scope = scope_for(user)
    town_name = Case(
        When(kind__in=Unit.TOWN_KINDS, then=F("name")),
        default=F("parent__name"),
        output_field=CharField(),
    )
    groups = (
        completion_queryset(user, indicator, year)
        .filter(target__gt=0)
        .annotate(town_name=town_name)
        .values("town_key", "town_order", "town_name", "level")
        .annotate(n=Count("id"), target_sum=Sum("target"), actual_sum=Sum("actual"))
        .order_by("town_order", "town_key", "level")
    )
    by_town: dict = {}
    for row in groups:
        # Only towns the user sees: a coordinator's own community is not its town's figure.
        if row["town_key"] is None or not (scope.all_units or row["town_key"] in scope.unit_ids):
            continue
        by_town.setdefault(row["town_key"], row)  # level 0 (the town's own row) comes first
    out = []
    for town_id, row in by_town.items():
        target = row["target_sum"]
        actual = row["actual_sum"] if row["actual_sum"] is not None else Decimal(0)
        out.append(
            {
                "town": row["town_name"],
                "town_id": town_id,
                "target": target,
                "actual": actual,
                "units": row["n"],
                "own": row["level"] == 0,
                "completion": completion(target, actual),
            }
        )
    return out

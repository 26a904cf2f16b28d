from accounts.scope import visible_units
from targets.models import Unit
from targets.naming import NameMatcher


def unit_tree_for(user):
    """Visible units grouped for display: [(town, [children…])…], plus bureaus."""
    units = list(visible_units(user).filter(active=True).order_by("sort_order", "id"))
    by_parent: dict = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    towns = [u for u in units if u.is_town_level]
    return [(town, by_parent.get(town.pk, [])) for town in towns]


def unit_matcher(queryset=None) -> NameMatcher:
    """A matcher over units (active ones by default) with their aliases, in two queries."""
    qs = queryset if queryset is not None else Unit.objects.filter(active=True)
    units = list(qs.prefetch_related("aliases"))
    return NameMatcher((u, u.name, [a.name for a in u.aliases.all()]) for u in units)

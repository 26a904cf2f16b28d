"""What a user may see and change, as sets of unit ids.

Every app's access helper asks this module; no view works out scope by itself.
"""

from dataclasses import dataclass

from accounts.models import User
from targets.models import Unit


@dataclass(frozen=True)
class Scope:
    all_units: bool
    unit_ids: frozenset  # visible units when not all_units
    town_ids: frozenset  # town-level units the user works for (reviewers)
    read_only: bool

    def can_see(self, unit: Unit) -> bool:
        return self.all_units or unit.pk in self.unit_ids


def scope_for(user) -> Scope:
    """The scope of a logged-in user; anonymous users see nothing."""
    cached = getattr(user, "_scope_cache", None)
    if cached is not None:
        return cached
    scope = _compute(user)
    if user.is_authenticated:
        user._scope_cache = scope
    return scope


def _compute(user) -> Scope:
    empty = frozenset()
    if not user.is_authenticated or not user.is_active:
        return Scope(False, empty, empty, True)
    if user.is_superuser or user.role == User.Role.ADMIN:
        return Scope(True, empty, empty, False)
    assigned = list(user.units.all())
    if user.role == User.Role.COORDINATOR:
        ids = frozenset(u.pk for u in assigned if u.is_grassroots)
        return Scope(False, ids, empty, False)
    if user.role == User.Role.REVIEWER:
        towns = frozenset(u.pk for u in assigned if u.is_town_level)
        return Scope(False, towns | _children_of(towns), towns, False)
    if user.role == User.Role.VILLAGE_HEAD:
        # Read-only, the communities and villages headed; never bureau-wide.
        ids = frozenset(u.pk for u in assigned if u.is_grassroots)
        return Scope(False, ids, empty, True)
    if user.role == User.Role.CITY_OFFICE:
        return Scope(True, empty, empty, True)
    # Viewer: read-only, bureau-wide when no unit is assigned.
    if not assigned:
        return Scope(True, empty, empty, True)
    bureaus = {u.pk for u in assigned if u.kind == Unit.Kind.BUREAU}
    towns = {u.pk for u in assigned if u.is_town_level}
    towns |= set(Unit.objects.filter(parent_id__in=bureaus).values_list("pk", flat=True))
    ids = {u.pk for u in assigned} | towns | _children_of(towns)
    return Scope(False, frozenset(ids), frozenset(), True)


def _children_of(town_ids) -> frozenset:
    if not town_ids:
        return frozenset()
    return frozenset(Unit.objects.filter(parent_id__in=town_ids).values_list("pk", flat=True))


def visible_units(user):
    scope = scope_for(user)
    qs = Unit.objects.select_related("parent")
    return qs if scope.all_units else qs.filter(pk__in=scope.unit_ids)

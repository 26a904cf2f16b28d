"""What a user may see and change, as sets of unit ids, and the questions every app asks.

Every app's policy asks this module; no view works out scope by itself. The user is read
duck-typed (``is_authenticated``, ``is_active``, ``is_superuser``, ``role``, ``units``), so
this module needs nothing of the accounts app.
"""

from dataclasses import dataclass

from org.models import Unit
from org.roles import Role


@dataclass(frozen=True)
class Scope:
    all_units: bool
    unit_ids: frozenset  # visible units when not all_units
    town_ids: frozenset  # town-level units the user reviews (reviewers)
    read_only: bool
    member_unit_ids: frozenset = frozenset()  # grassroots units the user works at (coordinators)

    @property
    def is_admin(self) -> bool:
        """The bureau's administrators: every unit, and may change things."""
        return self.all_units and not self.read_only

    @property
    def can_write(self) -> bool:
        """May change anything at all (within what the other predicates allow)."""
        return not self.read_only

    def covers_unit(self, unit) -> bool:
        """The unit is within what the user may see."""
        return self.all_units or unit.pk in self.unit_ids

    def reviews_town(self, town_or_id) -> bool:
        """The user is a reviewer of this town-level unit (administrators are not)."""
        town_id = getattr(town_or_id, "pk", town_or_id)
        return not self.read_only and town_id in self.town_ids

    def works_at(self, unit_or_id) -> bool:
        """The user is a coordinator working at this grassroots unit."""
        unit_id = getattr(unit_or_id, "pk", unit_or_id)
        return not self.read_only and unit_id in self.member_unit_ids


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
    if user.is_superuser or user.role == Role.ADMIN:
        return Scope(True, empty, empty, False)
    if user.role == Role.AUDITOR:
        # The audit administrator sees no unit and changes nothing (三员分立).
        return Scope(False, empty, empty, True)
    assigned = list(user.units.all())
    if user.role == Role.COORDINATOR:
        ids = frozenset(u.pk for u in assigned if u.is_grassroots)
        return Scope(False, ids, empty, False, member_unit_ids=ids)
    if user.role == Role.REVIEWER:
        towns = frozenset(u.pk for u in assigned if u.is_town_level)
        return Scope(False, towns | _children_of(towns), towns, False)
    if user.role == Role.VILLAGE_HEAD:
        # Read-only, the communities and villages headed; never bureau-wide.
        ids = frozenset(u.pk for u in assigned if u.is_grassroots)
        return Scope(False, ids, empty, True)
    if user.role == Role.CITY_OFFICE:
        # Read-only, every unit (the city's employment office).
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

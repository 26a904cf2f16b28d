"""Who is told about a sheet: the people who write the side it waits on."""

from accounts.models import User
from assessments.models import Assessment
from assessments.sides import Side
from org.roles import Role


def unit_coordinators(sheet: Assessment) -> list:
    """The coordinators' accounts that fill the sheet's self-assessment: a coordinator's own
    sheet goes to their account when it has one, else to the unit's coordinators."""
    own = sheet.coordinator.user if sheet.coordinator_id else None
    if own is not None and own.is_active:
        return [own]
    return list(
        User.objects.filter(is_active=True, role=Role.COORDINATOR, units=sheet.unit_id).order_by(
            "id"
        )
    )


def town_reviewers(sheet: Assessment) -> list:
    """The accounts that review the sheet's town."""
    town_id = sheet.unit.town_id
    if town_id is None:
        return []
    return list(
        User.objects.filter(is_active=True, role=Role.REVIEWER, units=town_id).order_by("id")
    )


def side_writers(sheet: Assessment, side: str) -> list:
    return unit_coordinators(sheet) if side == Side.SELF else town_reviewers(sheet)

import pytest

from tests.staff.world import coordinator_of, make_user


@pytest.fixture
def coord_a(world):
    return coordinator_of(world, "a")


@pytest.fixture
def coord_b(world):
    return coordinator_of(world, "b")


@pytest.fixture
def head_a(world):
    """淹城社区's 村（社区）负责人: sees the community read-only, approves at the village step."""
    from accounts.models import User

    return make_user("head_a", User.Role.VILLAGE_HEAD, [world.unit_a])


@pytest.fixture
def city(world):
    """An officer of 市就业处."""
    from accounts.models import User

    return make_user("city", User.Role.CITY_OFFICE)

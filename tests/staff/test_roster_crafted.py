"""Hole 2: a crafted roster (花名册) is refused by the reader, with a message, before any
row is looked at; the database is as it was. A 10 MB dense roster used to be loaded in
full (1.5 GB) before the row and column check."""

import pytest
from django.test import override_settings

from staff import services
from tests import crafted, dbstate

pytestmark = pytest.mark.django_db


@override_settings(**crafted.LOWERED)
@pytest.mark.parametrize(
    ("build", "said"), [a[1:] for a in crafted.ATTACKS], ids=[a[0] for a in crafted.ATTACKS]
)
def test_a_crafted_roster_is_refused_and_nothing_is_written(world, build, said):
    before = dbstate.snapshot()
    plan = services.roster_import(user=world.users["admin"], data=build(), filename="花名册.xlsx")
    assert not plan.ok
    assert any(said in error and "文件「花名册.xlsx」" in error for error in plan.errors)
    assert dbstate.snapshot() == before

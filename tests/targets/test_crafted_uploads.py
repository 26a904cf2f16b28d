"""Hole 2: a crafted target table is refused by the reader, with a message, and the
database is as it was (the import never gets past reading)."""

import pytest
from django.test import override_settings

from targets.importing import run_import
from tests import crafted, dbstate

pytestmark = pytest.mark.django_db


@override_settings(**crafted.LOWERED)
@pytest.mark.parametrize(
    ("build", "said"), [a[1:] for a in crafted.ATTACKS], ids=[a[0] for a in crafted.ATTACKS]
)
def test_a_crafted_table_is_refused_and_nothing_is_written(world, build, said):
    before = dbstate.snapshot()
    preview, batch = run_import(data=build(), file_name="目标.xlsx", year=2024)
    assert batch is None
    assert any(said in error and "文件「目标.xlsx」" in error for error in preview.errors)
    assert dbstate.snapshot() == before

"""The background save of static/js/sheet.js (X-Requested-With: fetch), as bench/load.py
drives it: every acknowledged save is stored, versions only go up, and a save made on an
older version is a conflict told in Chinese, never a lost write."""

import re
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment, Change, ItemScore
from assessments.sides import Side
from tests.conftest import login_verified

FETCH = {"X-Requested-With": "fetch"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def autosave(client, sheet, version, score, note=""):
    url = reverse("assessments:sheet_self", args=[sheet.pk])
    return client.post(
        url, {"version": version, "s-6-score": score, "s-6-note": note}, headers=FETCH
    )


def stored(sheet):
    return ItemScore.objects.get(assessment=sheet, item__key="6", side=Side.SELF)


@pytest.mark.django_db
def test_each_acknowledged_background_save_is_stored_and_the_version_only_goes_up(
    world, client_for
):
    sheet = world.sheet_a
    client = client_for("coordinator_a")
    version = sheet.version
    acknowledged = []
    for score in ("1", "2.5", "0.5", "3"):
        response = autosave(client, sheet, version, score)
        assert response.status_code == 200
        data = response.json()
        assert data["saved"] is True
        assert data["version"] == version + 1
        version = data["version"]
        acknowledged.append((version, score))
        assert stored(sheet).score == Decimal(score)
    sheet.refresh_from_db()
    assert sheet.version == version
    history = dict(
        Change.objects.filter(assessment=sheet, what="self_score").values_list(
            "sheet_version", "new"
        )
    )
    assert {v: Decimal(history[v]) for v, _ in acknowledged} == {
        v: Decimal(s) for v, s in acknowledged
    }


@pytest.mark.django_db
def test_a_background_save_on_an_older_version_is_a_conflict_in_chinese_and_writes_nothing(
    world, client_for
):
    sheet = world.sheet_a
    first, second = client_for("coordinator_a"), Client()
    login_verified(second, world.users["coordinator_a"])  # a second tab, its own session
    seen = sheet.version
    assert autosave(first, sheet, seen, "2").status_code == 200
    changes = Change.objects.count()

    response = autosave(second, sheet, seen, "1", note="另一个标签页")

    assert response.status_code == 409
    data = response.json()
    assert data["saved"] is False
    assert data["version"] == seen + 1  # what the page must reload to
    assert data["conflict"] and all(CHINESE.search(line) for line in data["conflict"])
    assert "第 6 项" in data["conflict"][0]
    assert stored(sheet).score == Decimal("2") and stored(sheet).note == ""
    assert Change.objects.count() == changes
    assert Assessment.objects.get(pk=sheet.pk).version == seen + 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections writing at once need PostgreSQL"
)
def test_two_tabs_saving_in_the_background_at_once_one_is_stored_the_other_told(world):
    sheet = world.sheet_a
    version = sheet.version
    barrier = threading.Barrier(2)
    answers = {}

    def save(tab, score):
        try:
            client = Client()
            login_verified(client, world.users["coordinator_a"])
            barrier.wait()
            answers[tab] = autosave(client, sheet, version, score)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(t, s)) for t, s in (("a", "1"), ("b", "2"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r.status_code for r in answers.values())
    assert codes == [200, 409]
    winner = next(t for t, r in answers.items() if r.status_code == 200)
    loser = next(r for r in answers.values() if r.status_code == 409)
    assert all(CHINESE.search(line) for line in loser.json()["conflict"])
    assert answers[winner].json()["version"] == version + 1
    assert stored(sheet).score == Decimal({"a": "1", "b": "2"}[winner])
    assert Assessment.objects.get(pk=sheet.pk).version == version + 1


@pytest.mark.django_db
def test_a_tab_far_behind_is_told_the_latest_changes_and_how_many_came_before(world, client_for):
    from assessments.services import CONFLICT_LINES

    sheet = world.sheet_a
    client = client_for("coordinator_a")
    stale = sheet.version
    version = stale
    saves = CONFLICT_LINES + 5
    for n in range(saves):
        response = autosave(client, sheet, version, "1" if n % 2 else "2", note=f"第{n}次")
        version = response.json()["version"]
    behind = Change.objects.filter(assessment=sheet, sheet_version__gt=stale).count()
    assert behind > CONFLICT_LINES

    response = autosave(client, sheet, stale, "0.5")

    assert response.status_code == 409
    lines = response.json()["conflict"]
    assert len(lines) == CONFLICT_LINES + 1
    assert lines[0] == f"此前还有 {behind - CONFLICT_LINES} 处修改，请在「修改记录」中查看。"
    assert "第24次" in lines[-1]  # the latest change is listed last
    assert stored(sheet).note == f"第{saves - 1}次"

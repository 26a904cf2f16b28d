"""The history of result versions reads each version's moves in the database: the subjects
whose total, rank or grade differ from the version before (or that were added or are gone).
The page lists at most 50 per version with the count of all of them, and links to a page of
that version's moves, 100 at a time (issue 14)."""

import random
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import selectors
from assessments.models import Change, Result, ResultVersion
from org.models import Unit
from staff.models import Coordinator
from tests.assessments.test_result_versions import text_of

pytestmark = pytest.mark.django_db

COMPARED = ("total", "rank", "grade")


def result(cycle, version, unit, total, rank, coordinator=None):
    return Result(
        cycle=cycle,
        version=version,
        current=False,
        unit=unit,
        coordinator=coordinator,
        town_name=unit.parent.name,
        base_total=total,
        bonus=0,
        penalties=0,
        total=total,
        rank=rank,
        grade_before_quota="优秀" if total >= 90 else "合格",
        grade="优秀" if total >= 90 else "合格",
        subsidy_percent=Decimal("100"),
        detail={},
        flags=[],
    )


def store_versions(world, versions):
    """``versions``: one list per version (oldest first) of (unit, coordinator, total);
    ranks follow the totals (equal totals share a rank), like a computation."""
    cycle = world.cycle
    Result.all_versions.filter(cycle=cycle).delete()
    ResultVersion.objects.filter(cycle=cycle).delete()
    admin = world.users["admin"]
    for number, subjects in enumerate(versions, start=1):
        ResultVersion.objects.create(
            cycle=cycle, number=number, computed_by=admin, computed_at=timezone.now()
        )
        if number > 1:
            Change.objects.create(cycle=cycle, user=admin, what=Change.REOPENED, reason="复核")
        totals = sorted((t for _, _, t in subjects), reverse=True)
        rows = [
            result(cycle, number, unit, total, totals.index(total) + 1, coordinator)
            for unit, coordinator, total in subjects
        ]
        Result.all_versions.bulk_create(rows)
    Result.all_versions.filter(cycle=cycle, version=len(versions)).update(current=True)
    return cycle


def units_named(world, prefix, n, town=None):
    return Unit.objects.bulk_create(
        Unit(
            name=f"{prefix}{i:04d}",
            normalized_name=f"{prefix}{i:04d}",
            kind=Unit.Kind.COMMUNITY,
            parent=town or world.town_a,
        )
        for i in range(n)
    )


def python_moves(user, cycle, number):
    """The moves of version ``number`` as the page computed them before, comparing every
    row of the two versions in Python: (name, old values, new values), in the page's order."""
    visible = selectors._visible_versions(user, cycle).select_related("unit", "coordinator")
    old, new = {}, {}
    for r in visible.filter(version__in=(number - 1, number)):
        (new if r.version == number else old)[(r.unit_id, r.coordinator_id)] = r
    moves = [selectors.Move(old.get(k), new.get(k)) for k in {*old, *new}]
    moves = [m for m in moves if any(m.changed(f) for f in COMPARED)]
    moves.sort(key=lambda m: (m.new is None, m.new.rank if m.new else m.old.rank, m.name))
    return [described(m) for m in moves]


def described(move):
    def values(r):
        return None if r is None else tuple(getattr(r, f) for f in COMPARED)

    return (move.name, values(move.old), values(move.new))


@pytest.fixture
def random_cycle(world):
    """Four versions of 60 communities in two towns, some with a coordinator's result
    beside the unit's; between versions some totals change, some subjects are dropped and
    some come back."""
    rnd = random.Random(14)
    units = units_named(world, "甲社区", 40) + units_named(world, "乙社区", 20, world.town_b)
    people = Coordinator.objects.bulk_create(
        Coordinator(name=f"协理员{i:03d}", unit=u) for i, u in enumerate(units[::3])
    )
    subjects = [(u, None) for u in units] + [(p.unit, p) for p in people]
    totals = {s: Decimal(rnd.choice(["85", "88", "90", "91.5", "95"])) for s in subjects}
    versions = []
    for _ in range(4):
        kept = [s for s in subjects if rnd.random() < 0.9]
        for s in rnd.sample(kept, 8):
            totals[s] = Decimal(rnd.choice(["85", "88", "90", "91.5", "95", "99"]))
        versions.append([(u, p, totals[(u, p)]) for u, p in kept])
    return store_versions(world, versions)


class TestMovesInTheDatabase:
    @pytest.mark.parametrize("who", ["admin", "reviewer_a"])
    def test_the_moves_equal_those_found_by_comparing_every_row(self, world, random_cycle, who):
        user = world.users[who]
        history = selectors.result_history(user, random_cycle)
        assert [v.number for v in history.versions] == [4, 3, 2, 1]
        for entry in history.versions[:-1]:
            expected = python_moves(user, random_cycle, entry.number)
            rows = selectors.version_moves(user, random_cycle, entry.number)
            found = [described(m) for m in selectors.moves_of(rows, entry.number)]
            assert found == expected
            assert entry.move_count == len(expected)
            assert [described(m) for m in entry.moves] == expected[: selectors.MOVES_SHOWN]
            # the draw gives every kind of move: changed, added and gone
            assert any(old and new for _, old, new in expected)
            assert any(old is None for _, old, _ in expected)
            assert any(new is None for _, _, new in expected)
        if who == "reviewer_a":  # town A's subjects only
            names = {m.name for v in history.versions for m in v.moves}
            assert names and not any("乙社区" in n for n in names)

    def test_a_coordinator_and_the_unit_are_told_apart(self, world):
        (unit,) = units_named(world, "丙社区", 1)
        person = Coordinator.objects.create(name="周敏", unit=unit)
        cycle = store_versions(
            world,
            [
                [(unit, None, Decimal("90")), (unit, person, Decimal("88"))],
                [(unit, None, Decimal("90")), (unit, person, Decimal("92"))],
            ],
        )
        (entry, _first) = selectors.result_history(world.users["admin"], cycle).versions
        assert [described(m) for m in entry.moves] == [
            ("周敏（丙社区0000）", (Decimal("88"), 2, "合格"), (Decimal("92"), 1, "优秀")),
            ("丙社区0000", (Decimal("90"), 1, "优秀"), (Decimal("90"), 2, "优秀")),
        ]


@pytest.fixture
def many_moved(world):
    """Two versions of 130 communities; in version 2 every total but one drops by a point,
    two communities are gone and one is new: 130 moves."""
    units = units_named(world, "丁社区", 131)
    first = [(u, None, Decimal(200 - i)) for i, u in enumerate(units[:130])]
    second = [(u, None, Decimal(199 - i)) for i, u in enumerate(units[:128])]
    second[0] = (units[0], None, Decimal(200))  # unchanged
    second.append((units[130], None, Decimal("1")))
    return store_versions(world, [first, second])


class TestFiftyMovesAVersion:
    def test_the_page_lists_the_first_50_moves_and_links_to_all_of_them(
        self, many_moved, client_for
    ):
        url = reverse("assessments:results_history", args=[many_moved.pk])
        response = client_for("admin").get(url)
        assert response.status_code == 200
        page = text_of(response)
        assert "与第 1 版相比有变化的单位（130 个）： 下面列出前 50 个。" in page
        html = response.content.decode()
        listed = re.findall(r">(丁社区\d{4})<", html)
        assert listed == [f"丁社区{i:04d}" for i in range(1, 51)]  # by new rank
        assert f'href="{url}?version=2"' in html
        assert "查看第 2 版的全部 130 处变化" in page

    def test_a_version_with_few_moves_has_no_link(self, world, client_for):
        units = units_named(world, "己社区", 3)
        cycle = store_versions(
            world,
            [
                [(u, None, Decimal(90 - i)) for i, u in enumerate(units)],
                [(u, None, Decimal(80 + i)) for i, u in enumerate(units)],
            ],
        )
        response = client_for("admin").get(reverse("assessments:results_history", args=[cycle.pk]))
        assert "与第 1 版相比有变化的单位（3 个）" in text_of(response)
        assert "?version=" not in response.content.decode()
        assert "下面列出前" not in text_of(response)


class TestOneVersionsMoves:
    def test_the_moves_are_paged_100_at_a_time_gone_ones_last(self, many_moved, client_for):
        client = client_for("admin")
        url = reverse("assessments:results_history", args=[many_moved.pk])
        first = client.get(url, {"version": "2"})
        assert first.status_code == 200
        page = text_of(first)
        assert "第 2 版 当前" in page and "首次计算" not in page
        assert "与第 1 版相比有变化的单位（130 个）" in page and "下面列出前" not in page
        assert "第 1 / 2 页，共 130 条" in page
        listed = re.findall(r">(丁社区\d{4})<", first.content.decode())
        assert listed == [f"丁社区{i:04d}" for i in range(1, 101)]
        assert 'href="?version=2&amp;page=2"' in first.content.decode()
        assert f'href="{url}"' in first.content.decode()  # back to every version

        second = client.get(url, {"version": "2", "page": "2"})
        html = second.content.decode()
        listed = re.findall(r">(丁社区\d{4})<", html)
        expected = [f"丁社区{i:04d}" for i in [*range(101, 128), 130, 128, 129]]
        assert listed == expected  # the new one by its rank, then the two gone
        assert text_of(second).count("本版已无") == 2 and "本版新增" in text_of(second)

    @pytest.mark.parametrize("version", ["1", "3"])
    def test_a_version_without_moves_sends_back_to_the_history(
        self, many_moved, client_for, version
    ):
        url = reverse("assessments:results_history", args=[many_moved.pk])
        response = client_for("admin").get(url, {"version": version}, follow=True)
        assert response.redirect_chain == [(url, 302)]
        title = many_moved.title
        assert f"「{title}」的结果没有第 {version} 版的变化可以列出。" in text_of(response)

    @pytest.mark.parametrize("junk", ["x", "-1", "2.0", "２", "99999999999"])
    def test_a_malformed_version_shows_every_version(self, many_moved, client_for, junk):
        url = reverse("assessments:results_history", args=[many_moved.pk])
        response = client_for("admin").get(url, {"version": junk, "page": "abc"})
        assert response.status_code == 200
        assert "查看第 2 版的全部 130 处变化" in text_of(response)

    def test_a_reviewer_of_another_town_sees_no_moves(self, many_moved, client_for):
        url = reverse("assessments:results_history", args=[many_moved.pk])
        response = client_for("reviewer_b").get(url, {"version": "2"})
        assert response.status_code == 200
        assert "丁社区" not in response.content.decode()


class TestQueriesDoNotGrowWithUnits:
    """Three versions of n units, every unit moving each time, a tenth gone and back."""

    def history_for(self, world, n):
        units = units_named(world, f"戊{n}-", n)
        versions = [
            [(u, None, Decimal(1000 + v - i)) for i, u in enumerate(units) if (i + v) % 10]
            for v in range(3)
        ]
        return reverse("assessments:results_history", args=[store_versions(world, versions).pk])

    def count(self, client, url, **params):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    def test_the_history_page_runs_as_many_queries_for_20_units_as_for_600(self, world, client_for):
        client = client_for("admin")
        small = self.count(client, self.history_for(world, 20))
        large = self.count(client, self.history_for(world, 600))
        assert small == large
        assert large <= 15  # 14 for the page, 1 for the header's unread-notice count

    def test_a_versions_page_runs_as_many_queries_for_20_units_as_for_600(self, world, client_for):
        client = client_for("admin")
        small = self.count(client, self.history_for(world, 20), version="3")
        large = self.count(client, self.history_for(world, 600), version="3", page="3")
        assert small == large
        assert large <= 13  # 12 for the page, 1 for the header's unread-notice count

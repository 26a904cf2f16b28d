"""The cycle page and the item grid filter and page their sheets in SQL: 100 rows a page,
page links that keep the filters, the user's units only, and a number of queries that does
not grow with the cycle's units."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, Cycle, ItemScore
from assessments.policy import may_review, reviewable_sheets
from org.models import Unit
from org.scope import scope_for
from tests.foundation.post_cases import item_fields

pytestmark = pytest.mark.django_db


def more_units(world, n, *, town=None, state=Assessment.State.SUBMITTED, tag="加"):
    """``n`` more communities of town A (or ``town``) in the world's cycle, with a sheet each."""
    town = town or world.town_a
    cycle = world.cycle
    units = Unit.objects.bulk_create(
        Unit(
            name=f"{tag}{town.name}{i:04d}社区",
            normalized_name=f"{tag}{town.name}{i:04d}社区",
            kind=Unit.Kind.COMMUNITY,
            parent=town,
            sort_order=100 + i,
        )
        for i in range(n)
    )
    Assessment.objects.bulk_create(
        Assessment(cycle=cycle, unit=u, phase="annual", state=state) for u in units
    )
    return units


def reviewing(world):
    Cycle.objects.filter(pk=world.cycle.pk).update(state=Cycle.State.REVIEW)
    world.cycle.assessments.update(state=Assessment.State.SUBMITTED)


def sheet_links(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/cycles/sheets/(\d+)/"', html)]


def grid_rows(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'name="g(\d+)-version"', html)]


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


class TestCyclePage:
    def url(self, world, **query):
        base = reverse("assessments:cycle_detail", args=[world.cycle.pk])
        return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    def test_shows_100_sheets_a_page_in_page_order(self, world, client_for):
        more_units(world, 240)
        client = client_for("admin")
        first = sheet_links(client.get(self.url(world)).content.decode())
        third = sheet_links(client.get(self.url(world, page=3)).content.decode())
        assert len(first) == 100 and len(third) == 42
        expected = list(
            world.cycle.assessments.order_by(
                "unit__parent__sort_order", "unit__sort_order", "unit_id", "phase", "id"
            ).values_list("pk", flat=True)
        )
        assert first == expected[:100] and third == expected[200:]

    def test_page_links_keep_the_filters(self, world, client_for):
        more_units(world, 150)
        html = (
            client_for("admin")
            .get(self.url(world, town=world.town_a.pk, state="submitted"))
            .content.decode()
        )
        assert f"?town={world.town_a.pk}&amp;state=submitted&amp;page=2" in html
        assert "第 1 / 2 页" in html

    def test_filters_by_town_state_and_name(self, world, client_for):
        more_units(world, 5)
        more_units(world, 3, town=world.town_b, tag="乙")
        client = client_for("admin")
        assert (
            len(sheet_links(client.get(self.url(world, town=world.town_b.pk)).content.decode()))
            == 4
        )
        submitted = sheet_links(client.get(self.url(world, state="submitted")).content.decode())
        assert len(submitted) == 8
        named = client.get(self.url(world, name="乙")).content.decode()
        assert len(sheet_links(named)) == 3

    @pytest.mark.parametrize(
        "query", [{"page": "abc"}, {"page": "999"}, {"town": "x"}, {"state": "bogus"}]
    )
    def test_tampered_filters_and_pages_show_a_page(self, world, client_for, query):
        more_units(world, 120)
        response = client_for("admin").get(self.url(world, **query))
        assert response.status_code == 200
        assert sheet_links(response.content.decode())

    def test_a_town_reviewer_pages_through_their_own_town_only(self, world, client_for):
        more_units(world, 130)
        mine = more_units(world, 2, town=world.town_b, tag="乙")
        html = client_for("reviewer_b").get(self.url(world)).content.decode()
        shown = set(sheet_links(html))
        assert shown == set(
            world.cycle.assessments.filter(unit__parent=world.town_b).values_list("pk", flat=True)
        )
        assert {u.pk for u in mine} <= set(
            Assessment.objects.filter(pk__in=shown).values_list("unit_id", flat=True)
        )
        assert "第 1 /" not in html  # one page

    def test_query_count_does_not_grow_from_10_to_400_units(self, world, client_for):
        client = client_for("admin")
        more_units(world, 10, tag="小")
        small = queries(client, self.url(world))
        more_units(world, 390, tag="大")
        large = queries(client, self.url(world))
        last = queries(client, self.url(world, page=5))
        assert small == large == last
        assert large <= 20


class TestItemGrid:
    def url(self, world, **query):
        item = world.cycle.rubric.items.get(key="6")
        base = reverse("assessments:item_grid", args=[world.cycle.pk, item.pk])
        return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    def test_shows_100_units_a_page_and_keeps_the_filters(self, world, client_for):
        reviewing(world)
        more_units(world, 230)
        client = client_for("reviewer_a")
        first = client.get(self.url(world, state="submitted")).content.decode()
        third = client.get(self.url(world, state="submitted", page=3)).content.decode()
        assert len(grid_rows(first)) == 100 and len(grid_rows(third)) == 31
        assert "?state=submitted&amp;page=2" in first
        assert not set(grid_rows(first)) & set(grid_rows(third))

    def test_a_town_reviewer_sees_only_their_towns_sheets(self, world, client_for):
        reviewing(world)
        more_units(world, 120)
        theirs = more_units(world, 3, town=world.town_b, tag="乙")
        html = client_for("reviewer_b").get(self.url(world)).content.decode()
        rows = set(grid_rows(html))
        assert rows == set(
            Assessment.objects.filter(unit__in=[*theirs, world.unit_b]).values_list("pk", flat=True)
        )

    def test_saves_the_units_of_the_page_posted(self, world, client_for):
        reviewing(world)
        more_units(world, 150)
        client = client_for("reviewer_a")
        url = self.url(world, page=2)
        html = client.get(url).content.decode()
        rows = grid_rows(html)
        sheet = Assessment.objects.get(pk=rows[0])
        body = {f"g{pk}-version": "1" for pk in rows}
        body.update(item_fields(world, f"g{sheet.pk}"))
        response = client.post(url, body)
        assert response.status_code == 302 and response["Location"] == url
        saved = ItemScore.objects.get(assessment=sheet, item__key="6", side="review")
        assert saved.score == Decimal("2.5")
        assert ItemScore.objects.filter(side="review").count() == 1

    def test_the_sql_filter_agrees_with_may_review(self, world):
        reviewing(world)
        more_units(world, 3)
        more_units(world, 3, town=world.town_b, tag="乙")
        for name, user in world.users.items():
            if user is None:
                continue
            scope = scope_for(user)
            sheets = world.cycle.assessments.select_related("unit")
            expected = {s.pk for s in sheets if may_review(scope, s)}
            assert set(reviewable_sheets(scope, sheets).values_list("pk", flat=True)) == expected, (
                name
            )

    def test_query_count_does_not_grow_from_10_to_400_units(self, world, client_for):
        reviewing(world)
        client = client_for("reviewer_a")
        more_units(world, 10, tag="小")
        small = queries(client, self.url(world))
        more_units(world, 390, tag="大")
        large = queries(client, self.url(world))
        last = queries(client, self.url(world, page=4))
        assert small == large == last
        assert large <= 25

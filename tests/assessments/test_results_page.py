"""The results page filters, sorts and paginates in the database (100 a page), draws its
panels from the summary stored with the version, keeps a town reviewer to their towns, and
runs the same number of queries however many results there are."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from assessments import compute
from tests.assessments.test_compute import random_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(world):
    """250 units in 随机镇0–2, computed."""
    cycle = random_cycle(world, units=250, weights=(0, 100), seed=5)
    compute.cycle_compute(cycle=cycle, user=world.users["admin"])
    return cycle


def results_url(cycle, **query):
    from urllib.parse import urlencode

    url = reverse("assessments:results", args=[cycle.pk])
    return f"{url}?{urlencode(query)}" if query else url


class TestPagination:
    def test_a_hundred_a_page_in_rank_order_with_links_that_keep_the_filters(
        self, world, client_for, big
    ):
        client = client_for("admin")
        first = client.get(results_url(big))
        assert len(first.context["rows"]) == 100
        assert first.context["page"].paginator.num_pages == 3
        last = client.get(results_url(big, page=3))
        assert len(last.context["rows"]) == 50
        ranks = [r.rank for r in first.context["rows"]]
        assert ranks == sorted(ranks)
        assert list(last.context["rows"])[0].rank >= ranks[-1]
        sorted_page = client.get(results_url(big, sort="total", page=2)).content.decode()
        assert 'href="?sort=total&amp;page=3"' in sorted_page
        assert 'href="?sort=total&amp;page=1"' in sorted_page
        filtered = client.get(results_url(big, town="随机镇1", sort="total"))
        assert filtered.context["page_query"] == "town=%E9%9A%8F%E6%9C%BA%E9%95%871&sort=total"

    def test_a_page_beyond_the_last_or_not_a_number_shows_a_page_not_an_error(
        self, world, client_for, big
    ):
        client = client_for("admin")
        assert client.get(results_url(big, page=99)).context["page"].number == 3
        assert client.get(results_url(big, page="x")).context["page"].number == 1


class TestFiltersAndSorting:
    def test_town_and_grade_filter_the_rows_and_the_panels(self, world, client_for, big):
        client = client_for("admin")
        all_rows = list(big.results.all())
        grade = all_rows[0].grade
        page = client.get(results_url(big, town="随机镇2", grade=grade))
        expected = [r for r in all_rows if r.town_name == "随机镇2" and r.grade == grade]
        assert page.context["page"].paginator.count == len(expected)
        assert dict(page.context["distribution"]) == {grade: len(expected)}
        assert page.context["towns"] == ["随机镇0", "随机镇1", "随机镇2"]

    def test_sorting_by_total_and_by_name(self, world, client_for, big):
        client = client_for("admin")
        rows = client.get(results_url(big, sort="total")).context["rows"]
        totals = [r.total for r in rows]
        assert totals == sorted(totals, reverse=True)
        names = [r.unit.name for r in client.get(results_url(big, sort="name")).context["rows"]]
        assert names == sorted(names)
        assert client.get(results_url(big, sort="nonsense")).context["sort"] == "rank"

    def test_panels_from_the_summary_match_the_rows(self, world, client_for, big):
        page = client_for("admin").get(results_url(big))
        counts = {}
        for r in big.results.all():
            counts[r.grade] = counts.get(r.grade, 0) + 1
        assert dict(page.context["distribution"]) == counts
        titles = [a.title for a in page.context["section_averages"]]
        assert titles == ["一、基本", "二、目标", "加分", "扣分"]
        assert 0 < len(page.context["gaps"]) <= 10


class TestScoping:
    def test_a_town_reviewer_sees_only_their_towns_rows_and_panels(self, world, client_for, big):
        from org.models import Unit

        town = Unit.objects.get(name="随机镇1")
        reviewer = User.objects.create_user("reviewer_random", role=User.Role.REVIEWER)
        reviewer.units.add(town)
        from django.test import Client

        from tests.conftest import login_verified

        client = login_verified(Client(), reviewer)
        page = client.get(results_url(big))
        assert page.status_code == 200
        assert page.context["towns"] == ["随机镇1"]
        mine = big.results.filter(town_name="随机镇1").count()
        assert page.context["page"].paginator.count == mine
        assert sum(n for _g, n in page.context["distribution"]) == mine
        assert "随机镇0" not in page.content.decode()


class TestQueryCount:
    def test_the_number_of_queries_does_not_grow_with_the_results(self, world, client_for):
        small = random_cycle(world, units=12, weights=(0, 100), seed=1, prefix="小")
        compute.cycle_compute(cycle=small, user=world.users["admin"])
        large = random_cycle(world, units=240, weights=(0, 100), seed=2)
        compute.cycle_compute(cycle=large, user=world.users["admin"])
        client = client_for("admin")
        client.get(results_url(small))  # warm the session and caches

        def count(cycle, **query):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(results_url(cycle, **query)).status_code == 200
            return len(queries)

        assert count(small) == count(large) == count(large, page=3, town="随机镇1")
        html = client.get(results_url(large)).content.decode()
        assert len(re.findall(r"<tr(?: class=\"gap\")?><td>\d+</td>", html)) == 100

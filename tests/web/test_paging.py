"""Paginated lists count at most a cap of rows, and say "more than" beyond it."""

import functools

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meute.members.models import Leader
from meute.web import paging
from meute.web.views import directory
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_count_is_exact_up_to_the_cap():
    """Up to the cap the count and the number of pages are exact."""
    page = paging.capped_page(list(range(7)), 3, "2", cap=10)
    assert (page.paginator.count, page.paginator.exact, page.paginator.num_pages) == (7, True, 3)
    assert list(page) == [3, 4, 5] and page.has_next()


def test_count_stops_past_the_cap_and_pages_still_follow():
    """Past the cap the count stops, and a page still knows whether a next one exists."""
    page = paging.capped_page(list(range(20)), 3, "6", cap=5)
    assert not page.paginator.exact
    assert list(page) == [15, 16, 17] and page.has_next()
    last = paging.capped_page(list(range(20)), 3, "7", cap=5)
    assert list(last) == [18, 19] and not last.has_next()


def test_counting_reads_at_most_cap_plus_one_rows():
    """The count query is limited to cap + 1 rows, whatever the table holds."""
    for _ in range(4):
        MembershipFactory()
    with CaptureQueriesContext(connection) as queries:
        assert paging.CappedPaginator(Leader.objects.order_by("pk"), 2, cap=2).count == 3
    assert "LIMIT 3" in queries[0]["sql"] and "ORDER BY" not in queries[0]["sql"]


@pytest.mark.parametrize("number", ["abc", "0", "-1", "99999999999999999999"])
def test_bad_page_numbers_give_a_page(number):
    """A page number that is not a page gives the first or last known page, never an error."""
    page = paging.capped_page(list(range(20)), 3, number, cap=5)
    assert len(page) > 0


def test_directory_says_more_than_the_cap(client, monkeypatch):
    """Past the cap the directory says « plus de … membres » and offers the next page."""
    me = MembershipFactory()
    for _ in range(4):
        MembershipFactory()
    monkeypatch.setattr(directory, "capped_page", functools.partial(paging.capped_page, cap=2))
    monkeypatch.setattr(directory, "PAGE_SIZE", 2)
    client.force_login(me.leader.user)
    html = client.get(reverse("web:directory")).content.decode()
    assert "plus de 2 membres" in html
    assert "page=2" in html


def _leaders_with_companies(n: int) -> None:
    for _ in range(n):
        MembershipFactory()


def test_a_page_of_columns_gives_plain_rows():
    """Given columns, the rows of every page (within and past the cap) are dictionaries of them."""
    _leaders_with_companies(4)
    columns = (("id",), {"email": F("user__email")})
    rows = Leader.objects.order_by("pk")
    expected = [{"id": leader.pk, "email": leader.user.email} for leader in rows.select_related("user")]
    within = paging.capped_page(rows, 3, "2", cap=10, columns=columns)
    past = paging.capped_page(rows, 3, "1", cap=2, columns=columns)
    assert (list(within), list(past)) == (expected[3:], expected[:3])


def test_a_page_of_columns_counts_without_their_joins():
    """The count reads the rows alone: the joins the columns need are only in the page's query."""
    _leaders_with_companies(2)
    with CaptureQueriesContext(connection) as queries:
        page = paging.capped_page(Leader.objects.order_by("pk"), 5, "1", columns=((), {"email": F("user__email")}))
        list(page)
    count, rows = (q["sql"] for q in queries)
    assert "COUNT" in count and "JOIN" not in count and "JOIN" in rows

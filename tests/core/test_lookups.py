"""``among``: the same rows as ``in``, the list sent as one parameter on PostgreSQL."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meute.members.models import Leader
from tests.factories import LeaderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaders():
    return [LeaderFactory() for _ in range(4)]


def test_among_finds_the_same_rows_as_in(leaders):
    wanted = [leaders[0].pk, leaders[2].pk, 10**12]
    assert set(Leader.objects.filter(pk__among=wanted)) == set(Leader.objects.filter(pk__in=wanted))


def test_an_empty_list_finds_nothing(leaders):
    assert not Leader.objects.filter(pk__among=[]).exists()


def test_among_works_on_a_foreign_key(leaders):
    users = [leaders[1].user_id, leaders[3].user_id]
    assert sorted(Leader.objects.filter(user_id__among=users).values_list("pk", flat=True)) == sorted(
        [leaders[1].pk, leaders[3].pk])


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(min_value=-(2**62), max_value=2**62), max_size=30))
def test_any_list_of_integers_is_accepted(values):
    assert Leader.objects.filter(pk__among=values).count() == Leader.objects.filter(pk__in=values).count()

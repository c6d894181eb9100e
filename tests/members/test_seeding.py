"""Generated companies (benchmark seeding): valid SIRETs, never two alike however many are drawn."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.fr import siren, siret

from meute.members.seeding import _STRIDE, SIREN_BODIES, make_siret, numbered_siret, people

pytestmark = pytest.mark.nodb  # pure Python: run once
LAST = SIREN_BODIES * (10_000 - 1000) - 1


def test_the_stride_visits_every_siren_body():
    """The numbering multiplies by a number coprime with the count of bodies: a permutation of them."""
    assert math.gcd(_STRIDE, SIREN_BODIES) == 1


def test_numbered_sirets_in_a_row_are_valid_and_distinct():
    """200,000 in a row are distinct (random ones collided from about 100,000 on); a sample of them is valid."""
    drawn = [numbered_siret(n) for n in range(200_000)]
    assert len(set(drawn)) == len(drawn)
    assert all(siret.is_valid(s) and siren.is_valid(s[:9]) for s in drawn[::997])


@given(st.integers(0, LAST), st.integers(0, LAST))
def test_distinct_numbers_give_distinct_valid_sirets(a, b):
    """Any two numbers of the series, far apart too, give valid SIRETs, equal only for the same number."""
    x, y = numbered_siret(a), numbered_siret(b)
    assert siret.is_valid(x) and siret.is_valid(y) and (x == y) == (a == b)


def test_numbered_sirets_never_equal_random_ones():
    """Random SIRETs (the demo's) use NICs below 100, numbered ones from 1000: the two never meet."""
    import random

    rng = random.Random(1)
    assert int(make_siret(rng)[9:13]) < 100 <= 1000 <= int(numbered_siret(0)[9:13])


def test_people_take_the_numbered_sirets_when_asked():
    """The generator gives the series' SIRETs from ``first_number`` on."""
    found = [p.siret for p in people(3, 3, ["86"], first_number=41)]
    assert found == [numbered_siret(n) for n in (41, 42, 43)]

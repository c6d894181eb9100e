import pytest

from meute.advisor.exceptions import InvalidProfile
from meute.advisor.profile import parse_profile

BASE = {"naf": "62.01Z", "commune": "86194", "goals": ["isolement"], "hours_per_month": 6, "budget_eur": 1000}


@pytest.mark.parametrize(("changes", "field"), [
    ({"budget_eur": -5}, "budget_eur"),
    ({"budget_eur": "beaucoup"}, "budget_eur"),
    ({"commune": "99999"}, "commune"),
    ({"commune": ""}, "commune"),
    ({"goals": []}, "goals"),
    ({"goals": ["tout"]}, "goals"),
    ({"tags": ["astronaute"]}, "tags"),
    ({"naf": "99.99Z"}, "naf"),
    ({"hours_per_month": 0}, "hours_per_month"),
    ({"tags": ["jeune_dirigeant"], "age_bracket": "55_plus"}, "age_bracket"),
    ({"colour": "red"}, "colour"),
])
def test_bad_answers_name_the_field(changes, field):
    """Each invalid or contradictory answer is refused with a message naming its field."""
    with pytest.raises(InvalidProfile) as info:
        parse_profile({**BASE, **changes})
    assert info.value.field == field


def test_budget_minus_five_says_so():
    """A budget of -5 gets a clear message with the bounds, naming the field as the form labels it."""
    with pytest.raises(InvalidProfile, match="« Budget per year \\(€\\) » must be between 0 and 100000, not -5"):
        parse_profile({**BASE, "budget_eur": -5})


def test_valid_profile_is_normalised():
    """A NAF code without a dot and goals given as a string are accepted."""
    p = parse_profile({**BASE, "naf": "6201z", "goals": "isolement business"})
    assert (p.naf, p.goals) == ("62.01Z", ("isolement", "business"))

import json

import pytest
from django.core.management import CommandError, call_command

from meute.advisor.demo import PERSONAS
from meute.members.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo(seed=3, members=40)


def test_advise_writes_ranked_networks_and_a_strategy(demo, tmp_path):
    """`meute advise` writes networks with scores and reasons, and a strategy of listed names."""
    source = tmp_path / "profile.json"
    source.write_text(json.dumps(PERSONAS[0].answers))
    out = tmp_path / "out.json"
    call_command("advise", "--profile", str(source), "--json", str(out))
    answer = json.loads(out.read_text())
    names = [n["name"] for n in answer["networks"]]
    assert answer["strategy"] and set(answer["strategy"]) <= set(names)
    assert all(n["reasons"] and isinstance(n["score"], float | int) for n in answer["networks"])
    assert [n["score"] for n in answer["networks"]] == sorted((n["score"] for n in answer["networks"]), reverse=True)


def test_advise_exits_2_naming_the_field(demo, tmp_path):
    """A profile with a budget of -5 exits with code 2 and names budget_eur."""
    source = tmp_path / "profile.json"
    source.write_text(json.dumps({**PERSONAS[0].answers, "budget_eur": -5}))
    with pytest.raises(CommandError) as info:
        call_command("advise", "--profile", str(source), "--json", str(tmp_path / "o.json"))
    assert info.value.returncode == 2 and "budget_eur" in str(info.value)


def test_advise_refuses_unreadable_json(tmp_path):
    """A file that is not JSON exits with code 2."""
    source = tmp_path / "profile.json"
    source.write_text("{naf:")
    with pytest.raises(CommandError) as info:
        call_command("advise", "--profile", str(source))
    assert info.value.returncode == 2


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
def test_demo_personas_get_sensible_answers(demo, persona):
    """Each demo persona's best network is one an adviser would name first."""
    from meute.advisor.profile import parse_profile
    from meute.advisor.queries import advice_for

    result = advice_for(parse_profile(persona.answers))
    assert result.ranked[0].network.slug in persona.expected_top, [(r.network.slug, r.score) for r in result.ranked]


def test_demo_lists_at_least_25_networks_of_every_family(demo):
    """The demo territory lists 25 networks or more, of every family."""
    from meute.members.models import Network, NetworkFamily

    assert Network.objects.count() >= 25
    assert set(Network.objects.values_list("family", flat=True)) == set(NetworkFamily.values)

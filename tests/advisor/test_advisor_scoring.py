from meute.advisor.profile import parse_profile
from meute.advisor.scoring import (
    COST_PENALTY,
    GOAL_POINTS,
    NetworkInfo,
    TextMatch,
    advise,
    choose_strategy,
    score_network,
)

BASE = {"naf": "62.01Z", "commune": "86194", "goals": ["isolement", "business"], "tags": ["jeune_dirigeant"],
        "hours_per_month": 6, "budget_eur": 1000}


def profile(**changes):
    return parse_profile({**BASE, **changes})


def net(slug, **kw):
    kw.setdefault("family", "geographic")
    kw.setdefault("home_commune", "86194")
    kw.setdefault("departments", frozenset({"86"}))
    kw.setdefault("hours_per_month", 2)
    return NetworkInfo(slug=slug, name=slug.title(), **kw)


def test_score_is_the_sum_of_the_reasons_points():
    """A network's score equals the sum of the points its reasons carry."""
    r = score_network(profile(), net("a", fee_per_year=2000, hours_per_month=10))
    assert r.score == round(sum(x.points for x in r.reasons), 1)
    assert {x.code for x in r.reasons} >= {"goal", "time", "cost", "distance"}


def test_ranking_follows_the_points_of_the_reasons():
    """The ranking is sorted by score, and each entry's reasons explain its score."""
    result = advise(profile(), [net("near"), net("far", home_commune="86066"), net("union", family="union")])
    scores = [r.score for r in result.ranked]
    assert scores == sorted(scores, reverse=True)
    assert result.ranked[0].network.slug == "near"
    for entry in result.to_dict()["networks"]:
        assert entry["score"] == round(sum(d["points"] for d in entry["details"]), 1)


def test_admission_rule_excludes_a_network():
    """A network reserved to women leaders is excluded for a leader without that tag, with the reason."""
    result = advise(profile(), [net("women", audience_tags=frozenset({"femme_dirigeante"})), net("open")])
    assert [r.network.slug for r in result.ranked] == ["open"]
    assert result.excluded[0].network.slug == "women"
    assert any(x.kind == "exclude" and "Reserved" in x.text for x in result.excluded[0].reasons)


def test_trade_and_age_rules():
    """A trade network admits only its NAF prefixes; an age cap excludes older brackets."""
    builders = net("btp", family="trade", naf_prefixes=("41", "42", "43"))
    assert score_network(profile(), builders).excluded
    assert not score_network(profile(naf="43.22A"), builders).excluded
    young = net("jd", family="thematic", max_age=45)
    assert score_network(profile(tags=[], age_bracket="55_plus"), young).excluded
    assert not score_network(profile(age_bracket="moins_35"), young).excluded


def test_distance_lowers_a_score():
    """The same network scores less the further it meets from the leader's commune."""
    here = score_network(profile(), net("x", home_commune="86194")).score
    away = score_network(profile(), net("x", home_commune="86066")).score  # Châtellerault, ~32 km
    assert away < here


def test_outside_its_territory_is_excluded():
    """A département network does not take leaders from another département."""
    assert score_network(profile(), net("x", departments=frozenset({"17"}), home_commune="17300")).excluded


def test_budget_bounds_the_strategy():
    """The strategy never costs more than the budget, though dearer networks still rank."""
    networks = [net("cheap", fee_per_year=300), net("dear", family="business", fee_per_year=900),
                net("mid", family="peer", fee_per_year=600)]
    result = advise(profile(budget_eur=1000), networks)
    assert result.strategy_cost <= 1000
    assert len(result.strategy) == 2
    poor = advise(profile(budget_eur=0), networks)
    assert poor.strategy == [] and len(poor.ranked) == 3
    over = score_network(profile(budget_eur=100), networks[0])
    assert any(x.code == "cost" and x.points == -COST_PENALTY for x in over.reasons)


def test_time_bounds_the_strategy():
    """The strategy fits in the hours a month the leader can give."""
    networks = [net(f"n{i}", family=f, hours_per_month=3) for i, f in enumerate(["peer", "business", "thematic"])]
    result = advise(profile(hours_per_month=6, budget_eur=5000), networks)
    assert result.strategy_hours <= 6 and len(result.strategy) == 2


def test_strategy_prefers_different_families():
    """A peer group plus a business club beats two clubs of the same family of equal score."""
    pool = [net("geo1"), net("geo2"), net("biz", family="business", goals_served=frozenset({"isolement",
                                                                                           "business"}))]
    chosen = {r.network.slug for r in choose_strategy(advise(profile(), pool).ranked, hours=4, budget=1000)}
    assert "biz" in chosen and len(chosen) == 2


def test_warns_when_already_overcommitted():
    """A leader whose networks already ask more hours than they have is warned, and nothing is added."""
    current = [net("a", hours_per_month=5), net("b", hours_per_month=4, family="business")]
    result = advise(profile(current_networks=["a", "b"]), [*current, net("c", family="peer")])
    assert result.warnings and "already belong to 2" in result.warnings[0]
    assert result.strategy == [] and [r.network.slug for r in result.current] == ["a", "b"]


def test_nothing_fits_gives_the_closest():
    """When no network fits, the answer lists the closest ones with what stands in the way."""
    result = advise(profile(goals=["rebondir"]), [net("union", family="union"),
                                                  net("far", family="social", departments=frozenset({"17"}))])
    assert result.nothing_fits and result.closest
    assert result.closest[0].network.slug == "far"
    assert "closest" in result.warnings[-1]


def test_text_match_adds_transparent_points():
    """Similar words add points proportional to the similarity, naming the shared words."""
    r = score_network(profile(), net("x"), TextMatch(0.5, ("export",)))
    text = next(x for x in r.reasons if x.code == "text")
    assert text.points == 15 and "export" in text.text
    assert r.score == 2 * GOAL_POINTS + 15

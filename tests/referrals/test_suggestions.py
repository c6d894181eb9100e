"""Suggestions from offers and needs: who could serve a need, whose need I serve; visibility,
competitors and reasons."""

import pytest

from meute.advisor.vectors import rebuild_index, refresh_vectors
from meute.members.models import Leader
from meute.referrals.suggestions import activities_named, needs_in_my_networks, who_could_serve, whose_need_i_serve
from tests.factories import CompanyFactory, LeaderFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def person(network, *, offers="", needs="", naf="70.22Z", listed=True, commune="86194"):
    company = CompanyFactory(offers=offers, needs=needs, naf_code=naf, commune_id=commune,
                             department_id=commune[:2])
    return MembershipFactory(network=network, leader=LeaderFactory(company=company, listed=listed)).leader


def index():
    refresh_vectors(Leader.objects.select_related("company"), force=True)
    rebuild_index(buckets=2)


def test_who_could_serve_a_need_ranks_the_matching_offer_with_its_reasons():
    """The member whose offer shares the need's words comes first, and says why."""
    network = NetworkFactory()
    me = person(network, offers="conseil")
    web = person(network, offers="création de site web, référencement", naf="62.01Z")
    person(network, offers="transport routier de marchandises", naf="49.41A")
    index()
    found = who_could_serve(me.user, "refaire notre site web et le référencement")
    assert found and found[0].leader.pk == web.pk
    assert any("site" in reason for reason in found[0].reasons)


def test_a_trade_named_in_the_need_finds_the_activity_even_without_words():
    """« plombier » names 43.22A: a plumbing company with no offer text is suggested, with the NAF reason."""
    network = NetworkFactory()
    me = person(network, offers="conseil")
    plumber = person(network, naf="43.22A")
    index()
    assert "43.22A" in activities_named("Je cherche un plombier")
    found = who_could_serve(me.user, "Je cherche un plombier")
    assert [s.leader.pk for s in found] == [plumber.pk]
    assert any("43.22A" in reason for reason in found[0].reasons)


def test_a_competitor_of_the_prospect_is_never_the_receiver():
    """Prospect and candidate in the same NAF classe in the same commune: the candidate is left out."""
    network = NetworkFactory()
    me = person(network, offers="conseil")
    prospect = person(network, needs="site web vitrine", naf="62.01Z")
    rival = person(network, offers="site web vitrine", naf="62.01Z")
    other = person(network, offers="site web vitrine", naf="73.11Z")
    index()
    found = [s.leader.pk for s in who_could_serve(me.user, prospect.company.needs, prospect=prospect)]
    assert other.pk in found and rival.pk not in found and prospect.pk not in found


def test_an_unlisted_member_is_never_suggested():
    """Only members the asker may see (the directory's rule) are suggested."""
    network = NetworkFactory()
    me = person(network, offers="conseil")
    person(network, offers="site web vitrine", naf="73.11Z", listed=False)
    index()
    assert who_could_serve(me.user, "site web vitrine") == []


def test_whose_need_i_serve_leaves_out_my_competitors():
    """Members whose need matches my offer are suggested, except a company competing with mine."""
    network = NetworkFactory()
    me = person(network, offers="comptabilité et paie", naf="69.20Z")
    client = person(network, needs="externaliser la paie et la comptabilité", naf="47.11A")
    person(network, needs="externaliser la paie", naf="69.20Z")
    index()
    assert [s.leader.pk for s in whose_need_i_serve(me.user)] == [client.pk]
    assert needs_in_my_networks(me.user)

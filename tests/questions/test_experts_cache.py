"""Routing proposals are computed once per state: a second look reads them back; a change of the
question, of a routing or of an expert's expertise gives fresh ones."""

import pytest
from django.urls import reverse

from meute.members.models import Membership, MembershipStatus, Role
from meute.questions import experts, services
from tests.factories import MembershipFactory, NetworkFactory
from tests.questions.factories import ask, member_of, team_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    network = NetworkFactory()
    team_of(network)
    return network


@pytest.fixture
def matcher_calls(monkeypatch):
    """How many times the matcher ran."""
    calls = []
    real = experts.propose_experts

    def counted(question, **kwargs):
        calls.append(question.pk)
        return real(question, **kwargs)

    monkeypatch.setattr(experts, "propose_experts", counted)
    return calls


def _ask(network):
    return ask(network, title="Recrutement : CDI ou CDD ?", body="Quel contrat de travail pour un premier salarié ?")


def test_a_second_triage_view_does_not_run_the_matcher(network, matcher_calls, client):
    """The team opens the question twice: the matcher runs once, the page shows the same expert."""
    expert = member_of(network, expertise="recrutement, droit du travail, contrat de travail CDI")
    question = _ask(network)
    client.force_login(network.roles.get(role=Role.STAFF).user)
    pages = [client.get(reverse("web:question", args=[question.pk])) for _ in range(2)]
    assert [p.status_code for p in pages] == [200, 200] and len(matcher_calls) == 1
    assert all(expert.leader.full_name in p.content.decode() for p in pages)


def test_the_cached_proposals_are_those_computed(network, matcher_calls):
    """What a second look reads back is the same experts, scores and shared words."""
    member_of(network, expertise="recrutement, contrat de travail")
    member_of(network, expertise="droit du travail, CDI")
    question = _ask(network)
    first, second = experts.suggest_experts(question), experts.suggest_experts(question)
    assert len(matcher_calls) == 1 and first
    assert [(p.user.pk, p.score, p.accepted, p.words) for p in first] == [
        (p.user.pk, p.score, p.accepted, p.words) for p in second
    ]


def test_a_changed_question_text_gives_fresh_proposals(network, matcher_calls):
    """After the question's text changes, the matcher runs again and follows the new text."""
    member_of(network, expertise="recrutement, contrat de travail CDI")
    accountant = member_of(network, expertise="comptabilité, fiscalité, TVA")
    question = _ask(network)
    experts.suggest_experts(question)
    question.title, question.body = "TVA intracommunautaire", "Comment déclarer la TVA ? fiscalité"
    question.save()
    proposals = experts.suggest_experts(question)
    assert len(matcher_calls) == 2 and proposals[0].user == accountant


def test_a_changed_expertise_gives_fresh_proposals(network, matcher_calls):
    """A member who now says they know recruitment scores higher at the next look."""
    question = _ask(network)
    newcomer = member_of(network, expertise="jardinage")

    def score() -> float:
        return next((p.score for p in experts.suggest_experts(question) if p.user == newcomer), 0.0)

    before = score()
    leader = newcomer.leader
    leader.expertise = "recrutement, contrat de travail CDI, CDD"
    leader.save()
    assert len(matcher_calls) == 1
    assert score() > before and len(matcher_calls) == 2


def test_a_changed_company_offer_gives_fresh_proposals(network, matcher_calls):
    """What a member's company offers counts: changing it invalidates the proposals."""
    question = _ask(network)
    member = member_of(network, expertise="")
    experts.suggest_experts(question)
    company = member.leader.company
    company.offers = "Conseil en recrutement, contrat de travail, CDI et CDD"
    company.save()
    assert experts.suggest_experts(question)[0].user == member and len(matcher_calls) == 2


def test_a_new_member_gives_fresh_proposals(network, matcher_calls):
    """Someone joining the network is proposed without waiting for the cache to expire."""
    question = _ask(network)
    experts.suggest_experts(question)
    joined = MembershipFactory(network=network, leader__expertise="recrutement, contrat de travail CDI").leader.user
    assert experts.suggest_experts(question)[0].user == joined and len(matcher_calls) == 2


def test_a_member_who_left_is_never_read_back(network, matcher_calls):
    """A member who left (even with no version bump) is not proposed from the cache."""
    expert = member_of(network, expertise="recrutement, contrat de travail CDI")
    question = _ask(network)
    assert experts.suggest_experts(question)[0].user == expert
    Membership.objects.filter(leader__user=expert).update(status=MembershipStatus.LEFT)  # a bulk write, no signal
    assert expert not in [p.user for p in experts.suggest_experts(question)]


def test_a_routing_gives_fresh_proposals_without_the_routed_expert(network, matcher_calls):
    """Once routed, an expert leaves the proposals and others take the place."""
    expert = member_of(network, expertise="recrutement, contrat de travail CDI")
    question = _ask(network)
    experts.suggest_experts(question)
    services.check_route(question, [expert], acting_user=network.roles.get(role=Role.STAFF).user)
    assert expert not in [p.user for p in experts.suggest_experts(question)] and len(matcher_calls) == 2


def test_an_accepted_answer_bumps_the_experts_networks(network):
    """Accepting an answer changes its author's expertise in every network they belong to."""
    other = NetworkFactory()
    author = member_of(network)
    MembershipFactory(network=other, leader=author.leader)
    question = ask(network, scope="network")
    answer = services.check_answer(question, acting_user=author, body="Un CDI.")
    before = {
        n.pk: experts.ExpertiseVersion.objects.filter(network=n).values_list("version", flat=True).first() or 0
        for n in (network, other)
    }
    services.check_accept(answer, acting_user=question.author)
    after = {n.pk: experts.ExpertiseVersion.objects.get(network=n).version for n in (network, other)}
    assert all(after[pk] > before[pk] for pk in before)


def test_profiles_written_in_bulk_bump_their_networks(network):
    """An import's bulk writes send ``profiles_changed``: the networks of those leaders are bumped."""
    from meute.members.signals import profiles_changed

    member = member_of(network)
    before = experts.ExpertiseVersion.objects.get(network=network).version
    profiles_changed.send(sender=None, leader_ids=[member.leader.pk])
    assert experts.ExpertiseVersion.objects.get(network=network).version == before + 1

"""The referrals' and the answers' components keep the cockpit's stored lights true: their writes
mark the lights to recompute and their oldest items leave the window with time alone."""

import datetime

import pytest
from django.utils import timezone

from meute.engagement import stored
from meute.engagement.lights import compute_lights
from meute.engagement.models import StoredLight
from meute.questions import services as questions
from tests.factories import NetworkRoleFactory
from tests.referrals.factories import give, member, one_to_one

pytestmark = pytest.mark.django_db


def _stored(network_id: int) -> dict:
    stored.fresh(network_id)
    return {r.leader_id: (r.expected, r.attended) for r in StoredLight.objects.filter(network_id=network_id)
            if r.expected or r.attended}


def _live(network_id: int) -> dict:
    return {k: light.total[:2] for k, light in compute_lights(network_id).items() if any(light.total)}


def test_a_referral_given_reaches_the_stored_light_at_once():
    """The cockpit's light of a giver counts the referral given after the light was stored."""
    giver = member()
    network = giver.leader.memberships.get().network
    receiver = member(network)
    assert _stored(network.pk) == {}
    give(giver, receiver)
    assert _stored(network.pk) == _live(network.pk) == {giver.leader.pk: (1, 1)}


def test_a_one_to_one_reaches_both_members_stored_lights():
    """A one-to-one written after the lights were stored counts for both of its members."""
    a = member()
    network = a.leader.memberships.get().network
    b = member(network)
    assert _stored(network.pk) == {}
    one_to_one(a.leader, b.leader)
    assert set(_stored(network.pk)) == {a.leader.pk, b.leader.pk} and _stored(network.pk) == _live(network.pk)


def test_an_answer_reaches_the_answerers_stored_light():
    """An answer posted after the lights were stored counts for its author."""
    asker = member()
    network = asker.leader.memberships.get().network
    expert = member(network)
    staff = NetworkRoleFactory(network=network).user
    question = questions.check_ask(network, acting_user=asker, title="Recrutement", body="Un CDI ?", scope="network")
    assert _stored(network.pk) == {}
    questions.check_route(question, [expert], acting_user=staff)
    questions.check_answer(question, acting_user=expert, body="Oui, en CDI.")
    assert _stored(network.pk) == _live(network.pk) == {expert.leader.pk: (1, 1)}


def test_an_old_referral_leaves_the_stored_light_with_time_alone(monkeypatch):
    """The stored light of a giver expires when their only referral leaves the window."""
    giver = member()
    network = giver.leader.memberships.get().network
    give(giver, member(network))
    assert _stored(network.pk) == {giver.leader.pk: (1, 1)}
    real = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real() + datetime.timedelta(days=400))
    assert _stored(network.pk) == _live(network.pk) == {}

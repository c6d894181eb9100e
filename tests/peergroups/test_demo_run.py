"""The demo programme, formed with the default settings, gives groups staff can publish as they are."""

import pytest

from meute.accounts.models import User
from meute.members.demo import load_demo
from meute.members.models import Network
from meute.peergroups.demo import load_demo_programme
from meute.peergroups.formation import DEFAULT_MAX_KM, FormationParams, review
from meute.peergroups.models import PeerGroup, RunStatus
from meute.peergroups.services import check_publish, check_request_run

pytestmark = pytest.mark.django_db


def test_demo_run_with_defaults_is_local_sponsored_and_clash_free(django_capture_on_commit_callbacks):
    """Defaults on the demo: every member within the hard distance, 2-3 sponsors, a facilitator, no clash.

    What the time-limited search leaves of the soft rules (a profile's balance, a member beyond the
    preferred 25 km but within the hard maximum) differs from run to run; the review names it,
    and the review page's own tests check that its banner then does not say all is respected."""
    load_demo(seed=5, members=150)
    load_demo_programme(seed=5)
    network = Network.objects.get(slug="plato-vienne")
    staff = User.objects.get(email="staff@demo.meute.example")
    with django_capture_on_commit_callbacks(execute=True):
        # The defaults, time limit included: 2 s left a loaded machine short of a warning-free proposal.
        run = check_request_run(network, FormationParams(), acting_user=staff)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.message
    reviews, problems = review(network, run.proposal, FormationParams.from_json(run.params), run.locks)
    assert not problems
    for g in reviews:
        assert g.max_km is not None and g.max_km <= DEFAULT_MAX_KM
        assert 2 <= len(g.sponsors) <= 3 and g.facilitator is not None
    assert len(reviews) >= 2
    with django_capture_on_commit_callbacks(execute=True):
        check_publish(run, acting_user=staff, reason="")
    running = PeerGroup.objects.filter(network=network, ended=False)
    facilitator_slots = [(g.facilitator_id, g.meeting_slot) for g in running]
    assert len(facilitator_slots) == len(set(facilitator_slots))
    sponsor_slots = [(s.pk, g.meeting_slot) for g in running for s in g.sponsors.all()]
    assert len(sponsor_slots) == len(set(sponsor_slots))

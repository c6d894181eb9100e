import itertools

import pytest
from django.core import mail

from meute.core.audit import entries_for
from meute.members.models import Membership, MembershipStatus, Role
from meute.peergroups.exceptions import PeerGroupError
from meute.peergroups.formation import FormationParams, pool_by_zone
from meute.peergroups.models import GroupMember, RunStatus
from meute.peergroups.services import check_move, check_publish, check_request_run, check_swap, check_toggle_lock
from tests.factories import CompanyFactory, LeaderFactory, MembershipFactory, NetworkFactory, NetworkRoleFactory

pytestmark = pytest.mark.django_db
CODES = ["62.01Z", "43.22A", "47.11B", "56.10A", "69.20Z", "86.21Z", "41.20A", "70.22Z", "49.41A", "96.02A",
         "10.71C", "45.20A", "68.31Z", "71.12B", "81.21Z", "73.11Z", "25.62B", "55.10Z", "85.59A", "66.22Z",
         "43.22A", "62.01Z"]


@pytest.fixture
def programme():
    network = NetworkFactory(family="peer", runs_peer_groups=True, slug="plato")
    for code in CODES:
        MembershipFactory(network=network, status=MembershipStatus.CANDIDATE,
                          leader=LeaderFactory(company=CompanyFactory(naf_code=code)))
    NetworkRoleFactory(network=network, role=Role.FACILITATOR)
    staff = NetworkRoleFactory(network=network, role=Role.STAFF).user
    return network, staff


def run_for(programme, django_capture_on_commit_callbacks, **params):
    network, staff = programme
    with django_capture_on_commit_callbacks(execute=True):
        run = check_request_run(network, FormationParams(size_min=10, size_max=12, seconds=1, **params),
                                acting_user=staff)
    run.refresh_from_db()
    return run


def test_run_proposes_groups_without_competitors(programme, django_capture_on_commit_callbacks):
    """The background run proposes two groups of 10-12 with no two competitors together."""
    run = run_for(programme, django_capture_on_commit_callbacks)
    groups = run.proposal["groups"]
    naf = {m.leader_id: m.leader.company.naf_code[:5] for m in Membership.objects.filter(network=programme[0])}
    assert run.status == RunStatus.DONE and sum(map(len, groups)) == 22 and all(10 <= len(g) <= 12 for g in groups)
    assert all(naf[a] != naf[b] for g in groups for a, b in itertools.combinations(g, 2))


def test_run_stores_its_parameters_and_seed(programme, django_capture_on_commit_callbacks):
    """A run keeps the parameters and seed it was computed with, audited."""
    run = run_for(programme, django_capture_on_commit_callbacks)
    entry = entries_for(run).get(action="peergroups.run.requested")
    assert (run.params["size_min"], entry.data["seed"]) == (10, run.seed)


def test_too_few_candidates_is_refused_with_a_reason(programme):
    """Asking for groups of 30 with 22 candidates explains why."""
    network, staff = programme
    with pytest.raises(PeerGroupError, match="fewer than one group"):
        check_request_run(network, FormationParams(size_min=30, size_max=32), acting_user=staff)


def test_move_into_a_full_group_is_refused(programme, django_capture_on_commit_callbacks):
    """Moving someone into a group already at its maximum changes nothing."""
    _network, staff = programme
    run = run_for(programme, django_capture_on_commit_callbacks, groups=2)
    before = [list(g) for g in run.proposal["groups"]]
    full = max((0, 1), key=lambda g: len(before[g]))
    run.params["size_max"] = len(before[full])
    run.save()
    with pytest.raises(PeerGroupError, match="full"):
        check_move(run, before[1 - full][0], full, acting_user=staff)
    run.refresh_from_db()
    assert run.proposal["groups"] == before


def test_publishing_a_violating_grouping_needs_an_audited_reason(programme, django_capture_on_commit_callbacks):
    """After a swap that seats competitors together, publishing needs a reason, which is audited."""
    network, staff = programme
    run = run_for(programme, django_capture_on_commit_callbacks)
    first, second = run.proposal["groups"]
    naf = {m.leader_id: m.leader.company.naf_code[:5] for m in Membership.objects.filter(network=network)}
    in_first = next(x for x in first if naf[x] == "43.22")
    twin = next(x for x in second if naf[x] == "43.22")
    check_swap(run, next(x for x in first if x != in_first), twin, acting_user=staff)
    with pytest.raises(PeerGroupError, match="reason"):
        check_publish(run, acting_user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        published = check_publish(run, acting_user=staff, reason="Associés, pas concurrents")
    entry = entries_for(run).get(action="peergroups.run.published")
    assert len(published) == 2 and entry.data["reason"] == "Associés, pas concurrents" and entry.data["violations"]


def test_each_new_member_is_told_in_their_language(programme, django_capture_on_commit_callbacks):
    """A member who reads English gets the publication e-mail in English, the others in French."""
    network, staff = programme
    english = Membership.objects.filter(network=network).select_related("leader__user").first().leader.user
    english.language = "en"
    english.save(update_fields=["language"])
    run = run_for(programme, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        check_publish(run, acting_user=staff)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[english.email].startswith("Your peer group: ")
    french = [subject for to, subject in subjects.items() if to != english.email]
    assert french and all(subject.startswith("Votre groupe de pairs") for subject in french)


def test_publishing_creates_groups_members_and_notifies(programme, django_capture_on_commit_callbacks):
    """Publishing creates the groups, turns candidates into active members and e-mails them."""
    network, staff = programme
    run = run_for(programme, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        groups = check_publish(run, acting_user=staff)
    assert GroupMember.objects.filter(group__in=groups).count() == 22
    assert not Membership.objects.filter(network=network, status=MembershipStatus.CANDIDATE).exists()
    assert len(mail.outbox) == 22 and groups[0].meetings.count() >= 20


def test_locked_member_stays_in_their_group_on_rerun(programme, django_capture_on_commit_callbacks):
    """A locked member keeps their group when the run is redone around the locks."""
    from meute.peergroups.services import check_rerun

    _network, staff = programme
    run = run_for(programme, django_capture_on_commit_callbacks)
    locked = run.proposal["groups"][1][0]
    check_toggle_lock(run, locked, acting_user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        new = check_rerun(run, acting_user=staff)
    new.refresh_from_db()
    assert locked in new.proposal["groups"][1]


def test_pool_counts_candidates_and_compatible_ones(programme):
    """The pool page counts waiting candidates per département and those free of competitors."""
    zones = pool_by_zone(programme[0])
    assert [(z.zone, z.waiting, z.compatible, z.can_form) for z in zones] == [("86", 22, 20, True)]

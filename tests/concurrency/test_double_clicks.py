"""Double clicks and concurrent staff, on PostgreSQL only: one effect, the loser gets a message."""

from collections import Counter

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings

from meute.advisor.exceptions import AdvisorError
from meute.advisor.introductions import check_answer_introduction, check_request_introduction
from meute.advisor.models import Introduction, IntroductionStatus
from meute.core.audit import entries_for
from meute.core.exceptions import MeuteError
from meute.core.models import AuditEntry
from meute.events.exceptions import EventError, PlanError
from meute.events.models import RotationPlan
from meute.events.rotations import check_request_plan
from meute.events.services import check_next_round
from meute.members.models import Membership, MembershipStatus, Role
from meute.peergroups.exceptions import PeerGroupError
from meute.peergroups.formation import FormationParams
from meute.peergroups.models import FormationRun, GroupMember, GroupMemberStatus, PeerGroup, RunStatus
from meute.peergroups.services import check_end_cycle, check_move, check_publish, check_request_run, check_swap
from tests.concurrency.helpers import race, sent_once
from tests.factories import (
    CompanyFactory,
    LeaderFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkRoleFactory,
    peer_group,
    speed_meeting,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CODES = ["62.01Z", "43.22A", "47.11B", "56.10A", "69.20Z", "86.21Z", "41.20A", "70.22Z", "49.41A", "96.02A",
         "10.71C", "45.20A"]


def split(outcomes):
    errors = [o for o in outcomes if isinstance(o, MeuteError)]
    return [o for o in outcomes if not isinstance(o, MeuteError)], errors


@pytest.fixture
def proposal():
    """A computed proposal of two groups of six, ready for review."""
    network = NetworkFactory(family="peer", runs_peer_groups=True)
    for code in CODES:
        MembershipFactory(network=network, status=MembershipStatus.CANDIDATE,
                          leader=LeaderFactory(company=CompanyFactory(naf_code=code)))
    NetworkRoleFactory(network=network, role=Role.FACILITATOR)
    staff = [NetworkRoleFactory(network=network, role=Role.STAFF).user for _ in range(2)]
    run = check_request_run(network, FormationParams(size_min=5, size_max=7, seconds=0.5, groups=2),
                            acting_user=staff[0])
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    return run, staff


def replay(proposal_groups, entries):
    """Apply the audited moves and swaps, in order, to a proposal."""
    groups = [list(g) for g in proposal_groups]
    for entry in entries:
        if entry.action == "peergroups.run.moved":
            groups[entry.data["from"]].remove(entry.data["leader"])
            groups[entry.data["to"]].append(entry.data["leader"])
        else:
            a, b = entry.data["a"], entry.data["b"]
            ga, gb = (next(i for i, g in enumerate(groups) if x in g) for x in (a, b))
            groups[ga][groups[ga].index(a)] = b
            groups[gb][groups[gb].index(b)] = a
    return groups


def test_two_simultaneous_publishes_create_each_group_once_and_mail_each_member_once(proposal):
    """Two staff click "publish" at once: one publishes, the other is told; groups and e-mails once."""
    run, staff = proposal
    outcomes = race(*(lambda user=user: check_publish(FormationRun.objects.get(pk=run.pk), acting_user=user,
                                                      reason="test") for user in staff))
    published, errors = split(outcomes)
    assert len(published) == 1 and len(errors) == 1
    assert isinstance(errors[0], PeerGroupError) and "already published" in str(errors[0])
    groups = PeerGroup.objects.filter(formation_run=run)
    assert groups.count() == 2
    members = list(GroupMember.objects.filter(group__in=groups).values_list("leader_id", flat=True))
    assert sorted(members) == sorted(x for g in run.proposal["groups"] for x in g)
    recipients = Counter(address for message in mail.outbox for address in message.to)
    assert len(recipients) == len(CODES) and set(recipients.values()) == {1}
    assert entries_for(run).filter(action="peergroups.run.published").count() == 1


def test_two_runs_over_the_same_candidates_published_at_once_place_each_person_once(proposal):
    """Two runs over the same candidates published at once: one publishes, the other names who is placed."""
    run, staff = proposal
    other = check_request_run(run.network, FormationParams(size_min=5, size_max=7, seconds=0.5, groups=2),
                              acting_user=staff[0])
    other.refresh_from_db()
    assert other.status == RunStatus.DONE
    pairs = zip((run, other), staff, strict=True)
    outcomes = race(*(lambda r=r, user=user: check_publish(FormationRun.objects.get(pk=r.pk), acting_user=user,
                                                           reason="test") for r, user in pairs))
    published, errors = split(outcomes)
    assert len(published) == 1 and len(errors) == 1 and "no longer waiting candidates" in str(errors[0])
    members = list(GroupMember.objects.values_list("leader_id", flat=True))
    assert sorted(members) == sorted(x for g in run.proposal["groups"] for x in g)


@pytest.mark.parametrize("attempt", range(3))
def test_a_concurrent_move_and_swap_of_different_people_both_apply(proposal, attempt):
    """Move x while swapping y and z: both apply, and the audit log replays to the stored proposal."""
    run, staff = proposal
    small = min((0, 1), key=lambda g: len(run.proposal["groups"][g]))
    big, target = run.proposal["groups"][1 - small], run.proposal["groups"][small]
    x, y, z = big[0], big[1], target[0]
    outcomes = race(lambda: check_move(FormationRun.objects.get(pk=run.pk), x, small, acting_user=staff[0]),
                    lambda: check_swap(FormationRun.objects.get(pk=run.pk), y, z, acting_user=staff[1]))
    assert split(outcomes)[1] == []
    stored = FormationRun.objects.get(pk=run.pk).proposal["groups"]
    assert x in stored[small] and y in stored[small] and z in stored[1 - small]
    assert sorted(a for g in stored for a in g) == sorted(a for g in run.proposal["groups"] for a in g)
    edits = entries_for(run).filter(action__in=["peergroups.run.moved", "peergroups.run.swapped"]).order_by("id")
    assert replay(run.proposal["groups"], edits) == stored


@pytest.mark.parametrize("attempt", range(3))
def test_a_conflicting_move_and_swap_apply_once_and_refuse_the_other(proposal, attempt):
    """Move x into z's group while swapping x with z: one applies, the other is refused with a message."""
    run, staff = proposal
    small = min((0, 1), key=lambda g: len(run.proposal["groups"][g]))
    x, z = run.proposal["groups"][1 - small][0], run.proposal["groups"][small][0]
    outcomes = race(lambda: check_move(FormationRun.objects.get(pk=run.pk), x, small, acting_user=staff[0]),
                    lambda: check_swap(FormationRun.objects.get(pk=run.pk), x, z, acting_user=staff[1]))
    applied, errors = split(outcomes)
    assert len(applied) == 1 and len(errors) == 1
    assert "same group" in str(errors[0]) or "already in that group" in str(errors[0])
    stored = FormationRun.objects.get(pk=run.pk).proposal["groups"]
    edits = entries_for(run).filter(action__in=["peergroups.run.moved", "peergroups.run.swapped"]).order_by("id")
    assert edits.count() == 1
    assert replay(run.proposal["groups"], edits) == stored


def test_ending_a_cycle_twice_at_once_ends_it_once():
    """Two "end the cycle" clicks: members become alumni once, one audit entry, the other is told."""
    group = peer_group(members=4)
    staff = [NetworkRoleFactory(network=group.network, role=Role.STAFF).user for _ in range(2)]
    outcomes = race(*(lambda user=user: check_end_cycle(PeerGroup.objects.get(pk=group.pk), acting_user=user)
                      for user in staff))
    ended, errors = split(outcomes)
    assert len(ended) == 1 and len(errors) == 1 and "already over" in str(errors[0])
    assert set(group.members.values_list("status", flat=True)) == {GroupMemberStatus.ALUMNI}
    assert AuditEntry.objects.filter(action="peergroups.cycle.ended", object_id=str(group.pk)).count() == 1
    leaders = group.members.values_list("leader_id", flat=True)
    assert set(Membership.objects.filter(leader_id__in=leaders, network=group.network)
               .values_list("status", flat=True)) == {MembershipStatus.ALUMNI}


def test_computing_a_plan_twice_at_once_queues_one_plan():
    """Two "compute the plan" clicks: one plan queued, the other is told one is being computed."""
    event = speed_meeting(8, table_size=4, rounds=3)
    staff = [NetworkRoleFactory(network=event.network, role=Role.STAFF).user for _ in range(2)]
    with override_settings(TASKS=DATABASE_TASKS):
        outcomes = race(*(lambda user=user: check_request_plan(event, acting_user=user, seconds=0.5)
                          for user in staff))
    queued, errors = split(outcomes)
    assert len(queued) == 1 and len(errors) == 1
    assert isinstance(errors[0], PlanError) and "already being computed" in str(errors[0])
    assert RotationPlan.objects.filter(event=event).count() == 1
    assert AuditEntry.objects.filter(action="events.plan.requested").count() == 1


def test_two_clicks_on_next_round_move_one_round():
    """The room screen's "next round" clicked twice from round 0: round 1, and the second is told."""
    event = speed_meeting(8, table_size=4, rounds=3)
    staff = NetworkRoleFactory(network=event.network, role=Role.STAFF).user
    outcomes = race(*(lambda: check_next_round(type(event).objects.get(pk=event.pk), rounds_planned=3,
                                               acting_user=staff, expected_round=0) for _ in range(2)))
    moved, errors = split(outcomes)
    assert len(moved) == 1 and len(errors) == 1
    assert isinstance(errors[0], EventError) and "already moved to round 1" in str(errors[0])
    event.refresh_from_db()
    assert event.current_round == 1
    assert AuditEntry.objects.filter(action="events.room.round_started").count() == 1


def _two_members():
    network = NetworkFactory()
    return [MembershipFactory(network=network).leader for _ in range(2)]


def test_accepting_and_declining_at_once_answer_once():
    """Accept and decline clicked together: one answer stored, one e-mail, the other is told."""
    a, b = _two_members()
    intro = Introduction.objects.create(requester=a, target=b)
    outcomes = race(lambda: check_answer_introduction(Introduction.objects.get(pk=intro.pk), accept=True,
                                                      acting_user=b.user),
                    lambda: check_answer_introduction(Introduction.objects.get(pk=intro.pk), accept=False,
                                                      acting_user=b.user))
    answered, errors = split(outcomes)
    assert len(answered) == 1 and len(errors) == 1 and "already answered" in str(errors[0])
    intro.refresh_from_db()
    assert intro.status in (IntroductionStatus.ACCEPTED, IntroductionStatus.DECLINED)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [a.user.email]
    assert entries_for(intro).filter(action__startswith="advisor.introduction.").count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_reverse_introductions_at_once_give_one_introduction(attempt):
    """A asks to meet B while B asks to meet A: one introduction, one e-mail, the other is told."""
    a, b = _two_members()
    outcomes = race(lambda: check_request_introduction(b.pk, acting_user=a.user),
                    lambda: check_request_introduction(a.pk, acting_user=b.user))
    made, errors = split(outcomes)
    assert len(made) == 1 and len(errors) == 1
    assert isinstance(errors[0], AdvisorError) and "already asked" in str(errors[0])
    assert Introduction.objects.count() == 1
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action="advisor.introduction.requested").count() == 1


def test_a_new_event_form_sent_four_times_at_once_creates_one_event():
    """Four sendings of one new-event form at the same instant: one event, the others are shown it."""
    import datetime

    from django.utils import timezone

    from meute.core.submissions import new_key
    from meute.events.models import Event
    from meute.events.services import check_create_event

    staff, key = NetworkRoleFactory(role=Role.STAFF), new_key()
    start = timezone.now() + datetime.timedelta(days=5)
    outcomes = race(*[sent_once(lambda: check_create_event(
        staff.network, acting_user=staff.user, kind="workshop", title="Atelier", starts_at=start,
        ends_at=start + datetime.timedelta(hours=2), submission=key)) for _ in range(4)])
    event = Event.objects.get()
    assert (sorted(kind for kind, _ in outcomes), {obj.pk for _, obj in outcomes}) == (
        ["created", "repeat", "repeat", "repeat"], {event.pk})


def test_a_question_form_sent_four_times_at_once_asks_once():
    """Four sendings of one asking form at the same instant: one question, one audit entry."""
    from meute.core.submissions import new_key
    from meute.questions.models import Question
    from meute.questions.services import check_ask

    network = NetworkFactory()
    NetworkRoleFactory(network=network, role=Role.STAFF)
    author, key = MembershipFactory(network=network).leader.user, new_key()
    outcomes = race(*[sent_once(lambda: check_ask(network, acting_user=author, title="Quel contrat ?", body="CDD ?",
                                              submission=key)) for _ in range(4)])
    assert (Question.objects.count(), AuditEntry.objects.filter(action="questions.question.asked").count(),
            sorted(kind for kind, _ in outcomes)) == (1, 1, ["created", "repeat", "repeat", "repeat"])

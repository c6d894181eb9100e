"""The facilitator's home reads the next meeting and its readiness of all their groups at once."""

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from meute.peergroups.meetings import check_order_agenda, check_propose_topic, check_vote
from meute.peergroups.models import ReplyAnswer
from meute.peergroups.queries import meeting_readiness, next_meeting, next_meetings
from meute.peergroups.replies import check_reply
from tests.factories import peer_group

pytestmark = pytest.mark.django_db


def _one_by_one(meeting):
    """What the home asked per meeting before: the two aggregates of one meeting."""
    ready = meeting.topics.aggregate(topics=Count("pk", distinct=True), votes=Count("votes"),
                                     ordered=Count("pk", filter=Q(position__isnull=False), distinct=True))
    ready.update(meeting.replies.aggregate(coming=Count("pk", filter=Q(answer=ReplyAnswer.COMING)),
                                           not_coming=Count("pk", filter=Q(answer=ReplyAnswer.NOT_COMING))))
    return ready


def test_each_groups_next_meeting_is_the_one_asked_alone():
    """For several groups, the next meeting of each is the one next_meeting() gives for it."""
    groups = [peer_group(), peer_group()]
    assert {pk: m.pk for pk, m in next_meetings(groups).items()} == {g.pk: next_meeting(g).pk for g in groups}


def test_readiness_counts_as_the_per_meeting_aggregates():
    """Topics, votes, ordered topics and answers of each meeting, zeros for a meeting with none."""
    busy, quiet = peer_group(), peer_group()
    meeting = busy.meetings.filter(starts_at__gt=timezone.now()).first()
    members = [m.leader.user for m in busy.members.all()[:3]]
    first = check_propose_topic(meeting, acting_user=members[0], title="Recruter")
    second = check_propose_topic(meeting, acting_user=members[1], title="Céder")
    check_vote(first, acting_user=members[2])
    check_vote(second, acting_user=members[2])
    check_vote(first, acting_user=members[1])
    check_order_agenda(meeting, [first.pk, second.pk], acting_user=busy.facilitator)
    check_reply(meeting, acting_user=members[0], answer=ReplyAnswer.COMING)
    check_reply(meeting, acting_user=members[1], answer=ReplyAnswer.NOT_COMING)
    other = next_meeting(quiet)
    ready = meeting_readiness([meeting, other])
    assert ready[meeting.pk] == _one_by_one(meeting)
    assert (ready[meeting.pk]["topics"], ready[meeting.pk]["votes"], ready[meeting.pk]["coming"]) == (2, 3, 1)
    assert ready[other.pk] == {"topics": 0, "votes": 0, "ordered": 0, "coming": 0, "not_coming": 0}

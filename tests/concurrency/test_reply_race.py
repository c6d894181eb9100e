"""Two answers for one meeting at once, on PostgreSQL only: serialised on the meeting's row."""

import pytest
from django.db import connection
from django.utils import timezone

from meute.core.audit import entries_for
from meute.peergroups.models import MeetingReply, ReplyAnswer
from meute.peergroups.replies import check_reply
from tests.concurrency.helpers import race
from tests.factories import peer_group

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _setup():
    group = peer_group(members=2)
    meeting = group.meetings.filter(starts_at__gt=timezone.now()).first()
    return meeting, group.members.first().leader.user


@pytest.mark.parametrize("attempt", range(3))
def test_a_double_click_stores_one_answer_and_one_entry(attempt):
    """« I'll come » clicked twice at once: one answer, one audit entry, no error."""
    meeting, user = _setup()
    outcomes = race(*(lambda: check_reply(meeting, acting_user=user, answer=ReplyAnswer.COMING)
                      for _ in range(2)))
    assert not any(isinstance(o, Exception) for o in outcomes)
    assert MeetingReply.objects.filter(meeting=meeting).count() == 1
    assert entries_for(meeting).filter(action="peergroups.meeting.replied").count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_two_different_answers_at_once_leave_a_consistent_trail(attempt):
    """« I'll come » and « I can't » at once: one answer stored, the last audited, each entry following the last."""
    meeting, user = _setup()
    race(lambda: check_reply(meeting, acting_user=user, answer=ReplyAnswer.COMING),
         lambda: check_reply(meeting, acting_user=user, answer=ReplyAnswer.NOT_COMING))
    changes = [e.changes["answer"] for e in entries_for(meeting).filter(action="peergroups.meeting.replied")
               .order_by("pk")]
    assert len(changes) == 2 and changes[0][0] is None and changes[1][0] == changes[0][1]
    assert MeetingReply.objects.get(meeting=meeting).answer == changes[-1][1]

import datetime

import pytest
from django.utils import timezone

from meute.core.audit import entries_for
from meute.core.exceptions import NotFound
from meute.peergroups.exceptions import PeerGroupError
from meute.peergroups.models import MeetingReply, ReplyAnswer
from meute.peergroups.replies import check_reply, list_replies, my_replies, my_reply
from tests.factories import NetworkRoleFactory, UserFactory, peer_group

pytestmark = pytest.mark.django_db


def upcoming(group):
    return group.meetings.filter(starts_at__gt=timezone.now()).first()


def a_member(group):
    return group.members.first().leader.user


def test_a_member_answers_and_the_answer_is_audited():
    """"I'll come" is stored for the member's leader and leaves an audit entry with the new value."""
    group = peer_group()
    meeting, user = upcoming(group), a_member(group)
    reply = check_reply(meeting, acting_user=user, answer=ReplyAnswer.COMING)
    assert MeetingReply.objects.get(meeting=meeting).leader.user == user
    assert reply.answer == ReplyAnswer.COMING
    entry = entries_for(meeting).get(action="peergroups.meeting.replied")
    assert entry.changes == {"answer": [None, "coming"]} and entry.actor == user


def test_changing_the_answer_keeps_one_row_and_audits_old_and_new():
    """A member who changes their mind has one answer, and the audit log says from what to what."""
    group = peer_group()
    meeting, user = upcoming(group), a_member(group)
    check_reply(meeting, acting_user=user, answer=ReplyAnswer.COMING)
    check_reply(meeting, acting_user=user, answer=ReplyAnswer.NOT_COMING)
    assert MeetingReply.objects.filter(meeting=meeting).count() == 1
    assert my_reply(user, meeting) == ReplyAnswer.NOT_COMING
    changes = [e.changes for e in entries_for(meeting).filter(action="peergroups.meeting.replied").order_by("pk")]
    assert changes == [{"answer": [None, "coming"]}, {"answer": ["coming", "not_coming"]}]


def test_my_replies_give_my_own_answer_for_each_meeting():
    """For several meetings, my answers by meeting, not another member's; none where I have not answered."""
    group = peer_group()
    first, second = group.meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at")[:2]
    user, other = a_member(group), group.members.last().leader.user
    check_reply(first, acting_user=user, answer=ReplyAnswer.COMING)
    check_reply(second, acting_user=other, answer=ReplyAnswer.NOT_COMING)
    assert my_replies(user, [first, second]) == {first.pk: ReplyAnswer.COMING}


def test_the_same_answer_twice_writes_nothing_more():
    """Clicking the same answer again leaves one audit entry."""
    group = peer_group()
    meeting, user = upcoming(group), a_member(group)
    check_reply(meeting, acting_user=user, answer=ReplyAnswer.COMING)
    check_reply(meeting, acting_user=user, answer=ReplyAnswer.COMING)
    assert entries_for(meeting).filter(action="peergroups.meeting.replied").count() == 1


def test_answers_close_when_the_meeting_starts():
    """An answer for a meeting that has started is refused and nothing is stored."""
    group = peer_group()
    meeting = upcoming(group)
    meeting.starts_at = timezone.now() - datetime.timedelta(minutes=1)
    meeting.save()
    with pytest.raises(PeerGroupError, match=r"commencé|started"):
        check_reply(meeting, acting_user=a_member(group), answer=ReplyAnswer.NOT_COMING)
    assert not MeetingReply.objects.exists()


def test_outsiders_and_facilitators_do_not_answer_for_members():
    """Only active members answer; anyone else gets a domain error and nothing is stored."""
    group = peer_group()
    meeting = upcoming(group)
    for user in (UserFactory(), group.facilitator):
        with pytest.raises(PeerGroupError):
            check_reply(meeting, acting_user=user, answer=ReplyAnswer.COMING)
    assert not MeetingReply.objects.exists()


def test_an_unknown_answer_is_refused():
    """An answer other than the two choices is a field error."""
    group = peer_group()
    with pytest.raises(PeerGroupError) as error:
        check_reply(upcoming(group), acting_user=a_member(group), answer="maybe")
    assert error.value.field == "answer"
    assert not MeetingReply.objects.exists()


def test_the_facilitator_and_staff_read_the_answers_members_do_not():
    """The answers are listed for the facilitator and the programme's staff; a member or outsider gets not found."""
    group = peer_group()
    meeting = upcoming(group)
    check_reply(meeting, acting_user=a_member(group), answer=ReplyAnswer.COMING)
    staff = NetworkRoleFactory(network=group.network).user
    assert list_replies(group.facilitator, meeting).count() == 1
    assert list_replies(staff, meeting).count() == 1
    other_staff = NetworkRoleFactory().user
    for user in (a_member(group), UserFactory(), other_staff):
        with pytest.raises(NotFound):
            list_replies(user, meeting)


def test_the_meeting_page_shows_answers_to_the_facilitator(client):
    """The facilitator's meeting page shows each member's answer."""
    group = peer_group()
    meeting = upcoming(group)
    check_reply(meeting, acting_user=a_member(group), answer=ReplyAnswer.NOT_COMING)
    client.force_login(group.facilitator)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "td class=\"reply\"" in page
    client.force_login(a_member(group))
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "td class=\"reply\"" not in page and 'id="reply"' in page


def test_answering_from_the_home_page_returns_there(client):
    """A member posts "I'll come" from the home page and lands back on it with the answer stored."""
    group = peer_group()
    meeting, user = upcoming(group), a_member(group)
    client.force_login(user)
    response = client.post(f"/meetings/{meeting.pk}/action/", {"action": "reply", "answer": "coming",
                                                                 "next": "home"})
    assert response.status_code == 302 and response.url == "/"
    assert my_reply(user, meeting) == ReplyAnswer.COMING

"""Outsiders see nothing of a group: every URL, export and feed, for three kinds of outsider."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meute.accounts.services import calendar_token_for
from meute.peergroups.meetings import check_propose_topic, check_write_minutes
from tests.factories import MembershipFactory, NetworkRoleFactory, UserFactory, peer_group

pytestmark = pytest.mark.django_db
SECRET_TOPIC = "Mon associé veut partir"
SECRET_MINUTES = "Litige prudhomal en cours"


@pytest.fixture
def group():
    group = peer_group()
    member = group.members.first().leader.user
    upcoming = group.meetings.filter(starts_at__gt=timezone.now()).first()
    check_propose_topic(upcoming, acting_user=member, title=SECRET_TOPIC)
    past = group.meetings.filter(ends_at__lt=timezone.now()).last()
    check_write_minutes(past, acting_user=group.facilitator, minutes=SECRET_MINUTES, actions=[])
    return group


def group_urls(group):
    meetings = list(group.meetings.all()[:3]) + list(group.meetings.filter(ends_at__lt=timezone.now()))
    return [
        reverse("web:group", args=[group.pk]),
        reverse("web:group_attendance_export", args=[group.pk]),
        *[reverse("web:meeting", args=[m.pk]) for m in meetings],
        reverse("web:programme", args=[group.network.slug]),
        reverse("web:programme_fees", args=[group.network.slug]) + "?format=csv",
        reverse("web:programme_plenaries", args=[group.network.slug]),
        *[reverse("web:formation_run", args=[run.pk]) for run in group.network.formation_runs.all()],
    ]


def outsiders(group):
    other_group = peer_group(network=group.network, name="Autre groupe")
    return {
        "outsider": UserFactory(),
        "member of another group": other_group.members.first().leader.user,
        "staff of another network": NetworkRoleFactory().user,
        "member of the network only": MembershipFactory(network=group.network).leader.user,
    }


def test_every_group_url_is_404_for_outsiders(client, group):
    """Each group URL answers 404 to every kind of outsider."""
    for who, user in outsiders(group).items():
        client.force_login(user)
        for url in group_urls(group):
            assert client.get(url).status_code == 404, (who, url)


def test_meeting_actions_are_404_for_outsiders(client, group):
    """Posting to a group's meeting is refused to outsiders and changes nothing."""
    meeting = group.meetings.filter(starts_at__gt=timezone.now()).first()
    for user in outsiders(group).values():
        client.force_login(user)
        response = client.post(reverse("web:meeting_action", args=[meeting.pk]), {"action": "propose",
                                                                                  "title": "intrus"})
        assert response.status_code == 404
    assert not meeting.topics.filter(title="intrus").exists()


def test_outsider_pages_never_contain_the_secrets(client, group):
    """Directory, home, events and calendar pages of outsiders show neither topics nor minutes."""
    for user in outsiders(group).values():
        client.force_login(user)
        pages = [client.get(url).content.decode() for url in (
            reverse("web:home"), reverse("web:groups"), reverse("web:directory") + "?q=associe",
            reverse("web:events"), reverse("web:calendar_feed", args=[calendar_token_for(user)]))]
        assert not any(SECRET_TOPIC in page or SECRET_MINUTES in page for page in pages)


def test_members_facilitator_sponsors_and_staff_see_the_group(client, group):
    """Members, the facilitator, sponsors and the programme's staff open the meeting with its minutes."""
    past = group.meetings.filter(ends_at__lt=timezone.now()).last()
    staff = NetworkRoleFactory(network=group.network).user
    insiders = [group.members.first().leader.user, group.facilitator, group.sponsors.first(), staff]
    for user in insiders:
        client.force_login(user)
        assert SECRET_MINUTES in client.get(reverse("web:meeting", args=[past.pk])).content.decode()


def test_calendar_feed_holds_the_members_meetings(client, group):
    """A member's feed lists their group's meetings; an outsider's does not."""
    from icalendar import Calendar

    member = group.members.first().leader.user
    feed = client.get(reverse("web:calendar_feed", args=[calendar_token_for(member)])).content
    summaries = [str(e["summary"]) for e in Calendar.from_ical(feed).walk("VEVENT")]
    other = client.get(reverse("web:calendar_feed", args=[calendar_token_for(UserFactory())])).content
    assert summaries.count(group.name) >= 2 and group.name.encode() not in other

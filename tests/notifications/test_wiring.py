"""The events that matter notify the right people, and no e-mail is sent twice for one thing."""

import pytest
from django.core import mail
from django.utils import timezone

from meute.advisor.introductions import do_answer_introduction, do_request_introduction
from meute.events.models import PlanStatus, RotationPlan
from meute.events.services import check_cancel, check_register
from meute.members.invitations import do_accept_invitation, do_invite
from meute.members.models import InvitationKind, Role
from meute.notifications.models import Channel, Kind, Notification, Preference
from meute.peergroups.meetings import check_propose_topic, check_write_minutes
from tests.factories import (
    EventFactory,
    IntroductionFactory,
    LeaderFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkRoleFactory,
    peer_group,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def lexical_text(monkeypatch):
    from meute.advisor import textmatch

    monkeypatch.setenv("MEUTE_TEXT_MODEL", "lexical")
    textmatch.reset_backend()
    yield
    textmatch.reset_backend()


def _promotion(django_capture_on_commit_callbacks, *, channel=None):
    event = EventFactory(capacity=1)
    seated = check_register(event, MembershipFactory(network=event.network).leader.user)
    waiting = check_register(event, MembershipFactory(network=event.network).leader.user)
    if channel:
        Preference.objects.create(user=waiting.user, kind=Kind.PROMOTED, channel=channel)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        check_cancel(seated, acting_user=seated.user)
    return event, waiting


def test_a_promotion_is_notified_with_one_email_the_events_one(django_capture_on_commit_callbacks):
    """The person promoted gets a notification and exactly one e-mail: the event's, with its .ics and an unsubscribe."""
    event, waiting = _promotion(django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=waiting.user)
    assert notification.kind == Kind.PROMOTED and notification.object_id == event.pk
    (message,) = mail.outbox
    assert message.to == [waiting.user.email] and message.attachments[0][0].endswith(".ics")
    assert "/notifications/unsubscribe/" in message.body and "List-Unsubscribe" in message.extra_headers


def test_a_promotion_in_app_only_sends_no_email(django_capture_on_commit_callbacks):
    """A person who wants promotions in the app only is not e-mailed."""
    _event, waiting = _promotion(django_capture_on_commit_callbacks, channel=Channel.IN_APP)
    assert Notification.objects.filter(recipient=waiting.user, kind=Kind.PROMOTED).exists()
    assert mail.outbox == []


def test_a_topic_is_notified_to_the_group_but_not_its_author():
    """A proposed topic tells the other active members and the facilitator, not the member who proposed it."""
    group = peer_group(members=3)
    author = group.members.first().leader.user
    meeting = group.meetings.filter(ends_at__gt=timezone.now()).first()
    check_propose_topic(meeting, acting_user=author, title="Prud'hommes")
    told = set(Notification.objects.filter(kind=Kind.TOPIC_ADDED).values_list("recipient_id", flat=True))
    others = set(group.members.exclude(leader__user=author).values_list("leader__user_id", flat=True))
    assert told == others | {group.facilitator_id}


def test_minutes_are_notified_when_first_published_only():
    """Writing the minutes notifies the group once; correcting them later does not notify again."""
    group = peer_group(members=2)
    meeting = group.meetings.filter(starts_at__lt=timezone.now()).first()
    check_write_minutes(meeting, acting_user=group.facilitator, minutes="Compte rendu", actions=[])
    check_write_minutes(meeting, acting_user=group.facilitator, minutes="Compte rendu corrigé", actions=[])
    assert Notification.objects.filter(kind=Kind.MINUTES_PUBLISHED).count() == 2  # two members, once each


def test_an_introduction_asked_and_answered_notifies_each_side_once(django_capture_on_commit_callbacks):
    """The person asked is told (one e-mail), then the asker gets the answer (one e-mail)."""
    requester, target = LeaderFactory(), LeaderFactory()
    with django_capture_on_commit_callbacks(execute=True):
        intro = do_request_introduction(requester, target, message="Bonjour", acting_user=requester.user)
    assert Notification.objects.get(kind=Kind.INTRODUCTION_ASKED).recipient == target.user
    assert [m.to for m in mail.outbox] == [[target.user.email]]
    with django_capture_on_commit_callbacks(execute=True):
        do_answer_introduction(intro, accept=True, acting_user=target.user)
    assert Notification.objects.get(kind=Kind.INTRODUCTION_ANSWERED).recipient == requester.user
    assert [m.to for m in mail.outbox] == [[target.user.email], [requester.user.email]]


def test_a_declined_introduction_tells_the_asker():
    """Declining notifies the asker too."""
    intro = IntroductionFactory()
    do_answer_introduction(intro, accept=False, acting_user=intro.target.user)
    assert Notification.objects.get(kind=Kind.INTRODUCTION_ANSWERED).recipient == intro.requester.user


def test_an_accepted_invitation_tells_the_staff_who_sent_it():
    """The staff member who invited is told; the person who accepted is not."""
    network = NetworkFactory()
    staff = NetworkRoleFactory(network=network, role=Role.STAFF).user
    person = LeaderFactory()
    invitation, _ = do_invite(person.user, network, kind=InvitationKind.JOIN, acting_user=staff)
    do_accept_invitation(invitation, acting_user=person.user)
    notification = Notification.objects.get(kind=Kind.INVITATION_ACCEPTED)
    assert notification.recipient == staff and network.name in notification.title


def test_a_finished_plan_tells_the_people_seated():
    """When a speed-meeting plan is ready, each person seated in it is told once."""
    from meute.events.rotations import check_request_plan, run_plan
    from tests.factories import speed_meeting

    event = speed_meeting(8, table_size=4, rounds=2)
    staff = NetworkRoleFactory(network=event.network, role=Role.STAFF).user
    check_request_plan(event, acting_user=staff, seconds=0.3)
    plan = RotationPlan.objects.get(event=event)
    run_plan(plan.pk)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DONE
    told = list(Notification.objects.filter(kind=Kind.PLAN_PUBLISHED).values_list("recipient_id", flat=True))
    assert sorted(told) == sorted(event.registrations.values_list("user_id", flat=True))

"""A creation form sent twice creates one object: events and questions (meute.core.submissions)."""

import datetime

import pytest
from django.utils import timezone

from meute.core.submissions import Resubmitted, SubmissionRefused, new_key
from meute.events.models import Event
from meute.events.services import check_create_event
from meute.questions.models import Question
from tests.factories import NetworkFactory, NetworkRoleFactory
from tests.questions.factories import ask, member_of, team_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def notices_at_once(monkeypatch):
    from meute.questions import notices

    monkeypatch.setattr(notices.transaction, "on_commit", lambda fn, *a, **k: fn())


def create_event(staff, key, title="Atelier export"):
    start = timezone.now() + datetime.timedelta(days=10)
    return check_create_event(staff.network, acting_user=staff.user, kind="workshop", title=title, starts_at=start,
                              ends_at=start + datetime.timedelta(hours=2), submission=key)


def test_an_event_form_sent_twice_creates_one_event():
    """The second sending of the same form gets the first event back, and nothing more is created."""
    staff, key = NetworkRoleFactory(), new_key()
    first = create_event(staff, key)
    with pytest.raises(Resubmitted) as repeat:
        create_event(staff, key)
    assert (repeat.value.obj, Event.objects.count()) == (first, 1)


def test_two_event_forms_create_two_events():
    """Each form shown has its own key: two forms create two events."""
    staff = NetworkRoleFactory()
    create_event(staff, new_key())
    create_event(staff, new_key())
    assert Event.objects.count() == 2


def test_an_event_key_of_another_network_is_refused_and_not_shown():
    """A key already used in a network the actor does not manage gives an error, not the other event."""
    key = new_key()
    create_event(NetworkRoleFactory(), key, title="Réunion privée")
    with pytest.raises(SubmissionRefused):
        create_event(NetworkRoleFactory(), key)
    assert Event.objects.count() == 1


def test_a_question_form_sent_twice_asks_once():
    """The same asking form sent again gets the first question back; the team is told once."""
    network = NetworkFactory()
    team_of(network)
    author, key = member_of(network), new_key()
    first = ask(network, author, submission=key)
    with pytest.raises(Resubmitted) as repeat:
        ask(network, author, submission=key)
    assert (repeat.value.obj, Question.objects.count()) == (first, 1)


def test_a_question_key_of_another_author_is_refused_and_not_shown():
    """Someone replaying another member's key cannot reach that member's question."""
    network = NetworkFactory()
    team_of(network)
    key = new_key()
    ask(network, member_of(network), submission=key)
    with pytest.raises(SubmissionRefused):
        ask(network, member_of(network), submission=key)
    assert Question.objects.count() == 1


def test_an_overlong_key_is_refused():
    """A key longer than the column is refused with a message, nothing created."""
    with pytest.raises(SubmissionRefused):
        create_event(NetworkRoleFactory(), "x" * 41)
    assert not Event.objects.exists()

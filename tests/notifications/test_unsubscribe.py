"""One-click unsubscribe: a signed link per kind or for all, working once; a tampered link changes nothing."""

import pytest

from meute.core.audit import entries_for
from meute.notifications.exceptions import NotificationError
from meute.notifications.models import Channel, Kind, Preference
from meute.notifications.queries import my_preferences
from meute.notifications.unsubscribe import check_unsubscribe, read_unsubscribe_token, unsubscribe_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_kind_link_stops_that_kind_only_and_is_audited():
    """The link of one kind sets it to "in the app only", leaves the others, and leaves an audit entry."""
    person = UserFactory()
    check_unsubscribe(unsubscribe_token(person.pk, Kind.ANNOUNCEMENT))
    prefs = my_preferences(person)
    assert prefs[Kind.ANNOUNCEMENT] == Channel.IN_APP and prefs[Kind.TOPIC_ADDED] == Channel.DIGEST
    entry = entries_for(person).get(action="notifications.preferences.unsubscribed")
    assert entry.data == {"kind": "announcement"} and entry.changes == {"announcement": ["digest", "in_app"]}


def test_the_all_link_stops_every_email():
    """The "every e-mail" link sets every kind to "in the app only"."""
    person = UserFactory()
    check_unsubscribe(unsubscribe_token(person.pk))
    assert set(my_preferences(person).values()) == {Channel.IN_APP}


def test_a_reused_link_is_refused_and_changes_nothing():
    """Once used, the same link gives a clear error and does not undo a later choice."""
    person = UserFactory()
    token = unsubscribe_token(person.pk, Kind.ANNOUNCEMENT)
    check_unsubscribe(token)
    Preference.objects.filter(user=person).update(channel=Channel.EMAIL)  # the person changed their mind
    with pytest.raises(NotificationError, match="already used"):
        check_unsubscribe(token)
    with pytest.raises(NotificationError, match="already used"):
        read_unsubscribe_token(token)
    assert my_preferences(person)[Kind.ANNOUNCEMENT] == Channel.EMAIL


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature altered
    lambda t: t[: len(t) // 2],  # cut
    lambda t: "x" + t,  # payload altered
    lambda t: "",
])
def test_a_tampered_link_is_refused_and_changes_nothing(tamper):
    """A link whose signature does not match is refused with a clear message; nothing changes."""
    person = UserFactory()
    with pytest.raises(NotificationError, match="not valid"):
        check_unsubscribe(tamper(unsubscribe_token(person.pk)))
    assert not Preference.objects.exists()


def test_a_link_signed_for_another_purpose_is_refused():
    """A value signed with another salt (another feature's token) is not an unsubscribe link."""
    from django.core import signing

    person = UserFactory()
    forged = signing.dumps({"u": person.pk, "k": "", "n": "abc"}, salt="meute.members.invitation")
    with pytest.raises(NotificationError):
        check_unsubscribe(forged)
    assert not Preference.objects.exists()


def test_a_well_signed_but_malformed_link_is_refused():
    """A signed payload without a person id or nonce is refused, not an error page."""
    from django.core import signing

    from meute.notifications.unsubscribe import SALT

    for payload in ({"u": "abc", "k": "", "n": "x"}, {"k": ""}, ["u"], {"u": 1, "k": "nonsense", "n": "x"}):
        with pytest.raises(NotificationError):
            check_unsubscribe(signing.dumps(payload, salt=SALT))

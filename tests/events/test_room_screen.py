"""The room screen's "next round" carries the round it showed, so a second click is refused."""

import pytest
from django.urls import reverse

from meute.core.models import AuditEntry
from meute.events.exceptions import EventError
from meute.events.models import RotationPlan
from meute.events.rotations import run_plan
from meute.events.services import check_next_round
from meute.members.models import Role
from tests.factories import NetworkRoleFactory, speed_meeting

pytestmark = pytest.mark.django_db


def test_a_stale_next_round_is_refused_and_changes_nothing():
    """A click that saw round 0 after the room moved to round 1 is refused; the round stays 1."""
    event = speed_meeting(8, table_size=4, rounds=3)
    staff = NetworkRoleFactory(network=event.network, role=Role.STAFF).user
    check_next_round(event, rounds_planned=3, acting_user=staff, expected_round=0)
    with pytest.raises(EventError, match="already moved to round 1"):
        check_next_round(event, rounds_planned=3, acting_user=staff, expected_round=0)
    event.refresh_from_db()
    assert event.current_round == 1
    assert AuditEntry.objects.filter(action="events.room.round_started").count() == 1


def test_the_room_screen_posts_the_round_it_shows(client):
    """The page's form carries its round; posting the same form twice moves one round."""
    event = speed_meeting(8, table_size=4, rounds=3)
    run_plan(RotationPlan.objects.create(event=event, seed=1, seconds=0.5).pk)
    client.force_login(NetworkRoleFactory(network=event.network, role=Role.STAFF).user)
    html = client.get(reverse("web:event_room", args=[event.pk])).content.decode()
    assert 'name="round" value="0"' in html
    for _ in range(2):
        client.post(reverse("web:event_room_next", args=[event.pk]), {"round": "0"})
    event.refresh_from_db()
    assert event.current_round == 1

"""Attendance recorded while the stored lights are recomputed, on PostgreSQL only: the touch and the
recomputation are serialised on the network's light book, so no stale light survives."""

import pytest
from django.db import connection

from meute.engagement import stored
from meute.engagement.lights import compute_lights
from meute.engagement.models import StoredLight
from meute.peergroups.meetings import check_record_attendance
from tests.concurrency.helpers import race
from tests.engagement.helpers import fresh_group, held

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _same(network_id: int) -> bool:
    stored.fresh(network_id)
    rows = {r.leader_id: (r.expected, r.attended, r.excused) for r in StoredLight.objects.filter(network_id=network_id)
            if r.expected or r.attended or r.excused}
    return rows == {k: tuple(light.total) for k, light in compute_lights(network_id).items() if any(light.total)}


@pytest.mark.parametrize("attempt", range(3))
def test_attendance_recorded_during_a_rebuild_is_not_lost(attempt):
    """A rebuild and an attendance record at once: the stored lights end equal to the computed ones."""
    group, (a, b, c) = fresh_group()
    held(group, 40, {a: "present", b: "present", c: "present"})
    stored.rebuild(group.network_id)
    meeting = held(group, 10, {})
    race(lambda: check_record_attendance(meeting, {a.pk: "absent", b.pk: "absent", c.pk: "present"},
                                         acting_user=group.facilitator),
         lambda: stored.rebuild(group.network_id))
    assert _same(group.network_id)


@pytest.mark.parametrize("attempt", range(3))
def test_attendance_recorded_during_a_refresh_is_not_lost(attempt):
    """A read refreshing expired lights and an attendance record at once: nothing stale survives."""
    group, (a, b, c) = fresh_group()
    first = held(group, 40, {a: "present", b: "present", c: "present"})
    stored.rebuild(group.network_id)
    check_record_attendance(first, {a.pk: "absent"}, acting_user=group.facilitator)  # a's light has expired
    meeting = held(group, 10, {})
    race(lambda: check_record_attendance(meeting, {a.pk: "present", b.pk: "absent", c.pk: "absent"},
                                         acting_user=group.facilitator),
         lambda: stored.fresh(group.network_id))
    assert _same(group.network_id)

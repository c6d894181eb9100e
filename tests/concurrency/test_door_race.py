"""Check-in at the door with several phones at once, on PostgreSQL only (SQLite serialises every write)."""

import pytest
from django.db import connection

from meute.core.exceptions import MeuteError
from meute.core.models import AuditEntry
from meute.events.checkin import checkin_code
from meute.events.door import check_scan, check_walk_in
from meute.events.models import RegistrationStatus
from meute.events.services import do_register
from tests.concurrency.helpers import race
from tests.factories import EventFactory, MembershipFactory, NetworkRoleFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_eight_walk_ins_for_three_free_seats_seat_three():
    """Eight staff phones seat eight walk-ins at once for three free seats: three seated, five told it is full."""
    event = EventFactory(capacity=5)
    for _ in range(2):
        do_register(event, MembershipFactory(network=event.network).leader.user, offers="", needs="", wishes=[])
    staff = NetworkRoleFactory(network=event.network).user
    walkers = [MembershipFactory(network=event.network).leader.user for _ in range(8)]
    results = race(*[lambda u=u: check_walk_in(event, u, acting_user=staff) for u in walkers])
    refused = [r for r in results if isinstance(r, MeuteError)]
    assert event.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 5
    assert len(refused) == 5 and all("full" in r.message or "complet" in r.message for r in refused)
    assert AuditEntry.objects.filter(action="events.registration.walk_in").count() == 3


def test_one_badge_scanned_by_two_phones_checks_in_once():
    """The same code scanned twice at once: one check-in, the other phone says it was used."""
    event = EventFactory(capacity=5)
    registration = do_register(event, MembershipFactory(network=event.network).leader.user, offers="", needs="",
                               wishes=[])
    staff = NetworkRoleFactory(network=event.network).user
    code = checkin_code(registration.pk)
    results = race(*[lambda: check_scan(event, code, acting_user=staff)] * 2)
    assert sum(isinstance(r, MeuteError) for r in results) == 1
    assert AuditEntry.objects.filter(action="events.registration.presence").count() == 1

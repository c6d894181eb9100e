"""Race-prone flows, on PostgreSQL only (SQLite serialises every write)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from meute.events.models import Registration, RegistrationStatus
from meute.events.services import check_cancel, check_register
from tests.factories import EventFactory, MembershipFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]
THREADS = 40


def test_200_simultaneous_registrations_for_50_seats():
    """200 concurrent registrations: exactly 50 confirmed, 150 waiting in arrival order; a cancel promotes the first."""
    event = EventFactory(capacity=50, audience="members")
    users = [MembershipFactory(network=event.network).leader.user for _ in range(200)]
    start = threading.Barrier(THREADS)

    def register(index: int) -> None:
        if index < THREADS:
            start.wait()
        try:
            check_register(event, users[index])
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(register, range(200)))
    registrations = list(Registration.objects.filter(event=event).order_by("seq"))
    statuses = [r.status for r in registrations]
    assert statuses == [RegistrationStatus.CONFIRMED] * 50 + [RegistrationStatus.WAITING] * 150
    assert [r.seq for r in registrations] == list(range(1, 201))
    first_waiting = registrations[50]
    check_cancel(registrations[0], acting_user=registrations[0].user)
    first_waiting.refresh_from_db()
    assert first_waiting.status == RegistrationStatus.CONFIRMED
    assert Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count() == 50

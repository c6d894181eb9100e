import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from meute.core.models import AuditEntry
from meute.engagement.models import RiskReason, RiskSignal
from meute.engagement.services import do_check_engagement
from meute.engagement.signals import member_at_risk
from tests.engagement.helpers import fresh_group, held, said_no

pytestmark = pytest.mark.django_db(transaction=True)  # the signal is sent on commit
P, E, A = "present", "excused", "absent"


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)
    member_at_risk.connect(receiver)
    yield calls
    member_at_risk.disconnect(receiver)


def test_two_missed_meetings_in_a_row_signal_once(received):
    """Two unexcused absences in a row send one signal naming the group, and a second check sends none."""
    group, (a, b, c) = fresh_group()
    held(group, 100, {a: P, b: P, c: P})
    held(group, 70, {a: P, b: A, c: P})
    last = held(group, 40, {a: P, b: A, c: P})
    do_check_engagement()
    do_check_engagement()
    missed = [r for r in received if r["reason"] == RiskReason.MISSED_TWICE]
    assert [(r["leader"].pk, r["group"].pk, r["network"].pk) for r in missed] == [(b.pk, group.pk, group.network_id)]
    assert RiskSignal.objects.get(reason=RiskReason.MISSED_TWICE).occurrence == f"meeting:{last.pk}"
    assert AuditEntry.objects.filter(action="engagement.risk.signalled").count() == len(received)


def test_an_announced_absence_is_not_a_miss(received):
    """An « I can't » given before the meeting excuses it: no signal for two absences of which one was announced."""
    group, (a, b, c) = fresh_group()
    held(group, 100, {a: P, b: P, c: P})
    first = held(group, 70, {a: P, b: A, c: P})
    held(group, 40, {a: P, b: A, c: P})
    said_no(first, b)
    do_check_engagement()
    assert not [r for r in received if r["reason"] == RiskReason.MISSED_TWICE]


def test_a_red_light_signals_once_per_episode(received):
    """A red light is signalled once; when it leaves red the episode closes, and turning red again signals again."""
    group, (a, b, c) = fresh_group()
    held(group, 100, {a: A, b: P, c: P})
    held(group, 70, {a: P, b: P, c: P})
    held(group, 40, {a: A, b: P, c: P})
    do_check_engagement()
    do_check_engagement()
    assert [r["leader"].pk for r in received if r["reason"] == RiskReason.RED] == [a.pk]
    for days in (30, 25, 20, 15):
        held(group, days, {a: P, b: P, c: P})
    report = do_check_engagement()
    assert report.resolved == 1 and RiskSignal.objects.get(reason=RiskReason.RED).resolved_at is not None
    for days in range(14, 0, -1):
        held(group, days, {a: A, b: P, c: P})
    do_check_engagement(now=timezone.now() + datetime.timedelta(seconds=1))
    assert [r["leader"].pk for r in received if r["reason"] == RiskReason.RED] == [a.pk, a.pk]
    assert RiskSignal.objects.filter(reason=RiskReason.RED, resolved_at__isnull=True).count() == 1


def test_the_daily_command_runs_the_check(received):
    """``meute engagement-check`` signals what the service finds and prints a summary."""
    group, (a, _b, _c) = fresh_group()
    held(group, 70, {a: A})
    held(group, 40, {a: A})
    call_command("engagement_check")
    assert {r["reason"] for r in received} == {RiskReason.MISSED_TWICE, RiskReason.RED}


def test_the_facilitator_is_notified_once_and_an_outsider_sees_nothing():
    """Each risk signal notifies the group's facilitator once, visible to them only (here: two misses, and red)."""
    from meute.notifications.models import Kind, Notification
    from meute.notifications.queries import only_visible
    from tests.factories import UserFactory

    group, (a, b, c) = fresh_group()
    held(group, 100, {a: P, b: P, c: P})
    held(group, 70, {a: P, b: A, c: P})
    held(group, 40, {a: P, b: A, c: P})
    do_check_engagement()
    do_check_engagement()
    notes = list(Notification.objects.filter(kind=Kind.MEMBER_AT_RISK))
    assert [n.recipient_id for n in notes] == [group.facilitator_id] * RiskSignal.objects.count()
    assert len({n.object_id for n in notes}) == len(notes) >= 1
    assert list(only_visible(group.facilitator, notes)) == notes
    assert list(only_visible(UserFactory(), notes)) == []

"""A plan that knows it is stale, and the one-click re-plan that keeps the rounds held."""

import itertools

import pytest
from django.urls import reverse

from meute.core.models import AuditEntry
from meute.events.models import RotationPlan
from meute.events.rotations import current_plan, plan_changes, run_plan
from meute.events.services import do_cancel, do_register, do_set_presence
from tests.factories import MembershipFactory, NetworkRoleFactory, speed_meeting

pytestmark = pytest.mark.django_db


def planned(people=12, table_size=4, rounds=4):
    event = speed_meeting(people, table_size=table_size, rounds=rounds)
    run_plan(RotationPlan.objects.create(event=event, seed=5, seconds=1).pk)
    return event


def late_member(event):
    user = MembershipFactory(network=event.network).leader.user
    do_register(event, user, offers="", needs="", wishes=[])
    return user


def test_a_fresh_plan_is_not_stale():
    """Right after planning, every present person is seated and nobody seated has left."""
    event = planned()
    assert not plan_changes(event, current_plan(event)).stale


def test_a_late_registration_makes_the_plan_stale():
    """A person registered after the plan is listed as a newcomer."""
    event = planned()
    user = late_member(event)
    changes = plan_changes(event, current_plan(event))
    assert changes.stale and [r.user_id for r in changes.newcomers] == [user.pk] and changes.gone == []


def test_a_cancellation_and_an_absence_make_the_plan_stale():
    """A cancelled and an absent participant are listed as gone."""
    event = planned()
    first, second = event.registrations.order_by("seq")[:2]
    do_cancel(first, acting_user=first.user)
    do_set_presence(second, present=False, acting_user=None)
    gone = plan_changes(event, current_plan(event)).gone
    assert sorted(r.pk for r in gone) == sorted([first.pk, second.pk])


def test_checking_in_a_seated_participant_keeps_the_plan_fresh():
    """A check-in of someone already seated changes nothing in the plan."""
    event = planned()
    do_set_presence(event.registrations.first(), present=True, acting_user=None)
    assert not plan_changes(event, current_plan(event)).stale


def test_checking_in_someone_marked_absent_makes_the_plan_stale_again():
    """Marked absent, re-planned without them, then checked in: they are a newcomer."""
    event = planned()
    registration = event.registrations.first()
    do_set_presence(registration, present=False, acting_user=None)
    run_plan(RotationPlan.objects.create(event=event, seed=6, seconds=1, from_round=1).pk)
    do_set_presence(registration, present=True, acting_user=None)
    assert [r.pk for r in plan_changes(event, current_plan(event)).newcomers] == [registration.pk]


def test_staff_see_the_stale_warning_with_the_newcomer(client):
    """The plan page names the late registrant under "out of date"."""
    event = planned()
    user = late_member(event)
    client.force_login(NetworkRoleFactory(network=event.network).user)
    html = client.get(reverse("web:event_plan", args=[event.pk])).content.decode()
    assert 'id="plan-stale"' in html and user.get_full_name() in html.split('id="plan-stale"')[1]


def test_replan_from_round_three_keeps_two_rounds_and_seats_the_newcomer(client, django_capture_on_commit_callbacks):
    """One click re-plans rounds 3-4: rounds 1-2 unchanged, the newcomer seated, no pair twice."""
    event = planned(people=20, table_size=4, rounds=4)
    before = current_plan(event).rounds
    user = late_member(event)
    staff = NetworkRoleFactory(network=event.network).user
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:event_replan", args=[event.pk]), {"from_round": 3, "seconds": 2})
    plan = current_plan(event)
    pairs = [frozenset(p) for r in plan.rounds for t in r for p in itertools.combinations(t, 2)]
    assert plan.from_round == 2 and plan.rounds[:2] == before[:2] and len(plan.rounds) == 4
    assert all(any(user.pk in t for t in r) for r in plan.rounds[2:]) and len(pairs) == len(set(pairs))
    assert not plan_changes(event, plan).stale and plan.repeats == 0
    assert AuditEntry.objects.filter(action="events.plan.requested", data__from_round=2).exists()


def test_replan_with_fewer_people_than_a_table_is_refused_and_changes_nothing(client):
    """With fewer people present than a table seats, the re-plan is refused with a message."""
    event = planned(people=4, table_size=4, rounds=3)
    do_set_presence(event.registrations.first(), present=False, acting_user=None)
    client.force_login(NetworkRoleFactory(network=event.network).user)
    response = client.post(reverse("web:event_replan", args=[event.pk]), {"from_round": 2, "seconds": 1},
                           follow=True)
    assert "fewer than one table" in response.content.decode() or "moins d" in response.content.decode()
    assert event.plans.count() == 1


def test_replan_from_a_round_past_the_last_is_refused(client):
    """A round number beyond the event's rounds is a form error, and no plan is queued."""
    event = planned(rounds=3)
    client.force_login(NetworkRoleFactory(network=event.network).user)
    client.post(reverse("web:event_replan", args=[event.pk]), {"from_round": 9, "seconds": 1})
    assert event.plans.count() == 1


def test_late_registrant_schedule_says_not_yet_seated_then_updates(client):
    """Before the re-plan the schedule says "not yet seated"; after it, it shows tables."""
    event = planned(rounds=3)
    user = late_member(event)
    client.force_login(user)
    html = client.get(reverse("web:event_schedule", args=[event.pk])).content.decode()
    assert html.count('class="unseated"') == 3 and "<td>—" not in html and 'id="not-seated"' in html
    run_plan(RotationPlan.objects.create(event=event, seed=7, seconds=1, from_round=1).pk)
    html = client.get(reverse("web:event_schedule", args=[event.pk])).content.decode()
    assert html.count('class="unseated"') == 1 and html.count('class="table-number"') == 2

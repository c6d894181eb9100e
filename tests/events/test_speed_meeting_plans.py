import itertools

import pytest

from meute.events.exceptions import PlanError
from meute.events.models import PlanStatus
from meute.events.rotations import check_request_plan, current_plan
from meute.events.services import do_set_presence
from tests.factories import NetworkRoleFactory, speed_meeting

pytestmark = pytest.mark.django_db


def pairs(rounds):
    return [frozenset(p) for round_ in rounds for table in round_ for p in itertools.combinations(table, 2)]


def staff_of(event):
    return NetworkRoleFactory(network=event.network).user


def test_sixty_people_get_a_plan_with_no_repeated_pair(django_capture_on_commit_callbacks):
    """A 60-person speed meeting (tables of 6, 8 rounds) is planned by the job with zero repeats."""
    event = speed_meeting(60)
    with django_capture_on_commit_callbacks(execute=True):
        check_request_plan(event, acting_user=staff_of(event), seconds=8)
    plan = current_plan(event)
    met = pairs(plan.rounds)
    assert (plan.status, plan.repeats, len(met) == len(set(met)), len(plan.rounds)) == (PlanStatus.DONE, 0, True, 8)


def test_every_round_seats_every_participant_once(django_capture_on_commit_callbacks):
    """Each round is a partition of the participants into tables of at most the table size."""
    event = speed_meeting(20, table_size=5, rounds=3)
    with django_capture_on_commit_callbacks(execute=True):
        check_request_plan(event, acting_user=staff_of(event), seconds=2)
    ids = set(event.registrations.values_list("user_id", flat=True))
    for round_ in current_plan(event).rounds:
        seated = [x for table in round_ for x in table]
        assert sorted(seated) == sorted(ids) and max(map(len, round_)) <= 5


def test_replan_keeps_held_rounds_and_repeats_no_pair(django_capture_on_commit_callbacks):
    """A re-plan after two rounds, without a no-show, keeps rounds 1-2 and repeats no pair."""
    event = speed_meeting(24, table_size=4, rounds=5)
    staff = staff_of(event)
    with django_capture_on_commit_callbacks(execute=True):
        check_request_plan(event, acting_user=staff, seconds=2)
    first = current_plan(event)
    absent = event.registrations.get(user_id=first.rounds[0][0][0])
    do_set_presence(absent, present=False, acting_user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        check_request_plan(event, acting_user=staff, seconds=2, from_round=2)
    second = current_plan(event)
    later = [x for round_ in second.rounds[2:] for table in round_ for x in table]
    met = pairs(second.rounds)
    assert (second.rounds[:2], absent.user_id in later, len(met) == len(set(met))) == (first.rounds[:2], False, True)


def test_plan_with_fewer_people_than_a_table_is_refused():
    """Planning with fewer people present than one table gives a clear message."""
    event = speed_meeting(4, table_size=6)
    with pytest.raises(PlanError, match="fewer than one table"):
        check_request_plan(event, acting_user=staff_of(event))


def test_only_staff_request_plans():
    """A participant cannot compute the plan."""
    event = speed_meeting(8, table_size=4, rounds=2)
    participant = event.registrations.first().user
    with pytest.raises(PlanError):
        check_request_plan(event, acting_user=participant)

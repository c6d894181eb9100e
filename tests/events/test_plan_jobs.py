"""Speed-meeting plans as background jobs: claimed once, failures visible, retry and cancel, size limits."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meute.core import jobs
from meute.core.models import AuditEntry
from meute.events import rotations
from meute.events.exceptions import PlanError
from meute.events.models import PlanStatus, RotationPlan
from meute.events.rotations import check_cancel_plan, check_request_plan, check_retry_plan, run_plan
from meute.members.models import Role
from tests.factories import NetworkRoleFactory, speed_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_and_staff():
    event = speed_meeting(8, table_size=4, rounds=3)
    return event, NetworkRoleFactory(network=event.network, role=Role.STAFF).user


def test_a_plan_is_computed_once_even_if_enqueued_twice(event_and_staff):
    """The second execution of one plan finds it no longer pending and stores nothing."""
    event, staff = event_and_staff
    plan = check_request_plan(event, acting_user=staff, seconds=0.5)
    assert run_plan(plan.pk).status == PlanStatus.DONE
    assert run_plan(plan.pk) is None
    assert AuditEntry.objects.filter(action="events.plan.finished", data__plan=plan.pk).count() == 1


def test_a_plan_whose_code_raises_is_failed_with_the_error(event_and_staff, monkeypatch):
    """An exception while planning marks the plan failed with a readable reason at once."""
    event, staff = event_and_staff
    plan = check_request_plan(event, acting_user=staff, seconds=0.5)

    def broken(*args, **kwargs):
        raise MemoryError("no room left")

    monkeypatch.setattr(rotations, "solve", broken)
    with pytest.raises(MemoryError):
        run_plan(plan.pk)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FAILED and "no room left" in plan.message


def test_a_dead_workers_plan_is_failed_by_the_status_view_then_retried(event_and_staff, client,
                                                                       django_capture_on_commit_callbacks):
    """A stale heartbeat: the status view says failed; retry from the page computes it with the same seed."""
    event, staff = event_and_staff
    plan = check_request_plan(event, acting_user=staff, seconds=0.5)
    long_ago = timezone.now() - datetime.timedelta(seconds=jobs.STALE_SECONDS + 1)
    RotationPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.RUNNING, attempt=1, heartbeat=long_ago)
    client.force_login(staff)
    data = client.get(reverse("web:event_plan_status", args=[event.pk])).json()
    assert (data["status"], data["active"]) == ("failed", False)
    html = client.get(reverse("web:event_plan", args=[event.pk])).content.decode()
    assert 'id="retry-plan"' in html and "data-job-status-url" not in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:event_plan_retry", args=[event.pk, plan.pk]))
    seed = plan.seed
    plan.refresh_from_db()
    assert (plan.status, plan.seed, plan.attempt) == (PlanStatus.DONE, seed, 2)
    assert AuditEntry.objects.filter(action="events.plan.retried", data__plan=plan.pk).count() == 1


def test_cancelling_a_waiting_plan_and_the_page(event_and_staff, client):
    """Cancel from the page: the plan is cancelled, audited, the page offers retry and stops polling."""
    event, staff = event_and_staff
    plan = check_request_plan(event, acting_user=staff, seconds=0.5)
    client.force_login(staff)
    html = client.get(reverse("web:event_plan", args=[event.pk])).content.decode()
    assert "data-job-status-url" in html and "web/jobs.js" in html and "<script>" not in html
    client.post(reverse("web:event_plan_cancel", args=[event.pk, plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CANCELLED
    assert AuditEntry.objects.filter(action="events.plan.cancelled", actor=staff).count() == 1
    html = client.get(reverse("web:event_plan", args=[event.pk])).content.decode()
    assert 'id="retry-plan"' in html and "data-job-status-url" not in html
    with pytest.raises(PlanError, match=r"nothing to cancel|rien à annuler"):
        check_cancel_plan(plan, acting_user=staff)


def test_a_done_plan_cannot_be_retried(event_and_staff):
    """Retry is for failed or cancelled plans only."""
    event, staff = event_and_staff
    plan = check_request_plan(event, acting_user=staff, seconds=0.5)
    run_plan(plan.pk)
    with pytest.raises(PlanError, match="Only a failed or cancelled plan"):
        check_retry_plan(plan, acting_user=staff)


def test_a_plan_too_large_is_refused_before_it_is_queued(event_and_staff, monkeypatch):
    """People × rounds above the limit: a clear refusal, no plan created."""
    event, staff = event_and_staff
    monkeypatch.setattr(rotations, "MAX_SEATINGS", 20)
    with pytest.raises(PlanError, match="too large a plan"):
        check_request_plan(event, acting_user=staff, seconds=0.5)
    assert not RotationPlan.objects.exists()


def test_a_computing_time_out_of_range_is_a_field_error(event_and_staff):
    """Ten minutes of computing is refused on the seconds field."""
    event, staff = event_and_staff
    with pytest.raises(PlanError) as error:
        check_request_plan(event, acting_user=staff, seconds=600)
    assert error.value.field == "seconds"

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meute.core import jobs
from meute.members.models import MembershipStatus, Role
from meute.peergroups.formation import FormationParams
from meute.peergroups.models import FormationRun, RunStatus
from tests.browser.helpers import log_in
from tests.factories import CompanyFactory, LeaderFactory, MembershipFactory, NetworkFactory, NetworkRoleFactory

pytestmark = pytest.mark.django_db(transaction=True)
CODES = ["62.01Z", "43.22A", "47.11B", "56.10A", "69.20Z", "86.21Z", "41.20A", "70.22Z", "49.41A", "96.02A",
         "10.71C", "45.20A"]
SHOTS = os.environ.get("MEUTE_SHOTS")  # a folder: save screenshots of each state there


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def test_a_run_whose_worker_died_shows_failed_stops_polling_and_retries(live_server, page):
    """A waiting run's page polls; when its worker dies it shows the reason, stops polling, and retry completes it."""
    network = NetworkFactory(family="peer", runs_peer_groups=True)
    for code in CODES:
        MembershipFactory(network=network, status=MembershipStatus.CANDIDATE,
                          leader=LeaderFactory(company=CompanyFactory(naf_code=code)))
    staff = NetworkRoleFactory(network=network, role=Role.STAFF).user
    # queued by hand: no task is enqueued, so nothing computes it until the retry
    run = FormationRun.objects.create(network=network, seed=7, requested_by=staff,
                                      params=FormationParams(size_min=5, size_max=7, seconds=0.5).__dict__)
    polls = []
    page.on("request", lambda request: polls.append(request.url) if "/status/" in request.url else None)
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/formation/{run.pk}/")
    expect(page.locator("#run-progress")).to_be_visible()
    expect(page.locator("#cancel-run")).to_be_visible()
    page.wait_for_timeout(1600)
    assert polls, "the page polls the status view"
    shot(page, "run-waiting")
    long_ago = timezone.now() - datetime.timedelta(seconds=jobs.STALE_SECONDS + 5)
    FormationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, attempt=1, heartbeat=long_ago,
                                                  started=long_ago)
    expect(page.locator("#run-failed")).to_contain_text("signe de vie", timeout=10_000)
    shot(page, "run-failed")
    seen = len(polls)
    page.wait_for_timeout(2500)
    assert len(polls) == seen, "a failed run's page no longer polls"
    page.click("#retry-run")
    expect(page.locator("#checks")).to_be_visible(timeout=30_000)
    run.refresh_from_db()
    assert (run.status, run.attempt, run.seed) == (RunStatus.DONE, 2, 7)


def test_staff_cancel_a_waiting_plan_from_its_page(live_server, page):
    """The plan page of a waiting plan offers cancel; once cancelled it offers retry and stops polling."""
    from meute.events.models import PlanStatus, RotationPlan
    from tests.factories import speed_meeting

    event = speed_meeting(8, table_size=4, rounds=3)
    staff = NetworkRoleFactory(network=event.network, role=Role.STAFF).user
    plan = RotationPlan.objects.create(event=event, seed=3, seconds=0.5, requested_by=staff)
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/events/{event.pk}/plan/")
    expect(page.locator("#plan-pending")).to_be_visible()
    shot(page, "plan-waiting")
    page.click("#cancel-plan")
    expect(page.locator("#plan-failed")).to_contain_text("Annulé")
    expect(page.locator("#plan-pending")).to_have_count(0)
    shot(page, "plan-cancelled")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CANCELLED

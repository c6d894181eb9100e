"""Formation runs as background jobs: claimed once, failures visible, retry and cancel, size limits."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meute.core import jobs
from meute.core.audit import entries_for
from meute.members.models import MembershipStatus, Role
from meute.peergroups import formation
from meute.peergroups.exceptions import PeerGroupError
from meute.peergroups.formation import FormationParams
from meute.peergroups.models import FormationRun, RunStatus
from meute.peergroups.services import (
    check_cancel_run,
    check_request_run,
    check_retry_run,
    execute_run,
)
from tests.factories import CompanyFactory, LeaderFactory, MembershipFactory, NetworkFactory, NetworkRoleFactory

pytestmark = pytest.mark.django_db
CODES = ["62.01Z", "43.22A", "47.11B", "56.10A", "69.20Z", "86.21Z", "41.20A", "70.22Z", "49.41A", "96.02A",
         "10.71C", "45.20A"]


@pytest.fixture
def programme():
    network = NetworkFactory(family="peer", runs_peer_groups=True, slug="plato")
    for code in CODES:
        MembershipFactory(network=network, status=MembershipStatus.CANDIDATE,
                          leader=LeaderFactory(company=CompanyFactory(naf_code=code)))
    staff = NetworkRoleFactory(network=network, role=Role.STAFF).user
    return network, staff


def queued(programme, **params) -> FormationRun:
    """A requested run whose task has not run yet (on-commit callbacks not executed)."""
    network, staff = programme
    return check_request_run(network, FormationParams(size_min=5, size_max=6, seconds=0.5, **params),
                             acting_user=staff)


def stale(run: FormationRun, seconds: float = jobs.STALE_SECONDS + 5) -> None:
    """Make ``run`` look like its worker died ``seconds`` ago."""
    long_ago = timezone.now() - datetime.timedelta(seconds=seconds)
    FormationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, attempt=1, started=long_ago,
                                                  heartbeat=long_ago,
                                                  deadline=timezone.now() + datetime.timedelta(minutes=5))


def staff_client(programme) -> Client:
    client = Client()
    client.force_login(programme[1])
    return client


def test_a_run_is_computed_once_even_if_enqueued_twice(programme):
    """The second execution of one run finds it no longer pending and stores nothing."""
    run = queued(programme)
    assert execute_run(run.pk).status == RunStatus.DONE
    assert execute_run(run.pk) is None
    run.refresh_from_db()
    assert run.attempt == 1
    assert entries_for(run).filter(action="peergroups.run.finished").count() == 1


def test_a_run_whose_code_raises_is_failed_at_once_with_the_error(programme, monkeypatch):
    """An exception in the computation marks the run failed with a readable reason, then propagates."""
    run = queued(programme)

    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(formation, "run", broken)
    with pytest.raises(RuntimeError):
        execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "solver exploded" in run.message and "Retry" in run.message
    assert run.finished is not None


def test_the_status_view_fails_a_run_whose_worker_stopped_beating(programme):
    """Polling a run whose heartbeat is stale answers failed with the reason, and audits it."""
    run = queued(programme)
    stale(run)
    data = staff_client(programme).get(reverse("web:formation_run_status", args=[run.pk])).json()
    assert (data["status"], data["active"]) == ("failed", False)
    assert "no sign of life" in data["message"] or "signe de vie" in data["message"]
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert entries_for(run).filter(action="peergroups.formationrun.failed").count() == 1


def test_a_run_still_beating_is_left_running(programme):
    """A recent heartbeat means the worker is alive: nobody marks it failed."""
    run = queued(programme)
    stale(run, seconds=1)
    assert jobs.sweep() == 0
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING


def test_the_sweep_fails_a_run_past_its_deadline(programme):
    """A run that keeps beating but passed its deadline (hung) is failed by the worker's sweep."""
    run = queued(programme)
    stale(run, seconds=1)
    FormationRun.objects.filter(pk=run.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    assert jobs.sweep() == 1
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "time limit" in run.message


def test_retry_recomputes_a_failed_run_with_its_seed_and_parameters(programme, django_capture_on_commit_callbacks):
    """Retrying a run failed by a dead worker queues it again and completes it, same seed and params."""
    run = queued(programme)
    seed, params = run.seed, dict(run.params)
    stale(run)
    jobs.sweep()
    run.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        check_retry_run(run, acting_user=programme[1])
    run.refresh_from_db()
    assert (run.status, run.seed, run.params, run.attempt) == (RunStatus.DONE, seed, params, 2)
    assert sum(map(len, run.proposal["groups"])) == len(CODES)
    assert entries_for(run).get(action="peergroups.run.retried").data["seed"] == seed


def test_only_failed_or_cancelled_runs_can_be_retried(programme):
    """Retrying a waiting run is refused with a message and changes nothing."""
    run = queued(programme)
    with pytest.raises(PeerGroupError, match="Only a failed or cancelled run"):
        check_retry_run(run, acting_user=programme[1])
    run.refresh_from_db()
    assert run.status == RunStatus.PENDING


def test_a_cancelled_run_stores_nothing_when_its_worker_finishes(programme):
    """Cancelling a running run: the worker's heartbeat notices, its outcome is not stored."""
    run = queued(programme)
    attempt = jobs.claim(FormationRun, run.pk, budget_seconds=1)
    check_cancel_run(run, acting_user=programme[1])
    beat = jobs.Heartbeat(FormationRun, run.pk, attempt)
    assert beat.stop(lambda best: False)(0.0) is True
    assert jobs.finish(FormationRun, run.pk, attempt, status=RunStatus.DONE) is False
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED
    assert entries_for(run).get(action="peergroups.run.cancelled").actor == programme[1]


def test_a_second_request_while_one_runs_is_refused(programme):
    """A double click on "form the groups" queues one run and explains the second."""
    queued(programme)
    with pytest.raises(PeerGroupError, match="already being computed"):
        queued(programme)
    assert FormationRun.objects.filter(network=programme[0]).count() == 1


def test_a_run_too_large_is_refused_before_it_is_queued(programme, monkeypatch):
    """Candidates × groups above the limit: a field error, no run created."""
    monkeypatch.setattr(formation, "MAX_CANDIDATE_GROUPS", 20)
    monkeypatch.setattr("meute.peergroups.services.MAX_CANDIDATE_GROUPS", 20)
    with pytest.raises(PeerGroupError, match="too large") as error:
        queued(programme)
    assert error.value.field == "groups"
    assert not FormationRun.objects.exists()


def test_more_groups_than_candidates_allow_is_refused(programme):
    """Asking 3 groups of at least 5 from 12 candidates is a field error on groups."""
    with pytest.raises(PeerGroupError, match="need 15 candidates") as error:
        queued(programme, groups=3)
    assert error.value.field == "groups"


def test_a_waiting_run_page_polls_from_a_static_script_and_offers_cancel(programme):
    """The page of a waiting run points the static poller at the status view, with a cancel button."""
    run = queued(programme)
    html = staff_client(programme).get(reverse("web:formation_run", args=[run.pk])).content.decode()
    assert "data-job-status-url" in html and "web/jobs.js" in html and 'id="cancel-run"' in html
    assert "<script>" not in html


def test_a_failed_run_page_stops_polling_and_offers_retry(programme):
    """Once failed, the page shows the reason and a retry button, and nothing polls any more."""
    run = queued(programme)
    stale(run)
    html = staff_client(programme).get(reverse("web:formation_run", args=[run.pk])).content.decode()
    assert "data-job-status-url" not in html and 'id="retry-run"' in html
    assert "no sign of life" in html or "signe de vie" in html


def test_cancel_and_retry_from_the_page(programme, django_capture_on_commit_callbacks):
    """Staff cancel a waiting run from its page, then retry it to completion."""
    run = queued(programme)
    client = staff_client(programme)
    client.post(reverse("web:formation_run_cancel", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:formation_run_retry", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == RunStatus.DONE


def test_another_networks_staff_cannot_cancel(programme):
    """Staff of another network get a 404 on cancel, and the run keeps waiting."""
    run = queued(programme)
    outsider = NetworkRoleFactory(network=NetworkFactory(), role=Role.STAFF).user
    client = Client()
    client.force_login(outsider)
    assert client.post(reverse("web:formation_run_cancel", args=[run.pk])).status_code == 404
    run.refresh_from_db()
    assert run.status == RunStatus.PENDING

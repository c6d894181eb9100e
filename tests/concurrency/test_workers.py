"""Real worker processes on one PostgreSQL database: a killed worker, two workers, duplicate enqueues."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from meute.core.audit import entries_for
from meute.core.models import AuditEntry
from meute.events.models import PlanStatus, RotationPlan
from meute.events.rotations import check_request_plan
from meute.events.tasks import compute_plan
from meute.members.models import MembershipStatus, Role
from meute.peergroups.formation import FormationParams
from meute.peergroups.models import FormationRun, RunStatus
from meute.peergroups.services import check_cancel_run, check_request_run, check_retry_run
from tests.factories import (
    CompanyFactory,
    LeaderFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkRoleFactory,
    speed_meeting,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real workers share the PostgreSQL test database"),
]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SRC = str(Path(__file__).resolve().parents[2] / "src")
CODES = ["62.01Z", "43.22A", "47.11B", "56.10A", "69.20Z", "86.21Z", "41.20A", "70.22Z", "49.41A", "96.02A",
         "10.71C", "45.20A", "68.31Z", "71.12B", "81.21Z", "73.11Z", "25.62B", "55.10Z", "85.59A", "66.22Z"]


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(tmp_path: Path, name: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(PYTHONPATH=SRC, DATABASE_URL=_database_url(), MEUTE_DATA_DIR=str(tmp_path),
               DJANGO_SETTINGS_MODULE="meute.settings")
    log = (tmp_path / f"{name}.log").open("w")
    return subprocess.Popen([sys.executable, "-m", "meute.cli", "worker", "--no-reload", "--interval", "0.2",
                             "--no-startup-delay", "--worker-id", name], env=env, stdout=log, stderr=log)


def wait_for(predicate, seconds: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.25)
    raise AssertionError(f"{what}: not within {seconds} s")


def stop(*workers: subprocess.Popen) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)


def status_of(model, pk: int) -> str:
    return model.objects.values_list("status", flat=True).get(pk=pk)


def test_a_run_whose_worker_is_killed_fails_with_a_reason_and_a_retry_completes_it(tmp_path):
    """SIGKILL on the worker mid-run: failed with a reason well within 60 s; a retry completes it."""
    network = NetworkFactory(family="peer", runs_peer_groups=True)
    for code in CODES:
        MembershipFactory(network=network, status=MembershipStatus.CANDIDATE,
                          leader=LeaderFactory(company=CompanyFactory(naf_code=code)))
    staff = NetworkRoleFactory(network=network, role=Role.STAFF).user
    with override_settings(TASKS=DATABASE_TASKS):
        run = check_request_run(network, FormationParams(size_min=5, size_max=7, seconds=6), acting_user=staff)
    first = start_worker(tmp_path, "first")
    second = None
    try:
        wait_for(lambda: status_of(FormationRun, run.pk) == RunStatus.RUNNING, 60, "the first worker claims the run")
        time.sleep(1)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        killed = time.monotonic()
        second = start_worker(tmp_path, "second")
        wait_for(lambda: status_of(FormationRun, run.pk) == RunStatus.FAILED, 60, "the run is marked failed")
        detected = time.monotonic() - killed
        run.refresh_from_db()
        assert detected < 60
        assert "no sign of life" in run.message or "signe de vie" in run.message
        with override_settings(TASKS=DATABASE_TASKS):
            check_retry_run(run, acting_user=staff)
        wait_for(lambda: status_of(FormationRun, run.pk) == RunStatus.DONE, 60, "the retried run completes")
    finally:
        stop(first, *([second] if second else []))
    run.refresh_from_db()
    assert run.attempt == 2
    assert sorted(x for g in run.proposal["groups"] for x in g) == sorted(
        network.memberships.values_list("leader_id", flat=True))
    actions = list(entries_for(run).order_by("created", "id").values_list("action", flat=True))
    assert actions == ["peergroups.run.requested", "peergroups.formationrun.failed", "peergroups.run.retried",
                       "peergroups.run.finished"]
    print(f"killed → failed in {detected:.1f} s")


def test_two_workers_never_compute_one_plan_twice(tmp_path):
    """Six plans each enqueued twice, two workers: every plan computed exactly once, each task run once."""
    events = [speed_meeting(12, table_size=4, rounds=3) for _ in range(6)]
    plans = []
    with override_settings(TASKS=DATABASE_TASKS):
        for event in events:
            staff = NetworkRoleFactory(network=event.network, role=Role.STAFF).user
            plans.append(check_request_plan(event, acting_user=staff, seconds=0.5))
            compute_plan.enqueue(plans[-1].pk)  # a duplicate enqueue of the same plan
    assert DBTaskResult.objects.count() == 12
    workers = [start_worker(tmp_path, "alpha"), start_worker(tmp_path, "beta")]
    try:
        wait_for(lambda: not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists(), 120,
                 "both workers drain the queue")
    finally:
        stop(*workers)
    results = list(DBTaskResult.objects.all())
    assert all(r.status == "SUCCESSFUL" and len(r.worker_ids) == 1 for r in results)
    assert sorted(r.return_value for r in results if r.return_value is not None) == sorted(p.pk for p in plans)
    for plan in plans:
        plan.refresh_from_db()
        assert (plan.status, plan.attempt) == (PlanStatus.DONE, 1)
        assert AuditEntry.objects.filter(action="events.plan.finished", data__plan=plan.pk).count() == 1
    assert RotationPlan.objects.count() == 6


def test_cancelling_a_running_run_stops_its_worker_within_seconds(tmp_path):
    """Cancel mid-run (30 s budget): the worker's search ends within seconds and stores nothing."""
    network = NetworkFactory(family="peer", runs_peer_groups=True)
    for code in CODES:
        MembershipFactory(network=network, status=MembershipStatus.CANDIDATE,
                          leader=LeaderFactory(company=CompanyFactory(naf_code=code)))
    staff = NetworkRoleFactory(network=network, role=Role.STAFF).user
    with override_settings(TASKS=DATABASE_TASKS):
        run = check_request_run(network, FormationParams(size_min=5, size_max=7, seconds=30), acting_user=staff)
    worker = start_worker(tmp_path, "only")
    try:
        wait_for(lambda: status_of(FormationRun, run.pk) == RunStatus.RUNNING, 60, "the worker claims the run")
        time.sleep(1)
        check_cancel_run(FormationRun.objects.get(pk=run.pk), acting_user=staff)
        took = wait_for(lambda: DBTaskResult.objects.filter(status="SUCCESSFUL").exists(), 15,
                        "the worker gives the cancelled run up")
    finally:
        stop(worker)
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED and run.proposal == {}
    assert not entries_for(run).filter(action="peergroups.run.finished").exists()
    assert took < 10

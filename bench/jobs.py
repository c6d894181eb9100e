"""Background jobs end to end: a formation run for N candidates and a speed-meeting plan.

    python bench/jobs.py [--candidates 1000] [--formation-seconds 20] [--repeat 3]

A fresh SQLite database in a temporary folder; a real ``db_worker`` process runs the jobs
(django-tasks, database backend). Times are measured from the staff's request to the
result stored by the worker, i.e. including the queue round-trip; the table also gives
the hard-rule check of the published proposal and the repeated pairs of the plan.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def _wait(model, pk: int, done: set[str], timeout: float = 300.0):
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        obj = model.objects.get(pk=pk)
        if obj.status in done:
            return obj
        time.sleep(0.05)
    raise TimeoutError(f"{model.__name__} {pk} not finished after {timeout} s")


def _setup(candidates: int):
    from meute.accounts.models import User
    from meute.members.bulkseed import bulk_seed
    from meute.members.models import Leader, Membership, MembershipStatus, Network, NetworkRole, Role

    bulk_seed(candidates, seed=3)
    network = Network.objects.create(name="Plato bench", slug="plato-bench", family="peer", runs_peer_groups=True)
    Membership.objects.bulk_create([Membership(leader=leader, network=network, status=MembershipStatus.CANDIDATE)
                                    for leader in Leader.objects.all()])
    staff = User.objects.create_user("staff@bench.example", "x")
    NetworkRole.objects.create(user=staff, network=network, role=Role.STAFF)
    return network, staff


def _formation(network, staff, seconds: float) -> tuple[float, int, int]:
    from meute.peergroups.formation import FormationParams, review
    from meute.peergroups.models import FormationRun
    from meute.peergroups.services import check_request_run

    start = time.perf_counter()
    run = check_request_run(network, FormationParams(seconds=seconds), acting_user=staff)
    run = _wait(FormationRun, run.pk, {"done", "failed"})
    elapsed = time.perf_counter() - start
    if run.status != "done":
        return elapsed, 0, -1
    _reviews, problems = review(network, run.proposal, FormationParams.from_json(run.params), run.locks)
    return elapsed, len(run.proposal["groups"]), len(problems)


def _speed_meeting(network, staff, seconds: float) -> tuple[float, int]:
    import datetime

    from django.utils import timezone

    from meute.events.models import Event, RotationPlan
    from meute.events.rotations import check_request_plan
    from meute.events.services import do_register
    from meute.members.models import Leader

    event = Event.objects.create(network=network, kind="speed_meeting", title="Speed meeting",
                                 starts_at=timezone.now() + datetime.timedelta(days=3),
                                 ends_at=timezone.now() + datetime.timedelta(days=3, hours=3), table_size=6, rounds=8)
    for leader in Leader.objects.select_related("user")[:60]:
        do_register(event, leader.user, offers="", needs="", wishes=[])
    start = time.perf_counter()
    plan = check_request_plan(event, acting_user=staff, seconds=seconds)
    plan = _wait(RotationPlan, plan.pk, {"done", "failed"})
    return time.perf_counter() - start, plan.repeats if plan.status == "done" else -1


def run_child(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    network, staff = _setup(args.candidates)
    worker = subprocess.Popen([sys.executable, "-m", "meute.cli", "db_worker", "--interval", "0.05",
                               "--no-startup-delay"], env=os.environ.copy(), stdout=subprocess.DEVNULL)
    try:
        formation = [_formation(network, staff, args.formation_seconds) for _ in range(args.repeat)]
        plans = [_speed_meeting(network, staff, args.plan_seconds) for _ in range(args.repeat)]
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    print("\n| job | runs | median s | max s | result |\n|---|---|---|---|---|")
    times = [f[0] for f in formation]
    print(f"| formation, {args.candidates} candidates ({args.formation_seconds:g} s search) | {len(times)} | "
          f"{statistics.median(times):.1f} | {max(times):.1f} | groups {[f[1] for f in formation]}, "
          f"hard-rule violations {[f[2] for f in formation]} |")
    times = [p[0] for p in plans]
    print(f"| speed-meeting plan, 60 people, tables of 6, 8 rounds | {len(times)} | {statistics.median(times):.1f} | "
          f"{max(times):.1f} | repeated pairs {[p[1] for p in plans]} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--formation-seconds", type=float, default=20.0)
    parser.add_argument("--plan-seconds", type=float, default=8.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return 0
    with tempfile.TemporaryDirectory(prefix="meute-bench-") as tmp:
        env = {**os.environ, "MEUTE_DATA_DIR": tmp, "DJANGO_SETTINGS_MODULE": "meute.settings"}
        env.pop("DATABASE_URL", None)
        return subprocess.run([sys.executable, __file__, *sys.argv[1:], "--child"], env=env).returncode


if __name__ == "__main__":
    sys.exit(main())

"""Home page benchmark: the staff cockpit of a network of N members, with its groups' history.

    python bench/home.py --members 100000 [--renders 30] [--pg-name meute_bench] [--reuse]

A fresh PostgreSQL database (``fresh_postgres``) gets ``bulk_seed`` (the directory benchmark's
generator); then one network holds every member (statuses, joining months, fees), runs a
peer-group programme of groups of 12 with six held meetings each (attendance, answers),
past events with check-ins, coming events with waiting lists, candidates and invitations.
Its staff member's home (the cockpit: seven charts, members at risk, things to do) is fetched
through Django's test client; the table gives the median and p95 of ``--renders`` renders and
the number of SQL queries, beside two baselines measured in the same run: a member's home and
the directory's first page.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

from meute.benchmarks import fresh_postgres

GROUP_SIZE = 12
MEETINGS = 6


def _bulk(model, rows, batch=5000):
    for i in range(0, len(rows), batch):
        model.objects.bulk_create(rows[i:i + batch])


def _network_of_everyone():
    from django.db import connection
    from django.utils import timezone

    from meute.members.models import Leader, Membership, Network

    network = Network.objects.get(slug="bench-000")
    network.runs_peer_groups, network.fee_amount = True, 400
    network.save()
    have = set(Membership.objects.filter(network=network).values_list("leader_id", flat=True))
    today = timezone.localdate()
    missing = [Membership(leader_id=x, network=network) for x in Leader.objects.values_list("id", flat=True)
               if x not in have]
    _bulk(Membership, missing)
    with connection.cursor() as cursor:  # statuses, fees and joining dates spread by id, in one statement
        cursor.execute(
            "UPDATE members_membership SET "
            "status = CASE WHEN id %% 100 < 85 THEN 'active' WHEN id %% 100 < 88 THEN 'candidate' "
            "WHEN id %% 100 < 95 THEN 'alumni' ELSE 'left' END, "
            "fee_status = CASE WHEN (id / 100) %% 20 < 15 THEN 'paid' WHEN (id / 100) %% 20 < 19 THEN 'due' "
            "ELSE 'exempt' END, joined_on = %s - ((id * 7919) %% 1095) * INTERVAL '1 day' "
            "WHERE network_id = %s", [today, network.pk])
    return network


def _programme(network, rng: random.Random) -> None:
    from django.utils import timezone

    from meute.accounts.models import User
    from meute.peergroups.models import Attendance, GroupMember, Meeting, MeetingReply, PeerGroup

    active = list(network.memberships.filter(status="active").values_list("leader_id", flat=True)[:12_000])
    today, now = timezone.localdate(), timezone.now()
    count = len(active) // GROUP_SIZE
    facilitators = User.objects.bulk_create([User(email=f"animateur{i}@bench.example")
                                             for i in range(count // 3 + 1)])  # three groups each
    groups = [PeerGroup(network=network, name=f"Groupe {i + 1}", cycle_start=today - datetime.timedelta(days=200),
                        cycle_end=today + datetime.timedelta(days=500), facilitator=facilitators[i // 3])
              for i in range(count)]
    PeerGroup.objects.bulk_create(groups)
    members, meetings = [], []
    for index, group in enumerate(groups):
        for leader_id in active[index * GROUP_SIZE:(index + 1) * GROUP_SIZE]:
            members.append(GroupMember(group=group, leader_id=leader_id, fee_status=rng.choice(["paid", "due"])))
        for k in range(MEETINGS + 1):
            start = now - datetime.timedelta(days=30 * (MEETINGS - k) + 10)
            meetings.append(Meeting(group=group, starts_at=start, ends_at=start + datetime.timedelta(hours=3)))
    _bulk(GroupMember, members)
    _bulk(Meeting, meetings)
    by_group = {}
    for m in members:
        by_group.setdefault(m.group_id, []).append(m.leader_id)
    attendance, replies = [], []
    for meeting in meetings:
        if meeting.starts_at > now:
            continue
        for leader_id in by_group[meeting.group_id]:
            status = rng.choices(["present", "excused", "absent"], [80, 10, 10] if leader_id % 9 else [30, 5, 65])[0]
            attendance.append(Attendance(meeting=meeting, leader_id=leader_id, status=status))
            if status == "absent" and rng.random() < 0.3:
                replies.append(MeetingReply(meeting=meeting, leader_id=leader_id, answer="not_coming",
                                            answered_at=meeting.starts_at - datetime.timedelta(days=1)))
    _bulk(Attendance, attendance)
    _bulk(MeetingReply, replies)


def _count_attendance() -> None:
    """The meetings' attendance counters, as the services keep them (the rows were written in bulk)."""
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from meute.peergroups.models import Attendance, Meeting

    def counted(**extra):
        rows = (Attendance.objects.filter(meeting_id=OuterRef("pk"), **extra).order_by().values("meeting_id")
                .annotate(n=Count("pk")).values("n")[:1])
        return Coalesce(Subquery(rows), 0)

    Meeting.objects.update(attendance_recorded=counted(), attendance_present=counted(status="present"))


def _events(network, rng: random.Random) -> None:
    from django.utils import timezone

    from meute.events.models import Event, Registration

    now = timezone.now()
    users = list(network.memberships.filter(status="active").values_list("leader__user_id", flat=True)[:40_000])
    events = []
    for i in range(240):
        start = now + datetime.timedelta(days=rng.randint(-180, 90))
        events.append(Event(network=network, kind="workshop", title=f"Atelier {i + 1}", starts_at=start,
                            ends_at=start + datetime.timedelta(hours=3), capacity=rng.choice([30, 60, None])))
    Event.objects.bulk_create(events)
    registrations = []
    for event in events:
        for seq, user_id in enumerate(rng.sample(users, 50), start=1):
            full = event.capacity is not None and seq > event.capacity
            registrations.append(Registration(
                event=event, user_id=user_id, seq=seq, status="waiting" if full else "confirmed",
                checked_in_at=now if event.ends_at < now and not full and rng.random() < 0.8 else None))
    _bulk(Registration, registrations)


def _invitations(network, staff) -> None:
    import secrets

    from django.utils import timezone

    from meute.members.models import Invitation

    users = network.memberships.filter(status="active").values_list("leader__user_id", flat=True)[:2000]
    _bulk(Invitation, [Invitation(network=network, user_id=u, kind="account", invited_by=staff,
                                  key=secrets.token_urlsafe(24)) for u in users])
    Invitation.objects.filter(network=network).update(created=timezone.now() - datetime.timedelta(days=10))


def _time(client, url: str, renders: int) -> tuple[list[float], int]:
    from django.db import connection

    client.get(url)  # warm-up
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(renders):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    return times, len(queries)


def run_one(members: int, renders: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meute.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from meute.accounts.models import User
    from meute.members.bulkseed import bulk_seed
    from meute.members.models import Network, NetworkRole, Role

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    started = time.perf_counter()
    staff = User.objects.filter(email="staff@bench.example").first()
    if staff is None:  # a fresh database (``--reuse`` keeps the last one)
        bulk_seed(members, seed=1)
        staff = User.objects.create_user("staff@bench.example", "x")
        network = _network_of_everyone()
        NetworkRole.objects.create(user=staff, network=network, role=Role.STAFF)
        _programme(network, rng)
        _count_attendance()
        _events(network, rng)
        _invitations(network, staff)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    network = Network.objects.get(slug="bench-000")
    seeded = time.perf_counter() - started
    member = User.objects.filter(leader__peer_groups__group__network=network).order_by("id").first()
    counts = {"members": network.memberships.count(), "groups": network.peer_groups.count(),
              "events": network.events.count()}
    rows = []
    facilitator = User.objects.filter(email="animateur0@bench.example").first()
    from meute.engagement import stored

    started = time.perf_counter()
    stored.rebuild(network.pk)  # what the daily check does (a network never built is built by its first cockpit)
    rebuilt = time.perf_counter() - started
    for label, user, url in (("staff home (cockpit)", staff, "/"), ("facilitator home (3 groups)", facilitator, "/"),
                             ("member home", member, "/"),
                             ("directory, first page", member, "/directory/")):
        client = Client()
        client.force_login(user)
        times, queries = _time(client, url, renders)
        rows.append((label, times, queries))
    print(f"\nPostgreSQL: {members:,} members seeded and the network's history written in {seeded:.0f} s; "
          f"network: {counts['members']:,} memberships, {counts['groups']} groups, {counts['events']} events; "
          f"its stored lights rebuilt in {rebuilt:.1f} s; load average {os.getloadavg()[0]:.2f}")
    print(f"| {'page':<27} | {'n':>3} | {'median ms':>9} | {'p95 ms':>7} | {'queries':>7} |")
    print(f"|{'-' * 29}|{'-' * 5}|{'-' * 11}|{'-' * 9}|{'-' * 9}|")
    for label, times, queries in rows:
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"| {label:<27} | {len(times):>3} | {statistics.median(times):>9.1f} | {p95:>7.1f} | {queries:>7} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--pg-name", default="meute_bench", help="the database to drop and re-create")
    parser.add_argument("--reuse", action="store_true", help="time the pages on the database seeded last time")
    parser.add_argument("--run-one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        run_one(args.members, args.renders)
        return 0
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="meute-bench-") as tmp:
        env["MEUTE_DATA_DIR"] = tmp
        if args.reuse:
            admin = os.environ.get("MEUTE_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
            env["DATABASE_URL"] = admin.rsplit("/", 1)[0] + f"/{args.pg_name}"
        else:
            env["DATABASE_URL"] = fresh_postgres(args.pg_name)
        subprocess.run([sys.executable, __file__, "--members", str(args.members), "--renders", str(args.renders),
                        "--run-one"], env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Printable documents of a speed meeting: time to render each PDF for N participants.

    python bench/pdfs.py [--people 60] [--table-size 6] [--rounds 8] [--repeat 3]

A fresh SQLite database in a temporary folder, N members of one network registered for a
speed meeting, a plan computed in-process (the solver's 2 s budget is not part of the
timings). Each document is rendered ``--repeat`` times through the same function the views
call (template + WeasyPrint), and its page count read back from the PDF with ``pdfinfo``
(poppler-utils).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time


def _event(people: int, table_size: int, rounds: int):
    from django.utils import timezone

    from meute.events.models import Event, RotationPlan
    from meute.events.rotations import run_plan
    from meute.events.services import do_register
    from meute.members.bulkseed import bulk_seed
    from meute.members.models import Leader, Network

    bulk_seed(people, seed=3)
    network = Network.objects.create(name="Réseau bench", slug="reseau-bench", family="business")
    start = timezone.now() + datetime.timedelta(days=3)
    event = Event.objects.create(network=network, kind="speed_meeting", title="Speed meeting des dirigeants",
                                 starts_at=start, ends_at=start + datetime.timedelta(hours=3),
                                 table_size=table_size, rounds=rounds)
    for leader in Leader.objects.select_related("user")[:people]:
        do_register(event, leader.user, offers="", needs="", wishes=[])
    plan = run_plan(RotationPlan.objects.create(event=event, seed=1, seconds=2).pk)
    return event, plan


def _pages(pdf: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def run_child(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from meute.events import pdf

    call_command("migrate", verbosity=0)
    event, plan = _event(args.people, args.table_size, args.rounds)
    registrations = pdf.confirmed_registrations(event)
    documents = {
        "table plan (one page per round)": lambda: pdf.table_plan_pdf(event, plan),
        "per-table sheets": lambda: pdf.table_sheets_pdf(event, plan),
        "badges with QR codes": lambda: pdf.badges_pdf(event, registrations),
        "everyone's schedules": lambda: pdf.schedules_pdf(event, plan, registrations),
        "attendance sheet": lambda: pdf.event_attendance_pdf(event),
    }
    pdf.table_plan_pdf(event, plan)  # WeasyPrint's first call loads fonts: not part of any timing
    print(f"\n{args.people} people, tables of {args.table_size}, {args.rounds} rounds, {args.repeat} renders each\n")
    print("| document | pages | median s | max s |\n|---|---|---|---|")
    for label, render in documents.items():
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            content = render()
            times.append(time.perf_counter() - start)
        print(f"| {label} | {_pages(content)} | {statistics.median(times):.2f} | {max(times):.2f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--table-size", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=8)
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

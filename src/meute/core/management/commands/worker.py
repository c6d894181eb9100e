"""The background-job worker: django-tasks-db's ``db_worker``, plus the sweep of dead jobs.

At start and every few seconds, a thread marks failed every running job whose heartbeat
went stale or whose deadline passed (:func:`meute.core.jobs.sweep`), so a job whose worker
was killed is reported even when nobody looks at its page.
"""

from __future__ import annotations

import logging
import threading

from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from meute.core import jobs

logger = logging.getLogger("meute.worker")


def _sweep_forever(every: float, done: threading.Event) -> None:
    try:
        while not done.wait(every):
            try:
                if reaped := jobs.sweep():
                    logger.warning("%s stale job(s) marked failed", reaped)
            except Exception:
                logger.warning("sweep of stale jobs failed", exc_info=True)
                connection.close()
    finally:
        connection.close()


class Command(DbWorkerCommand):
    help = "Run the background-job worker (db_worker) and sweep jobs whose worker died."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--sweep-every", type=float, default=jobs.HEARTBEAT_SECONDS * 2,
                            help="seconds between two sweeps of stale jobs (default: %(default)s)")

    def handle(self, *args, sweep_every: float, **options):
        reaped = jobs.sweep()
        if reaped:
            self.stdout.write(f"{reaped} stale job(s) marked failed at start-up")
        connection.close()
        done = threading.Event()
        if not options.get("batch"):
            threading.Thread(target=_sweep_forever, args=(sweep_every, done), name="sweep", daemon=True).start()
        try:
            return super().handle(*args, **options)
        finally:
            done.set()

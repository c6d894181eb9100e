"""``meute serve``: gunicorn and the background-job worker, supervised.

- At start-up it waits for the database (``--db-wait`` seconds, with a message every few
  seconds) and stops with a clear error if it never answers.
- The worker (``meute worker``) is restarted whenever it exits, after a delay that doubles
  while it keeps dying quickly (1 s up to 30 s) and resets once it has run a minute.
- When gunicorn exits, or on SIGTERM / Ctrl-C, both are stopped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.utils import OperationalError

from meute.web.accesslog import GUNICORN_ARGS

RESTART_DELAY = 1.0
RESTART_DELAY_MAX = 30.0
HEALTHY_AFTER = 60.0  # a worker that ran this long restarts at once if it dies


class Command(BaseCommand):
    help = "Serve meute (gunicorn) and run the background-job worker beside it, restarting it if it exits."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-worker", action="store_true", help="do not start the job worker")
        parser.add_argument("--db-wait", type=float, default=30.0,
                            help="seconds to wait for the database at start-up (default: %(default)s)")

    def handle(self, *args, bind: str, workers: int, no_worker: bool, db_wait: float, **options):
        self.wait_for_database(db_wait)
        call_command("collectstatic", interactive=False, verbosity=0)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "meute.settings")}
        signal.signal(signal.SIGTERM, _interrupt)
        web = subprocess.Popen([sys.executable, "-m", "gunicorn", "meute.wsgi", "--bind", bind,
                                "--workers", str(workers), *GUNICORN_ARGS], env=env)
        self.stdout.write(f"meute is served on http://{bind}/ (Ctrl-C to stop)")
        self.worker: subprocess.Popen | None = None
        try:
            if no_worker:
                web.wait()
            else:
                self.supervise(web, env)
        except KeyboardInterrupt:
            pass
        finally:
            _stop(self.worker)
            _stop(web)
        if web.returncode not in (0, None, -signal.SIGTERM):
            raise CommandError(f"gunicorn exited with code {web.returncode}.")

    def wait_for_database(self, seconds: float) -> None:
        """Return once the database answers; raise a clear error after ``seconds``."""
        deadline = time.monotonic() + seconds
        announced = 0.0
        while True:
            try:
                connection.ensure_connection()
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                connection.close()
                if announced:
                    self.stdout.write("The database answers.")
                return
            except OperationalError as exc:
                connection.close()
                now = time.monotonic()
                if now >= deadline:
                    raise CommandError(
                        f"The database did not answer within {seconds:g} s ({str(exc).strip()}). "
                        "Check DATABASE_URL and that the database server is running.") from None
                if now - announced >= 5:
                    self.stderr.write(f"Waiting for the database (at most {max(0.0, deadline - now):.0f} s more): "
                                      f"{str(exc).strip()}")
                    announced = now
                time.sleep(min(1.0, max(0.0, deadline - now)))

    def supervise(self, web: subprocess.Popen, env: dict) -> None:
        """Keep a worker running while gunicorn runs."""
        delay = RESTART_DELAY
        self.start_worker(env)
        started, restart_at = time.monotonic(), 0.0
        while web.poll() is None:
            time.sleep(0.5)
            if self.worker is not None and self.worker.poll() is not None:
                delay = RESTART_DELAY if time.monotonic() - started >= HEALTHY_AFTER else delay
                self.stderr.write(f"The job worker (pid {self.worker.pid}) exited with code "
                                  f"{self.worker.returncode}: restarting it in {delay:g} s.")
                self.stderr.flush()
                self.worker, restart_at = None, time.monotonic() + delay
                delay = min(delay * 2, RESTART_DELAY_MAX)
            if self.worker is None and time.monotonic() >= restart_at:
                self.start_worker(env)
                started = time.monotonic()

    def start_worker(self, env: dict) -> None:
        self.worker = subprocess.Popen([sys.executable, "-m", "meute.cli", "worker", "--no-reload"], env=env)
        self.stdout.write(f"job worker started (pid {self.worker.pid})")
        self.stdout.flush()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from meute.web.accesslog import GUNICORN_ARGS


class Command(BaseCommand):
    help = "Serve meute (gunicorn) and run the background-job worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-worker", action="store_true", help="do not start the job worker")

    def handle(self, *args, bind: str, workers: int, no_worker: bool, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "meute.settings")}
        worker = None
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "meute.cli", "db_worker"], env=env)
        self.stdout.write(f"meute is served on http://{bind}/ (Ctrl-C to stop)")
        try:
            subprocess.call(
                [sys.executable, "-m", "gunicorn", "meute.wsgi", "--bind", bind, "--workers", str(workers),
                 *GUNICORN_ARGS],
                env=env,
            )
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)

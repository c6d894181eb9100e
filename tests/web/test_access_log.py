import contextlib
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.urls import reverse

import meute
from meute.events.checkin import checkin_code
from meute.web.accesslog import GUNICORN_ARGS, SecretMaskingFilter, mask_secrets

TOKEN = "s3cr3tFeedTokenAbCdEf0123456789xy"
SRC = str(Path(meute.__file__).resolve().parents[1])


def test_feed_and_checkin_urls_are_masked():
    """The real feed and check-in URLs lose their secret part, and only it."""
    code = checkin_code(4242)
    feed = reverse("web:calendar_feed", args=[TOKEN])
    checkin = reverse("web:event_checkin", args=[7, code])
    assert mask_secrets(f"GET {feed} HTTP/1.1") == "GET /calendar/***.ics HTTP/1.1"
    assert mask_secrets(checkin) == "/events/7/checkin/***/"
    assert mask_secrets("/events/7/") == "/events/7/"


def test_django_log_records_are_masked():
    """Django's own log lines (``Not Found: …``) go out with the secret masked."""
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s",
                               (f"/calendar/{TOKEN}.ics",), None)
    assert SecretMaskingFilter().filter(record)
    assert record.getMessage() == "Not Found: /calendar/***.ics"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, **headers: str) -> None:
    with contextlib.suppress(urllib.error.HTTPError):  # the status does not matter, only what the logs say
        urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10)


def test_gunicorn_access_log_masks_secrets(tmp_path):
    """gunicorn started as ``meute serve`` starts it logs feed and check-in requests without their secrets."""
    port, code = _free_port(), checkin_code(4242)
    env = {**os.environ, "PYTHONPATH": SRC, "DJANGO_SETTINGS_MODULE": "meute.settings",
           "MEUTE_DATA_DIR": str(tmp_path), "MEUTE_DEBUG": "0"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "meute.wsgi", "--bind", f"127.0.0.1:{port}",
                               "--workers", "1", *GUNICORN_ARGS], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        base = f"http://127.0.0.1:{port}"
        _get(f"{base}/calendar/{TOKEN}.ics")
        _get(f"{base}/events/7/checkin/{code}/", Referer=f"{base}/calendar/{TOKEN}.ics")
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    assert "/calendar/***.ics" in out and "/events/7/checkin/***/" in out
    assert TOKEN not in out + err and code not in out + err

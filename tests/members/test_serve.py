"""``meute serve`` supervises its worker and waits for the database (real processes)."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.nodb
SRC = str(Path(__file__).resolve().parents[2] / "src")


def _env(data_dir: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    return {**env, "PYTHONPATH": SRC, "MEUTE_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "meute.settings",
            **extra}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_serve_stops_with_a_clear_message_when_the_database_never_answers(tmp_path):
    """An unreachable database: serve waits the bounded time, then exits non-zero saying why."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "meute.cli", "serve", "--db-wait", "2"], capture_output=True,
                          text=True, timeout=60,
                          env=_env(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:1/nothing"))
    assert done.returncode != 0
    assert "Waiting for the database" in done.stderr
    assert "The database did not answer within 2 s" in done.stderr
    assert time.monotonic() - started < 30


def test_serve_restarts_its_worker_after_a_sigkill(tmp_path):
    """Killing the job worker with SIGKILL: serve starts a new one, and stops it on SIGTERM."""
    subprocess.run([sys.executable, "-m", "meute.cli", "migrate", "-v0"], check=True, env=_env(tmp_path),
                   timeout=300)
    out = tmp_path / "out.txt"
    err = tmp_path / "err.txt"
    with out.open("w") as fout, err.open("w") as ferr:
        serve = subprocess.Popen([sys.executable, "-m", "meute.cli", "serve", "--bind",
                                  f"127.0.0.1:{_free_port()}", "--workers", "1"], stdout=fout, stderr=ferr,
                                 env=_env(tmp_path))
    try:
        def pids() -> list[int]:
            return [int(p) for p in re.findall(r"job worker started \(pid (\d+)\)", out.read_text())]

        assert _wait_for(lambda: len(pids()) == 1, 60), out.read_text() + err.read_text()
        first = pids()[0]
        assert _wait_for(lambda: _alive(first), 5)
        time.sleep(2)
        os.kill(first, signal.SIGKILL)
        assert _wait_for(lambda: len(pids()) == 2, 30), out.read_text() + err.read_text()
        second = pids()[1]
        assert second != first
        assert f"The job worker (pid {first}) exited with code -9" in err.read_text()
        time.sleep(1)
        assert _alive(second)
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)
    assert _wait_for(lambda: not _alive(second), 10)

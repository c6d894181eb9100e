"""Pages under load: meute's common pages against a bare Django page, same gunicorn set-up.

    python bench/web.py [--members 100000] [--rounds 3] [--seconds 5] [--database meute_bench_web]

On a fresh PostgreSQL database (``--database`` on ``MEUTE_BENCH_PG``'s server, dropped and
re-created; ``--reuse`` keeps a database seeded by an earlier run and only migrates it) the
script loads the demo network and ``bulk_seed(--members)`` more leaders, vacuums and analyses
the database (as autovacuum does on a live server), logs the demo member in (a session row,
sent as a cookie header), then serves

* meute with gunicorn as ``meute serve`` does (``meute.wsgi``, 2 workers, the masking access
  log; DEBUG off, static files collected), and
* ``bench/bare_page.py`` (one view, no middleware, no database) with the same gunicorn settings,
* and meute's floor, ``bench/layout_page.py``: meute's settings and URLs with one more page, the
  logged-in layout around an empty main block (the middleware, session, account, bell and menu
  every logged-in page pays), the same gunicorn settings again,

all on 127.0.0.1 only. The home, the directory and the events list are measured twice: asked again
by the same browser while nothing is written (answered from memory, ``web/pagecache.py``), and
rendered every time (each request another address, ``render=<n>`` added to the query). The cookie
sent is a browser's: the session and the CSRF cookie the first page gave. ``wrk -t2 -c16`` then
runs ``--seconds`` on the bare page and on each page, alternately, ``--rounds`` times; the table
gives per page the medians over the rounds of
requests/s, p50, p95 and p99 latency, the ratio of its requests/s to the bare page's
measured just before it, and the CPU time one request costs the Django process when nothing
else runs against it (Django's test client, median of 15; the database's work not included),
a figure that a busy machine disturbs much less than the rates. Every run is bounded in time
(wrk's duration, a timeout per step).
wrk is the Debian package ``wrk`` (``apt-get install -y wrk``).
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %.6f %d %d %d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout + e.status, latency.mean,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""
# Each request of this script asks for another address (``render=<thread>-<n>`` added to the query),
# so the page is rendered every time instead of being answered from memory (web/pagecache.py).
FRESH_SCRIPT = """
threads_started = 0
setup = function(thread)
  threads_started = threads_started + 1
  thread:set("id", threads_started)
end
n = 0
request = function()
  n = n + 1
  return wrk.format(nil, wrk.path .. "render=" .. id .. "-" .. n)
end
"""
FRESH = "render="  # a page's address ending so: rendered every time
LAYOUT_PAGE = "layout alone (meute's floor)"
STEP_TIMEOUT = 120  # seconds: any single step (a wrk run, a server start) longer than this fails


def prepare(members: int, reuse: bool) -> None:
    """Migrate, load the demo and the extra members, log the demo member in; print the URLs as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meute.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from meute.members.bulkseed import bulk_seed
    from meute.members.models import Leader, Network
    from meute.peergroups.models import PeerGroup

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    if not (reuse and Network.objects.filter(slug="offensiv-pme").exists()):
        call_command("demo", verbosity=0, stdout=io.StringIO())
        bulk_seed(members, seed=1)
    seeded = time.perf_counter() - started
    _vacuum()
    call_command("collectstatic", interactive=False, verbosity=0)
    member = Leader.objects.select_related("user").get(user__email="membre@demo.meute.example")
    group = PeerGroup.objects.filter(members__leader=member).order_by("id").first()
    other = Leader.objects.filter(in_directory=True, company__department_id="33").order_by("sort_name", "id")
    profile = other[other.count() // 2]
    client = Client()
    client.force_login(member.user)
    pages = [
        ["home (asked again, nothing written)", "/"],
        ["home (rendered every time)", f"/?{FRESH}"],
        ["directory (NAF section + département)", "/directory/?naf=F&department=33"],
        ["directory (rendered every time)", f"/directory/?naf=F&department=33&{FRESH}"],
        ["profile", f"/members/{profile.pk}/"],
        ["peer group", f"/groups/{group.pk}/"],
        ["events", "/events/"],
        ["events (rendered every time)", f"/events/?{FRESH}"],
        [LAYOUT_PAGE, "/bench/layout/"],
    ]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client.get("/")  # as a browser does: the first page gives the CSRF cookie, sent from then on
    print(json.dumps({
        "cpu": {name: _cpu_ms(client, path) for name, path in pages},
        "cookie": "; ".join(f"{name}={client.cookies[name].value}"
                            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)),
        "seeded_seconds": round(seeded),
        "leaders": Leader.objects.count(),
        "pages": pages,
    }))


def _vacuum() -> None:
    """``VACUUM ANALYZE``: a live database is vacuumed by autovacuum, which a benchmark server may
    have turned off; without it, a count reads the table's rows instead of the index alone."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _cpu_ms(client, path: str, repeat: int = 15) -> float:
    """Median CPU time of the Django process for one request (the database's work not included)."""
    if path.startswith("/bench/"):  # the floor's page: served with bench/layout_page.py's URLs
        from django.test.utils import override_settings

        sys.path.insert(0, str(ROOT))
        with override_settings(ROOT_URLCONF="layout_urls"):
            return _cpu_ms_of(client, path, repeat)
    return _cpu_ms_of(client, path, repeat)


def _cpu_ms_of(client, path: str, repeat: int) -> float:
    client.get(_address(path, 0))
    times = []
    for n in range(1, repeat + 1):
        started = time.process_time()
        client.get(_address(path, n))
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def _address(path: str, n: int) -> str:
    """The page's address; each ``n`` another one for the page rendered every time."""
    return f"{path}cpu-{n}" if path.endswith(FRESH) else path


def _wait_for(port: int, path: str, cookie: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            _get(port, path, cookie)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"Nothing answers on 127.0.0.1:{port} after {STEP_TIMEOUT} s.")


def _get(port: int, path: str, cookie: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _gunicorn(app: str, port: int, env: dict, extra: list[str]) -> subprocess.Popen:
    from meute.web.accesslog import GUNICORN_ARGS

    command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", "2",
               *GUNICORN_ARGS, *extra]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wrk(port: int, path: str, cookie: str, seconds: int, script: str) -> dict[str, float]:
    """One wrk run; requests/s and latency percentiles in ms."""
    if path.endswith(FRESH):
        path, script = path.removesuffix(FRESH), script.replace(".lua", "-fresh.lua")
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "10s", "-s", script,
               "-H", f"Cookie: {cookie}", f"http://127.0.0.1:{port}{path}"]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + STEP_TIMEOUT,
                            check=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    requests, duration, errors, _mean, p50, p95, p99 = (float(v) for v in line.split()[1:])
    return {"rps": requests / (duration / 1e6), "errors": errors,
            "p50": p50 / 1000, "p95": p95 / 1000, "p99": p99 / 1000}


def measure(setup: dict, args: argparse.Namespace, script: str) -> list[dict]:
    cookie = setup["cookie"]
    rows = []
    for name, path in setup["pages"]:
        runs, bare_runs = [], []
        port = args.layout_port if name == LAYOUT_PAGE else args.port
        for _ in range(args.rounds):
            bare_runs.append(wrk(args.bare_port, "/", cookie, args.seconds, script))
            runs.append(wrk(port, path, cookie, args.seconds, script))
        ratios = [r["rps"] / b["rps"] for r, b in zip(runs, bare_runs, strict=True)]
        rows.append({"page": name, "path": path, "ratio": statistics.median(ratios),
                     "errors": sum(r["errors"] for r in runs),
                     **{key: statistics.median(r[key] for r in runs) for key in ("rps", "p50", "p95", "p99")},
                     "bare_rps": statistics.median(b["rps"] for b in bare_runs),
                     "bare_p50": statistics.median(b["p50"] for b in bare_runs),
                     "cpu": setup["cpu"][name]})
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"| {'page':<38} | {'req/s':>7} | {'p50 ms':>7} | {'p95 ms':>7} | {'p99 ms':>7} | "
          f"{'bare req/s':>10} | {'ratio':>6} | {'CPU ms':>6} |")
    print(f"|{'-' * 40}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 12}|{'-' * 8}|{'-' * 8}|")
    for row in rows:
        print(f"| {row['page']:<38} | {row['rps']:>7.1f} | {row['p50']:>7.1f} | {row['p95']:>7.1f} | "
              f"{row['p99']:>7.1f} | {row['bare_rps']:>10.0f} | {row['ratio']:>6.3f} | {row['cpu']:>6.1f} |")
    if any(row["errors"] for row in rows):
        print("Errors (non-2xx/3xx answers, timeouts): " + ", ".join(
            f"{row['page']}: {row['errors']:.0f}" for row in rows if row["errors"]))


def fresh_database(name: str, reuse: bool) -> str:
    from meute.benchmarks import fresh_postgres, postgres_url

    return postgres_url(name) if reuse else fresh_postgres(name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, choices=range(1, 11), metavar="1..10")
    parser.add_argument("--seconds", type=int, default=5, choices=range(1, 61), metavar="1..60")
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument("--bare-port", type=int, default=8113)
    parser.add_argument("--layout-port", type=int, default=8123)
    parser.add_argument("--database", default="meute_bench_web")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database (only migrate it)")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.members, args.reuse)
        return 0
    if shutil.which("wrk") is None:
        print("wrk is missing: install the Debian package (apt-get install -y wrk) and run again.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="meute-bench-web-") as tmp:
        env = {key: value for key, value in os.environ.items() if key != "MEUTE_DEBUG"}
        env.update(MEUTE_DATA_DIR=tmp, DATABASE_URL=fresh_database(args.database, args.reuse),
                   DJANGO_SETTINGS_MODULE="meute.settings", MEUTE_LOG_LEVEL="ERROR")
        command = [sys.executable, __file__, "--prepare", "--members", str(args.members)]
        prepared = subprocess.run(command + (["--reuse"] if args.reuse else []), env=env, check=True,
                                  capture_output=True, text=True, timeout=3600)
        setup = json.loads(prepared.stdout.strip().splitlines()[-1])
        script = str(Path(tmp) / "report.lua")
        Path(script).write_text(WRK_SCRIPT)
        Path(script.replace(".lua", "-fresh.lua")).write_text(WRK_SCRIPT + FRESH_SCRIPT)
        floor_env = {**env, "DJANGO_SETTINGS_MODULE": "layout_page"}
        servers = [_gunicorn("meute.wsgi", args.port, env, []),
                   _gunicorn("bare_page:application", args.bare_port, env, ["--pythonpath", str(ROOT)]),
                   _gunicorn("meute.wsgi", args.layout_port, floor_env, ["--pythonpath", str(ROOT)])]
        try:
            deadline = time.monotonic() + STEP_TIMEOUT
            _wait_for(args.bare_port, "/", setup["cookie"], deadline)
            _wait_for(args.port, "/", setup["cookie"], deadline)
            _wait_for(args.layout_port, "/bench/layout/", setup["cookie"], deadline)
            for name, path in setup["pages"]:
                status = _get(args.layout_port if name == LAYOUT_PAGE else args.port, _address(path, 0),
                              setup["cookie"])
                if status != 200:
                    raise RuntimeError(f"{name} ({path}) answers {status}, not 200: the load test would be wrong.")
            rows = measure(setup, args, script)
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
    load = os.getloadavg()
    print(f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {setup['leaders']:,} leaders "
          f"(seeded in {setup['seeded_seconds']} s); wrk -t2 -c16, {args.rounds} × {args.seconds} s per page, "
          "alternating with the bare page; medians over the rounds")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())

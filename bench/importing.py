"""Member import benchmark: rows per second validated and written, on SQLite and PostgreSQL.

    python bench/importing.py [--rows 50000] [--existing 5000] [--databases sqlite,postgresql]

Each database runs in its own process on a fresh database (SQLite in a temporary folder;
PostgreSQL database ``meute_bench_import`` on the local server, dropped and re-created).
``bulk_seed`` first puts ``--existing`` members into other networks; the file (CSV, French
headers in a shuffled order, communes by name and postal code, NAF codes and phone numbers
in mixed spellings) holds ``--rows`` rows, 2 % of them people of those other networks (who
become invitations). Timed, each as staff of the importing network, through the service the
page's background job calls (reading the file, parsing, planning, one transaction):

* preview (dry run) of the file;
* first import: every new person created (user, leader, company, membership, invitation);
* second import of the same file: every row an update (or unchanged invitation).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import random
import subprocess
import sys
import tempfile
import time

DATABASE = "meute_bench_import"
HEADER = ["Nom", "Prénom", "Courriel", "Raison sociale", "N° SIRET", "Code APE", "Ville", "CP", "Portable",
          "Fonction", "Effectif", "Site web"]


def _naf_spelling(rng: random.Random, code: str) -> str:
    digits, letter = code[:2] + code[3:5], code[5]
    return rng.choice([f"{digits}{letter}", code, f"{code[:5]} {letter}", f"{digits} {letter.lower()}",
                       f"{digits[:2]} {digits[2:]}{letter}"])


def _phone(rng: random.Random) -> str:
    number = f"{rng.choice(['0549', '0546', '0545', '0556', '0555', '0612', '0623', '0645', '0678', '0770', '0781'])}"
    number += f"{rng.randrange(10**10):010d}"[: 10 - len(number)]
    pairs = " ".join(number[i:i + 2] for i in range(0, 10, 2))
    return rng.choice([pairs, number, pairs.replace(" ", "."), "+33 " + pairs[1:], "+33" + number[1:]]) \
        if rng.random() < 0.9 else ""


def _file(rows: int, existing: list[str], seed: int = 11) -> bytes:
    from meute.members.seeding import people
    from meute.territory.reference import communes_named

    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    others = iter(existing)
    for person in people(seed, rows, ["86", "79", "17", "16", "33", "87"], email_domain="import.example"):
        email = person.email
        if existing and rng.random() < 0.02:
            email = next(others, email)
        commune = person.commune
        city = commune.name if len(communes_named(commune.name)) == 1 or rng.random() < 0.5 else commune.insee
        writer.writerow([
            person.last_name, person.first_name, email, person.company_name, person.siret,
            _naf_spelling(rng, person.naf_code), city, commune.postal_codes[0] if commune.postal_codes else "",
            _phone(rng), person.function, rng.choice(["3", "12", "10-19", "45", ""]),
            "www." + person.email.split("@")[0].replace(".", "-") + ".example",
        ])
    return buffer.getvalue().encode("utf-8")


def run_child(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from meute.accounts.models import User
    from meute.members.bulkseed import bulk_seed
    from meute.members.importing import import_members
    from meute.members.models import Network, NetworkRole, Role

    call_command("migrate", verbosity=0)
    if args.existing:
        bulk_seed(args.existing, seed=5, region="75")
    existing = list(User.objects.values_list("email", flat=True)[: max(1, args.rows // 50)])
    network = Network.objects.create(name="Réseau importé", slug="reseau-importe", family="business")
    staff = User.objects.create_user("staff@bench.example", "x")
    NetworkRole.objects.create(user=staff, network=network, role=Role.STAFF)
    content = _file(args.rows, existing)
    results = []
    for phase, dry_run in (("preview (dry run)", True), ("first import", False), ("re-import (updates)", False)):
        start, cpu = time.perf_counter(), time.process_time()
        report = import_members(io.BytesIO(content), "bench.csv", network=network, acting_user=staff,
                                dry_run=dry_run)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        results.append((phase, report, elapsed, cpu))
    engine = connection.vendor
    load = os.getloadavg()[0]
    for phase, report, elapsed, cpu in results:
        print(f"| {engine} | {phase} | {report.rows} | {report.created} | {report.updated} | {report.invited} | "
              f"{report.unchanged} | {len(report.errors)} | {elapsed:.1f} | {cpu:.1f} | "
              f"**{report.rows / elapsed:,.0f}** | {load:.1f} |")
    if results[0][1].errors:
        print("first errors:", results[0][1].errors[:5], file=sys.stderr)


def _fresh_postgres() -> str:
    import psycopg

    admin = os.environ.get("MEUTE_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    return admin.rsplit("/", 1)[0] + "/" + DATABASE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--existing", type=int, default=5_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return 0
    print(f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print("\n| database | phase | rows | created | updated | invited | unchanged | rejected | wall s | CPU s "
          "(this process) | rows/s (wall) | load avg |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    sys.stdout.flush()
    code = 0
    for database in args.databases.split(","):
        with tempfile.TemporaryDirectory(prefix="meute-bench-") as tmp:
            env = {**os.environ, "MEUTE_DATA_DIR": tmp, "DJANGO_SETTINGS_MODULE": "meute.settings"}
            env.pop("DATABASE_URL", None)
            if database == "postgresql":
                env["DATABASE_URL"] = _fresh_postgres()
            code |= subprocess.run([sys.executable, __file__, *sys.argv[1:], "--child"], env=env).returncode
    return code


if __name__ == "__main__":
    sys.exit(main())

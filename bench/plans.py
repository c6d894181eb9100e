"""Query plans of the directory and the member list, on a seeded PostgreSQL database.

    DATABASE_URL=postgres://…/db python bench/plans.py [--copies 9]

Runs ``EXPLAIN (ANALYZE, BUFFERS)`` on the queries the pages send (the capped count, then the
page's rows) for six directory searches and a network's member list, and prints the
execution times and the first plan nodes. The database must hold the demo and
``bulk_seed(100000)`` (``bench/web.py`` leaves one behind: ``--database NAME``).

``--copies N`` first adds N copies of the generated leaders (accounts, companies without SIRET,
leaders, memberships, new ids) in SQL: ``bulk_seed`` cannot draw a million distinct SIRETs,
and 100,000 leaders plus 9 copies give the 1,000,000 of the plans in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

COPY_SQL = [
    """INSERT INTO accounts_user (id, password, last_login, is_superuser, email, first_name, last_name, is_staff,
       is_active, date_joined, language, calendar_token, access_version)
       SELECT u.id + g * %(mu)s, u.password, NULL, false, 'c' || g || '.' || u.email, u.first_name, u.last_name,
       false, true, u.date_joined, u.language, NULL, 0
       FROM accounts_user u JOIN members_leader l ON l.user_id = u.id, generate_series(1, %(n)s) g
       WHERE u.email LIKE '%%@seed1-%%'""",
    """INSERT INTO members_company (id, name, siren, siret, naf_code, naf_section, headcount, founded_year, website,
       offers, needs, created, updated, commune_id, department_id)
       SELECT c.id + g * %(mc)s, c.name, c.siren, NULL, c.naf_code, c.naf_section, c.headcount, c.founded_year,
       c.website, c.offers, c.needs, c.created, c.updated, c.commune_id, c.department_id
       FROM members_company c JOIN members_leader l ON l.company_id = c.id JOIN accounts_user u ON u.id = l.user_id,
       generate_series(1, %(n)s) g WHERE u.email LIKE '%%@seed1-%%'""",
    """INSERT INTO members_leader (id, function, phone, tags, expertise, listed, email_visibility, phone_visibility,
       search_text, sort_name, created, updated, company_id, user_id, in_directory, expertise_search, anonymised_at,
       directory_consent_at, department_id, naf_section)
       SELECT l.id + g * %(ml)s, l.function, l.phone, l.tags, l.expertise, l.listed, l.email_visibility,
       l.phone_visibility, l.search_text, l.sort_name, l.created, l.updated, l.company_id + g * %(mc)s,
       l.user_id + g * %(mu)s, l.in_directory, l.expertise_search, NULL, l.directory_consent_at, l.department_id,
       l.naf_section
       FROM members_leader l JOIN accounts_user u ON u.id = l.user_id, generate_series(1, %(n)s) g
       WHERE u.email LIKE '%%@seed1-%%'""",
    """INSERT INTO members_membership (id, status, joined_on, left_on, fee_status, fee_paid_on, leader_id, network_id)
       SELECT m.id + g * %(mm)s, m.status, m.joined_on, m.left_on, m.fee_status, m.fee_paid_on,
       m.leader_id + g * %(ml)s, m.network_id
       FROM members_membership m JOIN members_leader l ON l.id = m.leader_id JOIN accounts_user u ON u.id = l.user_id,
       generate_series(1, %(n)s) g WHERE u.email LIKE '%%@seed1-%%'""",
]
TABLES = {"mu": "accounts_user", "mc": "members_company", "ml": "members_leader", "mm": "members_membership"}


def copy_leaders(copies: int) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        params: dict[str, int] = {"n": copies}
        for key, table in TABLES.items():
            cursor.execute(f"SELECT max(id) FROM {table}")
            params[key] = cursor.fetchone()[0]
        for sql in COPY_SQL:
            cursor.execute(sql, params)
        for table in TABLES.values():
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _explain(sql: str) -> tuple[float, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        lines = [row[0] for row in cursor.fetchall()]
    ms = float(re.search(r"Execution Time: ([\d.]+)", lines[-1]).group(1))
    nodes = [re.sub(r"\s*\(cost.*", "", line).replace("->", "").strip()
             for line in lines if any(word in line for word in ("Scan", "Join", "Nested"))]
    return ms, " / ".join(nodes[:3])


def _sent(queryset_call) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        queryset_call()
    return queries.captured_queries[-1]["sql"]


def plans() -> None:
    from meute.accounts.models import User
    from meute.members.models import Leader, Network
    from meute.members.queries import DirectoryFilters, MemberFilters, list_directory, list_network_members_filtered

    member = User.objects.get(email="membre@demo.meute.example")
    admin = User.objects.get(email="admin@demo.meute.example")
    network = Network.objects.get(slug="bench-003")
    cases = [
        ("directory, no filter", list_directory(member, DirectoryFilters()), 25),
        ("directory, NAF section F + 33", list_directory(member, DirectoryFilters(naf="F", department="33")), 25),
        ("directory, a network", list_directory(member, DirectoryFilters(network=network.pk)), 25),
        ("directory, a name", list_directory(member, DirectoryFilters(q="martin")), 25),
        ("directory, keyword + 86", list_directory(member, DirectoryFilters(q="conseil", department="86")), 25),
        ("directory, expertise + network",
         list_directory(member, DirectoryFilters(expertise="export", network=network.pk)), 25),
        ("a network's members (staff)", list_network_members_filtered(admin, network, MemberFilters()), 50),
    ]
    print(f"{Leader.objects.count():,} leaders")
    print("| query | capped count ms | page ms | count plan | page plan |")
    print("|---|---|---|---|---|")
    for label, queryset, size in cases:
        count_ms, count_plan = _explain(_sent(lambda q=queryset: q.order_by()[:1001].count()))
        page_ms, page_plan = _explain(_sent(lambda q=queryset, s=size: list(q[:s + 1])))
        print(f"| {label} | {count_ms:.1f} | {page_ms:.1f} | {count_plan} | {page_plan} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=0, choices=range(0, 20), metavar="0..19")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meute.settings")
    import django

    django.setup()
    if args.copies:
        copy_leaders(args.copies)
    plans()
    return 0


if __name__ == "__main__":
    sys.exit(main())

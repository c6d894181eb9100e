"""A large database for benchmarks (``meute seed --members 100000``), written with bulk inserts."""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from meute.accounts.models import User
from meute.core.audit import log_action
from meute.core.text import fold
from meute.members.models import Company, Leader, Membership, MembershipStatus, Network, NetworkFamily
from meute.members.seeding import people
from meute.naf.reference import naf_codes
from meute.territory.reference import departments

BATCH = 2000


def _networks(rng: random.Random, region_departments: list[str], count: int) -> list[Network]:
    families = [f for f, _label in NetworkFamily.choices]
    existing = {n.slug: n for n in Network.objects.filter(slug__startswith="bench-")}
    result = []
    for index in range(count):
        slug = f"bench-{index:03d}"
        result.append(existing.get(slug) or Network.objects.create(
            slug=slug, name=f"Réseau {index + 1} ({rng.choice(region_departments)})",
            family=families[index % len(families)], fee_amount=Decimal(rng.choice([0, 150, 400, 900])),
        ))
    return result


def _write_batch(batch: list, networks: list[Network], rng: random.Random, naf: dict) -> None:
    password = make_password(None)
    users = User.objects.bulk_create([
        User(email=p.email, first_name=p.first_name, last_name=p.last_name, password=password) for p in batch
    ])
    companies = Company.objects.bulk_create([
        Company(name=p.company_name, siren=p.siret[:9], siret=p.siret, naf_code=p.naf_code,
                naf_section=naf[p.naf_code].section, headcount=p.headcount, commune_id=p.commune.insee,
                department_id=p.commune.department, founded_year=p.founded_year, website=p.website,
                offers=p.offers, needs=p.needs)
        for p in batch
    ])
    now = timezone.now()
    leaders = Leader.objects.bulk_create([
        Leader(user=user, company=company, department_id=company.department_id, naf_section=company.naf_section,
               in_directory=True, directory_consent_at=now,
               function=p.function, phone=p.phone, tags=" ".join(p.tags),
               expertise=p.expertise,
               search_text=fold(f"{p.first_name} {p.last_name} {p.function} {p.expertise} {p.company_name} "
                                f"{p.commune.name}"),
               sort_name=fold(f"{p.last_name} {p.first_name}"), expertise_search=fold(p.expertise))
        for p, user, company in zip(batch, users, companies, strict=True)
    ])
    Membership.objects.bulk_create([
        Membership(leader=leader, network=network, status=MembershipStatus.ACTIVE)
        for leader in leaders
        for network in rng.sample(networks, rng.choice([1, 1, 2]))
    ])


def bulk_seed(
    count: int, *, seed: int = 1, region: str = "75", progress: Callable[[int], None] | None = None
) -> int:
    """Add ``count`` leaders with companies and memberships in ``region``; returns how many were added."""
    rng = random.Random(seed)
    region_departments = sorted(code for code, d in departments().items() if d.region == region)
    if not region_departments:
        raise ValueError(f"Unknown region code {region!r}.")
    naf = naf_codes()
    start = User.objects.count()
    domain = f"seed{seed}-{start}.example"
    with transaction.atomic():
        networks = _networks(rng, region_departments, 20)
        batch = []
        # numbered SIRETs from the number of users on: a later seeding goes on after this one
        for person in people(seed, count, region_departments, email_domain=domain, first_number=start):
            batch.append(person)
            if len(batch) == BATCH:
                _write_batch(batch, networks, rng, naf)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            _write_batch(batch, networks, rng, naf)
            if progress:
                progress(len(batch))
        log_action("members.seed.bulk", actor=None, data={"count": count, "seed": seed, "region": region})
    with connection.cursor() as cursor:  # fresh statistics, so the planner uses the directory's indexes
        cursor.execute("ANALYZE")
    return count

"""Deterministic generation of realistic leaders and companies (demo and benchmark data).

Real communes (weighted towards towns but reaching rural villages), NAF codes from a
realistic mix, valid SIRETs, French names; the same seed gives the same people.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from faker import Faker
from stdnum import luhn

from meute.core.text import fold
from meute.naf.reference import naf_codes, realistic_mix
from meute.territory.reference import Commune, communes

HEADCOUNT_WEIGHTS = [
    ("0", 22), ("1-2", 24), ("3-5", 18), ("6-9", 12), ("10-19", 10), ("20-49", 8), ("50-99", 3.5),
    ("100-249", 1.8), ("250-499", 0.5), ("500+", 0.2),
]
FUNCTIONS = {
    False: ["Gérant", "Président", "Directeur général", "Co-gérant", "Fondateur", "Dirigeant"],
    True: ["Gérante", "Présidente", "Directrice générale", "Co-gérante", "Fondatrice", "Dirigeante"],
}
EXPERTISE = [
    "droit social", "recrutement", "comptabilité", "trésorerie", "levée de fonds", "export", "marketing digital",
    "réseaux sociaux", "achats", "qualité ISO 9001", "RSE", "cybersécurité", "management d'équipe",
    "transmission d'entreprise", "prévention des risques (DUERP)", "négociation commerciale", "lean management",
    "fiscalité", "immobilier d'entreprise", "marchés publics",
]
TAG_RATES = {"jeune_dirigeant": 0.18, "repreneur": 0.15, "createur": 0.35}


@dataclass(frozen=True)
class Person:
    email: str
    first_name: str
    last_name: str
    female: bool
    phone: str
    function: str
    tags: tuple[str, ...]
    expertise: str
    company_name: str
    siret: str
    naf_code: str
    headcount: str
    commune: Commune
    founded_year: int
    website: str
    offers: str
    needs: str


def make_siret(rng: random.Random) -> str:
    """A random SIRET whose SIREN and SIRET check digits are valid."""
    siren_body = f"{rng.randrange(10_000_000, 99_999_999):08d}"
    siren = siren_body + luhn.calc_check_digit(siren_body)
    nic_body = siren + f"{rng.randrange(1, 99):04d}"
    return nic_body + luhn.calc_check_digit(nic_body)


SIREN_BODIES = 90_000_000  # the 8-digit bodies 10,000,000 … 99,999,999
_STRIDE = 48_271_459  # coprime with SIREN_BODIES: n → n × stride mod SIREN_BODIES visits every body once
SEEDED_NIC_FROM = 1000  # numbered SIRETs use NICs from 1000 up; make_siret's stay below 100


def numbered_siret(number: int) -> str:
    """The ``number``-th SIRET of a collision-free series: distinct numbers give distinct valid SIRETs
    (SIREN and SIRET check digits), for up to 810 billion numbers, none equal to a :func:`make_siret` one."""
    if not 0 <= number < SIREN_BODIES * (10_000 - SEEDED_NIC_FROM):
        raise ValueError(f"No numbered SIRET for {number}.")
    turn, rest = divmod(number, SIREN_BODIES)
    siren_body = f"{10_000_000 + rest * _STRIDE % SIREN_BODIES:08d}"
    siren = siren_body + luhn.calc_check_digit(siren_body)
    nic_body = siren + f"{SEEDED_NIC_FROM + turn:04d}"
    return nic_body + luhn.calc_check_digit(nic_body)


class CommunePicker:
    """Draws communes of some départements, weighted by the square root of population."""

    def __init__(self, departments: list[str]) -> None:
        pool = [c for c in communes().values() if c.department in departments and c.lat is not None]
        if not pool:
            raise ValueError(f"No commune with coordinates in départements {departments}.")
        self.pool = sorted(pool, key=lambda c: c.insee)
        self.weights = [math.sqrt(c.population or 50) for c in self.pool]

    def pick(self, rng: random.Random) -> Commune:
        return rng.choices(self.pool, weights=self.weights)[0]


def _company_name(fake: Faker, rng: random.Random, last_name: str, activity: str) -> str:
    short = activity.split(",")[0].split(" et ")[0].strip()
    patterns = [
        lambda: f"{last_name} {short}",
        lambda: f"{short} {fake.city()}",
        lambda: fake.company(),
        lambda: f"Ets {last_name}",
        lambda: f"{last_name} & Fils" if rng.random() < 0.5 else f"Atelier {last_name}",
    ]
    return rng.choice(patterns)()[:200]


def people(seed: int, count: int, departments: list[str], *, email_domain: str = "example.org",
           first_number: int | None = None) -> Iterator[Person]:
    """``count`` realistic, distinct leaders living in ``departments``; deterministic in ``seed``.

    With ``first_number``, the companies' SIRETs are the numbered ones from there on (never two alike, at
    any size); otherwise random valid ones."""
    rng = random.Random(seed)
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    mix = realistic_mix()
    codes, weights = [c for c, _ in mix], [w for _, w in mix]
    picker = CommunePicker(departments)
    naf = naf_codes()
    used_emails: set[str] = set()
    for index in range(count):
        female = rng.random() < 0.3
        first = fake.first_name_female() if female else fake.first_name_male()
        last = fake.last_name()
        email = f"{fold(first)}.{fold(last)}".replace(" ", "-").replace("'", "")
        if email in used_emails:
            email = f"{email}.{index}"
        used_emails.add(email)
        code = rng.choices(codes, weights=weights)[0]
        activity = naf[code].label
        tags = [t for t, rate in TAG_RATES.items() if rng.random() < rate]
        if female and rng.random() < 0.8:
            tags.append("femme_dirigeante")
        company = _company_name(fake, rng, last, activity)
        yield Person(
            email=f"{email}@{email_domain}", first_name=first, last_name=last, female=female,
            phone=fake.phone_number(), function=rng.choice(FUNCTIONS[female]), tags=tuple(sorted(tags)),
            expertise=", ".join(rng.sample(EXPERTISE, rng.randint(1, 3))),
            company_name=company, naf_code=code,
            siret=make_siret(rng) if first_number is None else numbered_siret(first_number + index),
            headcount=rng.choices([h for h, _ in HEADCOUNT_WEIGHTS], weights=[w for _, w in HEADCOUNT_WEIGHTS])[0],
            commune=picker.pick(rng), founded_year=rng.randint(1965, 2025),
            website=f"https://www.{fold(company).replace(' ', '-').replace('&', 'et')[:40]}.example",
            offers=f"{activity} — {rng.choice(['devis rapide', 'intervention locale', 'sur mesure', 'conseil'])}",
            needs=rng.choice([
                "trouver des clients professionnels", "recruter un commercial", "un expert-comptable réactif",
                "un partenaire pour l'export", "mutualiser des achats", "un avocat en droit social",
                "digitaliser la prospection", "un local d'activité",
            ]),
        )

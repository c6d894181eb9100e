"""The demo network: one territory (four départements of Poitou-Charentes), its networks,
about 150 leaders, and one login per role. Deterministic for a given seed."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from meute.accounts.models import User
from meute.core.audit import log_action
from meute.members.models import (
    FeePeriod,
    FeeStatus,
    Leader,
    MembershipStatus,
    Network,
    NetworkFamily,
    Role,
    ScopeLevel,
    Visibility,
)
from meute.members.seeding import Person, people
from meute.members.services import (
    MemberData,
    do_add_membership,
    do_grant_role,
    do_upsert_member,
    refresh_directory_flag,
)
from meute.territory.models import Commune, Department

DEPARTMENTS = ["86", "79", "16", "17"]
PASSWORD = "meute-demo"
DOMAIN = "demo.meute.example"


@dataclass(frozen=True)
class NetworkSpec:
    slug: str
    name: str
    family: str
    departments: tuple[str, ...]
    home: str  # INSEE code
    share: float  # probability that a leader of its départements belongs to it
    fee: int
    period: str = FeePeriod.YEAR
    cadence: str = "mensuelle"
    hours: int = 4
    max_size: int | None = None
    allows_business: bool = True
    goals: str = ""
    admission: str = ""
    scope: str = ScopeLevel.DEPARTMENT
    peer: bool = False


NETWORKS = [
    NetworkSpec("offensiv-pme", "Offensiv'PME", NetworkFamily.THEMATIC, ("86", "79", "16", "17"), "86194", 0.45, 450,
                cadence="une vingtaine d'ateliers et formations par an", hours=5, scope=ScopeLevel.REGION,
                goals="Rompre l'isolement des dirigeants de TPE et PME du Poitou et des Charentes : ateliers, "
                      "formations, conférences, une liberté de parole entre pairs.",
                admission="Dirigeant de TPE ou PME ; parrainage par un membre."),
    NetworkSpec("plato-vienne", "Plato Vienne", NetworkFamily.PEER, ("86",), "86194", 0.55, 1900,
                period=FeePeriod.CYCLE, cadence="une matinée par mois", hours=4, peer=True,
                goals="Groupes de 10 à 12 dirigeants aux activités hétérogènes, sans concurrents directs, "
                      "parrainés par des cadres de grandes entreprises, pendant deux ans.",
                admission="Dirigeant de TPE/PME de la Vienne ; engagement sur deux ans."),
    NetworkSpec("club-futuroscope", "Club des entreprises de la Technopole du Futuroscope",
                NetworkFamily.GEOGRAPHIC, ("86",), "86062", 0.2, 300, scope=ScopeLevel.LOCAL,
                goals="Animer la zone d'activité : petits-déjeuners, visites d'entreprises, services partagés."),
    NetworkSpec("femmes-cheffes-86", "Femmes cheffes d'entreprise de la Vienne", NetworkFamily.THEMATIC, ("86",),
                "86194", 0.15, 120, admission="Femme dirigeante ou co-dirigeante d'entreprise."),
    NetworkSpec("jeunes-dirigeants-17", "Jeunes Dirigeants La Rochelle", NetworkFamily.THEMATIC, ("17",), "17300",
                0.25, 600, hours=8, admission="Dirigeant de moins de 45 ans."),
    NetworkSpec("btp-charente", "Club BTP Charente", NetworkFamily.TRADE, ("16",), "16015", 0.2, 250,
                goals="Les entreprises du bâtiment et des travaux publics de Charente : veille, marchés, achats."),
    NetworkSpec("business-niort", "Niort Business Club", NetworkFamily.BUSINESS, ("79",), "79191", 0.3, 900,
                cadence="hebdomadaire (petit-déjeuner)", hours=8, max_size=40,
                goals="Générer du chiffre d'affaires entre membres : une profession par siège."),
    NetworkSpec("cercle-20-angouleme", "Cercle des 20 Angoulême", NetworkFamily.BUSINESS, ("16",), "16015", 0.15,
                700, max_size=20, goals="Vingt dirigeants au plus, un dîner mensuel."),
    NetworkSpec("club-one-saintes", "Club One Saintes", NetworkFamily.THEMATIC, ("17",), "17415", 0.15, 200,
                allows_business=False, goals="Échanger entre dirigeants, sans aucune démarche commerciale."),
    NetworkSpec("rebondir-79", "Rebondir Deux-Sèvres", NetworkFamily.SOCIAL, ("79",), "79191", 0.06, 0,
                period=FeePeriod.NONE, hours=2,
                goals="Accompagner les dirigeants après une liquidation ou une période difficile."),
]

LOGINS = [
    ("admin", "Site administrator", "Camille", "Arnaud"),
    ("staff", "Network staff (Offensiv'PME, Plato Vienne)", "Sophie", "Girard"),
    ("animateur", "Facilitator (Plato Vienne)", "Julien", "Moreau"),
    ("parrain", "Sponsor (Plato Vienne)", "Hélène", "Vasseur"),
    ("membre", "Member (Offensiv'PME, Plato Vienne)", "Thomas", "Bernier"),
]


def _create_network(spec: NetworkSpec) -> Network:
    network = Network.objects.create(
        slug=spec.slug, name=spec.name, family=spec.family, scope=spec.scope,
        home_commune=Commune.objects.get(pk=spec.home), fee_amount=Decimal(spec.fee), fee_period=spec.period,
        max_size=spec.max_size, cadence=spec.cadence, hours_per_month=spec.hours, goals=spec.goals,
        admission=spec.admission, allows_business=spec.allows_business, runs_peer_groups=spec.peer,
        contact_name="Accueil", contact_email=f"contact@{spec.slug}.{DOMAIN}",
    )
    network.departments.set(Department.objects.filter(code__in=spec.departments))
    return network


def _member_data(person: Person, status: str, fee: str) -> MemberData:
    return MemberData(
        email=person.email, first_name=person.first_name, last_name=person.last_name,
        company_name=person.company_name, siret=person.siret, naf_code=person.naf_code,
        commune=Commune.objects.get(pk=person.commune.insee), phone=person.phone, function=person.function,
        tags=list(person.tags), expertise=person.expertise, headcount=person.headcount,
        founded_year=person.founded_year, website=person.website, offers=person.offers, needs=person.needs,
        status=status, fee_status=fee,
    )


def _eligible(spec: NetworkSpec, person: Person) -> bool:
    if spec.slug == "femmes-cheffes-86":
        return person.female
    if spec.slug == "btp-charente":
        return person.naf_code[:2] in {"41", "42", "43", "71"}
    return person.commune.department in spec.departments


def _join(rng: random.Random, networks: dict[str, Network], person: Person, leader: Leader, admin: User) -> None:
    joined = [s for s in NETWORKS if _eligible(s, person) and rng.random() < s.share]
    if not joined:  # everyone in the demo belongs somewhere
        joined = [NETWORKS[0]]
    for spec in joined:
        network = networks[spec.slug]
        if spec.max_size and network.memberships.count() >= spec.max_size:
            continue
        status = MembershipStatus.ACTIVE
        if spec.peer and rng.random() < 0.3:
            status = MembershipStatus.CANDIDATE
        do_add_membership(
            leader, network, status=status, fee_status=rng.choice([FeeStatus.PAID, FeeStatus.PAID, FeeStatus.DUE]),
            joined_on=datetime.date(rng.randint(2015, 2026), rng.randint(1, 12), 1), acting_user=admin,
        )


def _consent(leader: Leader) -> None:
    """The demo's people have agreed to be listed and to show their contact to their networks."""
    leader.listed, leader.directory_consent_at = True, timezone.now()
    leader.email_visibility = leader.phone_visibility = Visibility.NETWORK
    leader.save(update_fields=["listed", "directory_consent_at", "email_visibility", "phone_visibility"])
    refresh_directory_flag(leader)


def _demo_login(key: str, first: str, last: str, person: Person | None) -> User:
    user = User.objects.create_user(f"{key}@{DOMAIN}", PASSWORD, first_name=first, last_name=last)
    if key == "admin":
        user.is_superuser = user.is_staff = True
        user.save()
    return user


@transaction.atomic
def load_demo(seed: int = 2026, members: int = 150) -> list[tuple[str, str]]:
    """Create the demo territory; returns (login, role) pairs. Refuses to run twice."""
    if Network.objects.filter(slug=NETWORKS[0].slug).exists():
        raise RuntimeError("The demo network is already loaded.")
    rng = random.Random(seed)
    admin = _demo_login("admin", "Camille", "Arnaud", None)
    networks = {spec.slug: _create_network(spec) for spec in NETWORKS}
    crowd = list(people(seed, members - 2, DEPARTMENTS, email_domain=DOMAIN))
    for person in crowd:
        leader, _created = do_upsert_member(_member_data(person, "active", "paid"), network=None, acting_user=admin)
        _consent(leader)
        _join(rng, networks, person, leader, admin)
    _demo_roles(rng, networks, admin)
    from meute.advisor.demo import load_advisor_demo  # the territory's other networks and the advisor's facts

    load_advisor_demo(admin)
    log_action("members.demo.loaded", actor=admin, data={"seed": seed, "members": members})
    return [(f"{key}@{DOMAIN}", role) for key, role, _f, _l in LOGINS]


def _demo_roles(rng: random.Random, networks: dict[str, Network], admin: User) -> None:
    offensiv, plato = networks["offensiv-pme"], networks["plato-vienne"]
    staff = _demo_login("staff", "Sophie", "Girard", None)
    for network in (offensiv, plato):
        do_grant_role(network, staff, Role.STAFF, acting_user=admin)
    do_grant_role(plato, _demo_login("animateur", "Julien", "Moreau", None), Role.FACILITATOR, acting_user=admin)
    # The sponsor and the member are leaders with companies, drawn like everyone else.
    extra = list(people(rng.randrange(1 << 30), 2, ["86"], email_domain="extra." + DOMAIN))
    for key, first, last, person, role in (
        ("parrain", "Hélène", "Vasseur", extra[0], Role.SPONSOR),
        ("membre", "Thomas", "Bernier", extra[1], None),
    ):
        data = _member_data(person, MembershipStatus.ACTIVE, FeeStatus.PAID)
        data.email, data.first_name, data.last_name = f"{key}@{DOMAIN}", first, last
        if key == "parrain":
            data.headcount, data.function = "500+", "Directrice régionale"
        else:
            data.function = "Gérant"
        leader, _created = do_upsert_member(data, network=offensiv, acting_user=admin)
        _consent(leader)
        leader.user.set_password(PASSWORD)
        leader.user.save()
        if role:
            do_grant_role(plato, leader.user, role, acting_user=admin)
        else:
            do_add_membership(leader, plato, status=MembershipStatus.ACTIVE, fee_status=FeeStatus.PAID,
                              joined_on=datetime.date(2025, 9, 1), acting_user=admin)

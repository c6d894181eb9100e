"""The advisor's part of the demo territory: networks not run in meute (every family), the
advisor's facts on the demo networks, a territory adviser, and personas with the answers
one expects. Deterministic; called at the end of :func:`meute.members.demo.load_demo`."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from meute.accounts.models import User
from meute.advisor.models import NetworkProfile
from meute.advisor.services import do_appoint_adviser, do_save_network_entry
from meute.members.models import FeePeriod, Network, NetworkFamily, ScopeLevel
from meute.territory.models import Department

F = NetworkFamily


@dataclass(frozen=True)
class Entry:
    name: str
    family: str
    departments: tuple[str, ...]
    home: str
    fee: int
    hours: int
    goals: str
    period: str = FeePeriod.YEAR
    cadence: str = "mensuelle"
    admission: str = ""
    scope: str = ScopeLevel.DEPARTMENT
    max_size: int | None = None
    allows_business: bool = True
    profile: dict[str, Any] = field(default_factory=dict)


ENTRIES = [
    Entry("Club d'entreprises de la zone République", F.GEOGRAPHIC, ("86",), "86194", 150, 2,
          "Les entreprises de la zone République à Poitiers : petits-déjeuners, sécurité, navettes, services "
          "partagés.", cadence="un petit-déjeuner par mois", scope=ScopeLevel.LOCAL,
          profile={"declared_size": 60, "places": "Poitiers, zone République"}),
    Entry("Club des entreprises du Châtelleraudais", F.GEOGRAPHIC, ("86",), "86066", 200, 3,
          "Se connaître entre voisins d'entreprise, visites de sites, affaires locales.", scope=ScopeLevel.LOCAL,
          profile={"declared_size": 85, "places": "Châtellerault"}),
    Entry("Bocage Entreprendre", F.GEOGRAPHIC, ("79",), "79049", 180, 3,
          "Le club des dirigeants du Bocage bressuirais : rencontres, recrutement, attractivité du territoire.",
          scope=ScopeLevel.LOCAL, profile={"declared_size": 70, "places": "Bressuire, Cerizay"}),
    Entry("Jeunes dirigeants du Poitou", F.THEMATIC, ("86", "79"), "86194", 750, 8,
          "Des dirigeants de moins de 45 ans qui se forment ensemble au management et partagent leurs "
          "expériences.", admission="Dirigeant de moins de 45 ans ; deux réunions par mois.",
          profile={"audience_tags": "jeune_dirigeant", "max_age": 45, "goals_served": "apprendre isolement",
                   "declared_size": 45, "places": "Poitiers, Niort"}),
    Entry("Entreprendre au féminin Charentes", F.THEMATIC, ("16", "17"), "16015", 90, 3,
          "Femmes cheffes d'entreprise et créatrices : entraide, mentorat, visibilité.",
          admission="Femme dirigeante, co-dirigeante ou créatrice.",
          profile={"audience_tags": "femme_dirigeante", "goals_served": "isolement apprendre business",
                   "declared_size": 120, "places": "Angoulême, Cognac, Saintes"}),
    Entry("Cédants et repreneurs Poitou-Charentes", F.THEMATIC, ("86", "79", "16", "17"), "79191", 250, 2,
          "Préparer une reprise ou une transmission d'entreprise : ateliers, témoignages, mise en relation.",
          scope=ScopeLevel.REGION, admission="Repreneur en projet ou récent, ou cédant.",
          profile={"audience_tags": "repreneur", "goals_served": "apprendre business", "declared_size": 55}),
    Entry("Transporteurs des Deux-Sèvres", F.TRADE, ("79",), "79191", 350, 2,
          "Le transport routier de marchandises : réglementation, carburant, recrutement de conducteurs.",
          profile={"naf_prefixes": "49.4 52", "declared_size": 40}),
    Entry("Club des directeurs financiers Poitou-Charentes", F.TRADE, ("86", "79", "16", "17"), "86194", 300, 2,
          "Trésorerie, financement, fiscalité : les directeurs administratifs et financiers échangent leurs "
          "pratiques.", scope=ScopeLevel.REGION, admission="Directeur administratif et financier ou dirigeant.",
          profile={"goals_served": "apprendre", "declared_size": 70}),
    Entry("Métiers de bouche de Charente-Maritime", F.TRADE, ("17",), "17300", 120, 2,
          "Boulangers, bouchers, traiteurs et restaurateurs : achats groupés, apprentissage, normes d'hygiène.",
          profile={"naf_prefixes": "10 47.2 56", "goals_served": "defendre apprendre business",
                   "declared_size": 90}),
    Entry("Réseau d'affaires rochelais", F.BUSINESS, ("17",), "17300", 1100, 8,
          "Recommandations d'affaires chaque semaine entre membres : un seul siège par profession.",
          cadence="hebdomadaire (petit-déjeuner)", max_size=35,
          profile={"declared_size": 35, "places": "La Rochelle"}),
    Entry("Affaires & Co Poitiers", F.BUSINESS, ("86",), "86194", 900, 6,
          "Générer du chiffre d'affaires : apporteurs d'affaires, déjeuners, un siège par métier.",
          cadence="tous les quinze jours", max_size=40, profile={"declared_size": 28, "places": "Poitiers"}),
    Entry("Cercle de pairs de Charente", F.PEER, ("16",), "16015", 1500, 4,
          "Groupes de dix dirigeants sans concurrents, une matinée par mois pendant deux ans, un animateur.",
          period=FeePeriod.CYCLE, cadence="une matinée par mois", max_size=12,
          admission="Dirigeant de TPE/PME de Charente ; engagement sur deux ans.",
          profile={"max_headcount": "100-249", "declared_size": 10, "places": "Angoulême"}),
    Entry("Groupes de progrès des Deux-Sèvres", F.PEER, ("79",), "79191", 1200, 4,
          "Des groupes de pairs pour sortir de l'isolement et prendre du recul sur son entreprise.",
          period=FeePeriod.CYCLE, cadence="une demi-journée par mois", max_size=12,
          profile={"max_headcount": "100-249", "declared_size": 8, "places": "Niort, Parthenay"}),
    Entry("Second Souffle Vienne", F.SOCIAL, ("86",), "86194", 0, 2,
          "Rebondir après une liquidation ou un échec : écoute, accompagnement, retour à l'emploi ou à la "
          "création.", period=FeePeriod.NONE, cadence="à la demande",
          profile={"goals_served": "rebondir", "declared_size": 25}),
    Entry("Prévention des difficultés des entreprises 17", F.SOCIAL, ("17",), "17300", 0, 1,
          "Entretiens confidentiels et gratuits pour les dirigeants en difficulté, avec d'anciens juges, "
          "avocats et experts-comptables.", period=FeePeriod.NONE, cadence="entretien sur rendez-vous",
          profile={"goals_served": "rebondir apprendre", "declared_size": 15}),
    Entry("Union patronale de la Vienne", F.UNION, ("86",), "86194", 400, 2,
          "Représenter et défendre les entreprises auprès des pouvoirs publics ; conseil juridique et social.",
          profile={"declared_size": 600}),
    Entry("Fédération du bâtiment de Charente-Maritime", F.UNION, ("17",), "17300", 600, 2,
          "Défendre les entreprises du bâtiment : marchés publics, apprentissage, conseil technique.",
          profile={"naf_prefixes": "41 42 43", "goals_served": "defendre apprendre", "declared_size": 450}),
    Entry("Pépinière d'entreprises de Niort", F.INCUBATOR, ("79",), "79191", 90, 4,
          "Bureaux, accompagnement et réseau pour les entreprises de moins de trois ans.", period=FeePeriod.MONTH,
          admission="Entreprise créée depuis moins de trois ans.",
          profile={"audience_tags": "createur", "declared_size": 30, "places": "Niort"}),
    Entry("Tiers-lieu numérique d'Angoulême", F.INCUBATOR, ("16",), "16015", 0, 3,
          "Coworking, ateliers numériques et entraide entre indépendants et créateurs.", period=FeePeriod.NONE,
          profile={"goals_served": "apprendre isolement business", "declared_size": 50, "places": "Angoulême"}),
    Entry("Cercle des mécènes de Saintonge", F.PATRONAGE, ("17",), "17415", 1000, 2,
          "Des entreprises qui soutiennent ensemble le patrimoine et les festivals de Saintonge.",
          profile={"goals_served": "isolement", "declared_size": 35, "places": "Saintes"}),
]

# The advisor's facts on the networks run in meute (see meute.members.demo.NETWORKS).
MANAGED_PROFILES = {
    "offensiv-pme": {"max_headcount": "100-249", "goals_served": "isolement apprendre"},
    "plato-vienne": {"max_headcount": "100-249", "places": "Poitiers, Futuroscope"},
    "femmes-cheffes-86": {"audience_tags": "femme_dirigeante", "goals_served": "isolement apprendre business"},
    "jeunes-dirigeants-17": {"audience_tags": "jeune_dirigeant", "max_age": 45},
    "btp-charente": {"naf_prefixes": "41 42 43 71"},
    "club-one-saintes": {"goals_served": "isolement apprendre"},
    "rebondir-79": {"goals_served": "rebondir"},
}


@dataclass(frozen=True)
class Persona:
    key: str
    answers: dict[str, Any]
    expected_top: tuple[str, ...]  # slugs, any of which should head the ranking


PERSONAS = [
    Persona("young developer in Poitiers", {"naf": "62.01Z", "commune": "86194", "goals": ["isolement", "business"],
            "tags": ["jeune_dirigeant"], "hours_per_month": 6, "budget_eur": 1000},
            ("club-futuroscope", "club-dentreprises-de-la-zone-republique", "offensiv-pme")),
    Persona("woman builder in Angoulême", {"naf": "43.22A", "commune": "16015", "goals": ["defendre", "business"],
            "tags": ["femme_dirigeante"], "hours_per_month": 6, "budget_eur": 800},
            ("btp-charente",)),
    Persona("leader rebounding in Niort", {"naf": "47.11B", "commune": "79191", "goals": ["rebondir"],
            "hours_per_month": 3, "budget_eur": 0}, ("rebondir-79",)),
    Persona("founder in Niort", {"naf": "70.22Z", "commune": "79191", "goals": ["apprendre", "business"],
            "tags": ["createur"], "hours_per_month": 10, "budget_eur": 1500},
            ("pepiniere-dentreprises-de-niort", "niort-business-club")),
]


def load_advisor_demo(admin: User) -> None:
    """Add the territory's other networks and the advisor's facts; make the staff login an adviser."""
    for entry in ENTRIES:
        do_save_network_entry(
            None, acting_user=admin, name=entry.name, family=entry.family, scope=entry.scope,
            fee_amount=Decimal(entry.fee), fee_period=entry.period, cadence=entry.cadence,
            hours_per_month=entry.hours, goals=entry.goals, admission=entry.admission, max_size=entry.max_size,
            allows_business=entry.allows_business, contact_name="Accueil",
            departments=list(Department.objects.filter(code__in=entry.departments)), home_commune=entry.home,
            **entry.profile,
        )
    for slug, facts in MANAGED_PROFILES.items():
        network = Network.objects.filter(slug=slug).first()
        if network is not None:
            NetworkProfile.objects.update_or_create(network=network, defaults=facts)
    staff = User.objects.filter(email__startswith="staff@").order_by("pk").first()
    if staff is not None:
        for code in ("86", "79", "16", "17"):
            do_appoint_adviser(staff, code, acting_user=admin)

"""Demo events: past and upcoming workshops, trainings, conferences, a plenary, and a speed
meeting with about sixty registered participants ready to be planned."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from meute.accounts.models import User
from meute.events.models import Audience, Event, EventKind
from meute.events.services import do_register, do_set_presence
from meute.members.models import Leader, Network
from meute.territory.models import Commune

CATALOGUE = [
    (EventKind.WORKSHOP, "Atelier : recruter et fidéliser ses salariés", "RH", -60, 25),
    (EventKind.TRAINING, "Formation : piloter sa trésorerie", "finance", -30, 15),
    (EventKind.CONFERENCE, "Conférence : la RSE, une opportunité pour les TPE", "RSE", -10, 80),
    (EventKind.WORKSHOP, "Atelier : mettre à jour son document unique (DUERP)", "prévention", 12, 20),
    (EventKind.TRAINING, "Formation : prospecter avec LinkedIn", "numérique", 20, 15),
    (EventKind.CONFERENCE, "Conférence : transmettre son entreprise", "transmission", 35, 100),
    (EventKind.PLENARY, "Plénière régionale des réseaux", "plénière", 50, 200),
    (EventKind.NETWORKING, "Soirée réseau de printemps", "convivialité", 70, 120),
]


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@transaction.atomic
def load_demo_events(seed: int = 2026) -> Event:
    """Create the catalogue of the demo networks; returns the speed meeting."""
    rng = random.Random(seed)
    network = Network.objects.get(slug="offensiv-pme")
    poitiers = Commune.objects.get(pk="86194")
    leaders = list(Leader.objects.filter(memberships__network=network, memberships__status="active")
                   .select_related("user").order_by("id"))
    for kind, title, themes, days, capacity in CATALOGUE:
        event = Event.objects.create(
            network=network, kind=kind, title=title, themes=themes, starts_at=_at(days, 9 if days % 2 else 18),
            ends_at=_at(days, 12 if days % 2 else 21), place="CCI de la Vienne", commune=poitiers,
            audience=Audience.PUBLIC if kind in (EventKind.CONFERENCE, EventKind.PLENARY) else Audience.MEMBERS,
            capacity=capacity, price_member=Decimal(0), price_public=Decimal(30 if capacity > 50 else 0),
            description=f"{title}. Animé par un membre expert du réseau.", registration_seq=0,
        )
        _fill(event, rng.sample(leaders, min(len(leaders), rng.randint(8, 22))), past=days < 0, rng=rng)
    speed = Event.objects.create(
        network=network, kind=EventKind.SPEED_MEETING, title="Speed meeting d'affaires de la Vienne",
        themes="business", starts_at=_at(9, 18), ends_at=_at(9, 21), place="Futuroscope, salle Gaïa",
        commune=Commune.objects.get(pk="86062"), audience=Audience.MEMBERS, capacity=72, table_size=6, rounds=8,
        round_minutes=10, description="Huit tours de dix minutes, tables de six : rencontrez 40 dirigeants.",
    )
    participants = list(Leader.objects.select_related("user", "company").order_by("id")[:60])
    for leader in participants:
        company = leader.company
        do_register(speed, leader.user, offers=company.offers if company else "",
                    needs=company.needs if company else "", wishes=[], notify=False)
    ids = [leader.user_id for leader in participants]
    for leader in participants[:20]:  # a third of them name people they want to meet
        registration = speed.registrations.get(user=leader.user)
        registration.wishes.set(User.objects.filter(pk__in=rng.sample(ids, 2)).exclude(pk=leader.user_id))
    return speed


def _fill(event: Event, leaders: list[Leader], *, past: bool, rng: random.Random) -> None:
    for leader in leaders:
        do_register(event, leader.user, offers="", needs="", wishes=[], notify=False)
    if past:
        for registration in event.registrations.all():
            if rng.random() < 0.8:
                do_set_presence(registration, present=True, acting_user=None)
            else:
                do_set_presence(registration, present=False, acting_user=None)

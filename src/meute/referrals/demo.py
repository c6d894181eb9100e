"""Demo referrals: a year and a half of referrals and one-to-ones between the members of the demo networks (some
given during the Plato groups' meetings), the demo member's own referrals waiting for an answer,
and last year's figure published by Offensiv'PME for the advisor to quote."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from meute.accounts.models import User
from meute.core.audit import log_action
from meute.members.models import Leader, Membership, MembershipStatus, Network
from meute.referrals.models import (
    Business,
    OneToOne,
    OneToOneStatus,
    PublishedFigure,
    Referral,
    ReferralNetwork,
    Status,
    Warmth,
)

PROSPECTS = [("Nathalie Roux", "Roux Menuiserie"), ("Karim Benali", "Transports Benali"),
             ("Sylvie Caron", "Clinique vétérinaire Caron"), ("Olivier Petit", "Garage Petit"),
             ("Anne Lemoine", "Boulangerie Lemoine"), ("Pierre Fabre", "Fabre Immobilier"),
             ("Lucie Gauthier", "Cabinet Gauthier"), ("Marc Dubois", "Dubois Paysage")]
NEEDS = ["Refaire le site web et le référencement", "Un expert-comptable pour la paie", "Des locaux plus grands",
         "Un plombier pour le nouvel atelier", "Former l'équipe à la sécurité", "Un avocat en droit social",
         "Un photographe pour le catalogue", "Renouveler la flotte de véhicules"]
LOST = ["Le prospect a choisi un concurrent moins cher.", "Projet reporté à l'an prochain."]


def _members(networks: list[Network]) -> list[Leader]:
    ids = Membership.objects.filter(network__in=networks, status=MembershipStatus.ACTIVE).values("leader_id")
    return list(Leader.objects.filter(pk__in=ids, company__isnull=False).select_related("user").order_by("pk"))


def _networks_of(leaders: list[Leader]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for leader_id, network_id in Membership.objects.filter(leader__in=leaders).exclude(
            status=MembershipStatus.LEFT).values_list("leader_id", "network_id"):
        out.setdefault(leader_id, set()).add(network_id)
    return out


def _referral(rng: random.Random, giver: Leader, receiver: Leader, when: datetime.datetime, now: datetime.datetime,
              *, meeting=None, status: str | None = None) -> Referral:
    name, company = rng.choice(PROSPECTS)
    age = (now - when).days
    if status is None:
        status = rng.choices([Status.WON, Status.LOST, Status.CONTACTED, Status.DECLINED, Status.ACCEPTED],
                             [45, 15, 15, 10, 15])[0] if age > 20 else rng.choice([Status.GIVEN, Status.ACCEPTED])
    if status in (Status.GIVEN, Status.ACCEPTED, Status.CONTACTED) and age > 90:
        status = Status.EXPIRED  # what the morning sweep would have done (MEUTE_REFERRAL_EXPIRY_DAYS)
    closed = when + datetime.timedelta(days=rng.randint(5, min(60, max(5, age)))) if status in (
        Status.WON, Status.LOST, Status.DECLINED) else when + datetime.timedelta(days=90) if status == Status.EXPIRED \
        else None
    closed = min(closed, now) if closed else None
    return Referral(giver=giver, receiver=receiver, prospect_name=name, prospect_company=company,
                    prospect_email=f"{name.split()[0].lower()}@exemple.fr", prospect_phone="05 49 00 00 00",
                    prospect_agreed=rng.random() < 0.85, need=rng.choice(NEEDS),
                    warmth=rng.choice(Warmth.values), meeting=meeting, status=status,
                    reason=rng.choice(LOST) if status in (Status.LOST, Status.DECLINED) else "",
                    amount=Decimal(rng.choice([800, 1500, 2400, 3500, 6000, 9000, 15000, 28000]))
                    if status == Status.WON else None,
                    business=rng.choice(Business.values) if status == Status.WON else "",
                    amount_shared=status == Status.WON and rng.random() < 0.4,
                    moved_at=closed or when, closed_at=closed)


@transaction.atomic
def load_demo_referrals(seed: int = 2026, count: int = 480) -> int:
    """Referrals over the last eighteen months between the demo networks' members; returns how many."""
    from meute.peergroups.models import GroupMember, Meeting

    rng = random.Random(seed)
    now = timezone.now()
    networks = list(Network.objects.filter(slug__in=["offensiv-pme", "plato-vienne"]).order_by("slug"))
    people = _members(networks)
    if len(people) < 3:
        return 0
    member = Leader.objects.select_related("user").filter(user__email="membre@demo.meute.example").first()
    rows: list[Referral] = []
    for _ in range(count):
        giver, receiver = rng.sample(people, 2)
        rows.append(_referral(rng, giver, receiver, now - datetime.timedelta(days=rng.randint(1, 540),
                                                                             hours=rng.randint(0, 10)), now))
    meetings = list(Meeting.objects.filter(group__network__in=networks, starts_at__lt=now).select_related("group"))
    for meeting in meetings:
        group = list(GroupMember.objects.filter(group=meeting.group).select_related("leader__user"))
        for _ in range(rng.randint(1, 3) if len(group) > 1 else 0):
            a, b = rng.sample(group, 2)
            rows.append(_referral(rng, a.leader, b.leader, meeting.starts_at, now, meeting=meeting))
    if member is not None:  # the demo member's own: two to answer, one to close, several won and given
        others = [p for p in people if p.pk != member.pk]
        for days, status in ((2, Status.GIVEN), (5, Status.GIVEN), (30, Status.CONTACTED)):
            rows.append(_referral(rng, rng.choice(others), member, now - datetime.timedelta(days=days), now,
                                  status=status))
        for days in (40, 95, 150, 220, 300):
            rows.append(_referral(rng, rng.choice(others), member, now - datetime.timedelta(days=days), now,
                                  status=Status.WON))
            rows.append(_referral(rng, member, rng.choice(others), now - datetime.timedelta(days=days + 3), now))
    given_on = [_given_on(rng, r) for r in rows]
    created = Referral.objects.bulk_create(rows, batch_size=500)
    for referral, when in zip(created, given_on, strict=True):  # created is auto_now_add: its day in the year
        Referral.objects.filter(pk=referral.pk).update(created=min(when, now))
    by_leader = _networks_of(people)
    ReferralNetwork.objects.bulk_create(
        [ReferralNetwork(referral=r, network_id=n) for r in created
         for n in sorted(by_leader.get(r.giver_id, set()) | by_leader.get(r.receiver_id, set()))],
        batch_size=1000, ignore_conflicts=True)
    _one_to_ones(rng, people, member, now)
    _publish(networks, now)
    return len(created)


def _given_on(rng: random.Random, row: Referral) -> datetime.datetime:
    """When a demo referral was given: its last news if still open, some days before it closed otherwise."""
    if row.status == Status.EXPIRED:
        return row.closed_at - datetime.timedelta(days=90)
    if row.closed_at is not None:
        return row.closed_at - datetime.timedelta(days=rng.randint(5, 40))
    return row.moved_at


def _one_to_ones(rng: random.Random, people: list[Leader], member: Leader | None, now: datetime.datetime) -> None:
    rows = []
    for _ in range(160):
        a, b = rng.sample(people, 2)
        when = now - datetime.timedelta(days=rng.randint(1, 360), hours=rng.randint(0, 8))
        held = rng.random() < 0.8
        rows.append(OneToOne(requester=a, other=b, starts_at=when, place="Café du Marché", visio=rng.random() < 0.3,
                             status=OneToOneStatus.HELD if held else OneToOneStatus.SCHEDULED,
                             requester_confirmed=held, other_confirmed=held))
    if member is not None:
        others = [p for p in people if p.pk != member.pk]
        rows.append(OneToOne(requester=rng.choice(others), other=member, starts_at=now - datetime.timedelta(days=2),
                             place="Café du Marché", requester_confirmed=True))
        rows.append(OneToOne(requester=member, other=rng.choice(others), starts_at=now + datetime.timedelta(days=6),
                             visio=True))
        for days in (25, 80, 140):
            rows.append(OneToOne(requester=member, other=rng.choice(others), place="Café du Marché",
                                 starts_at=now - datetime.timedelta(days=days), status=OneToOneStatus.HELD,
                                 requester_confirmed=True, other_confirmed=True))
    OneToOne.objects.bulk_create(rows, batch_size=500)


def _publish(networks: list[Network], now: datetime.datetime) -> None:
    from meute.referrals.figures import network_year

    staff = User.objects.filter(email="staff@demo.meute.example").first()
    for network in networks:
        year = timezone.localtime(now).year - 1
        total = network_year(network.pk, year)
        if total.won and network.slug == "offensiv-pme":
            PublishedFigure.objects.create(network=network, year=year, amount=total.amount,
                                           referrals_won=total.won, advisor_consent=True, published_by=staff)
            log_action("referrals.figure.published", actor=staff, obj=network, network=network,
                       data={"year": year, "amount": str(total.amount), "won": total.won, "advisor_consent": True})

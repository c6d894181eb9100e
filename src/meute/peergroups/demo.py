"""The demo programme of Plato Vienne: candidates waiting, a group in its second year and one
in its first, meetings past (with attendance, topics and minutes) and upcoming, a plenary."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from meute.accounts.models import User
from meute.matching.grouping import haversine_km
from meute.members.models import HEADCOUNT_ORDER, Leader, Membership, MembershipStatus, Network, NetworkRole, Role
from meute.members.services import do_add_membership, do_set_membership_status, refresh_directory_flag
from meute.peergroups.formation import parse_slot
from meute.peergroups.meetings import do_create_monthly_meetings
from meute.peergroups.models import (
    ActionItem,
    Attendance,
    AttendanceStatus,
    FacilitatorOffer,
    GroupMember,
    MeetingReply,
    PeerGroup,
    Plenary,
    PlenaryLevel,
    ReplyAnswer,
    Topic,
    TopicVote,
)

TOPICS = [
    "Un salarié conteste son licenciement aux prud'hommes : comment se préparer ?",
    "Trésorerie tendue : négocier avec sa banque",
    "Recruter un premier commercial",
    "Passer le cap des 10 salariés : ce qui change",
    "Mettre à jour le document unique (DUERP)",
    "Transmettre l'entreprise dans cinq ans",
    "Gérer un associé qui ne s'implique plus",
    "Digitaliser la prospection",
]


DEMO_SPONSORS = 6
DEMO_CANDIDATES = 30  # enough for two groups of 10-12 within 40 km once the isolated ones wait
LOCAL_LEADERS = 72  # active members, candidates, sponsors and a facilitator, all in the Vienne


def _month_start(months_ago: int) -> datetime.date:
    today = timezone.localdate().replace(day=1)
    year, month = divmod(today.year * 12 + today.month - 1 - months_ago, 12)
    return datetime.date(year, month + 1, 1)


def _local_leaders(network: Network, rng: random.Random, count: int, admin: User) -> None:
    """Leaders of the Vienne, members of the departmental network, so that the programme
    recruits in its own territory (a Plato Vienne group never meets in the Deux-Sèvres)."""
    from meute.members.demo import DOMAIN, _consent, _member_data
    from meute.members.seeding import people
    from meute.members.services import do_upsert_member

    home = Network.objects.filter(slug="offensiv-pme").first() or network
    for person in people(rng.randrange(1 << 30), count, ["86"], email_domain="plato." + DOMAIN):
        leader, _created = do_upsert_member(_member_data(person, MembershipStatus.ACTIVE, "paid"), network=home,
                                            acting_user=admin)
        _consent(leader)


def _recruit(network: Network, rng: random.Random, count: int, status: str, admin: User) -> list[Leader]:
    """Leaders of the programme's département with this status, adding some when too few."""
    have = list(Leader.objects.filter(memberships__network=network, memberships__status=status).order_by("id"))
    spare = list(Leader.objects.filter(company__department_id__in=["86"]).exclude(
        memberships__network=network).exclude(user__sponsored_groups__isnull=False)
        .select_related("company__commune").order_by("id"))
    rng.shuffle(spare)
    if status == MembershipStatus.CANDIDATE and network.home_commune and network.home_commune.latitude is not None:
        # candidates live around the programme's main place: the groups to form can meet within 40 km
        home = network.home_commune
        spare.sort(key=lambda x: haversine_km(home.latitude, home.longitude, x.company.commune.latitude or 0,
                                              x.company.commune.longitude or 0))
    for leader in spare[: max(0, count - len(have))]:
        do_add_membership(leader, network, status=status, acting_user=admin)
        have.append(leader)
    return have[:count] if status == MembershipStatus.ACTIVE else have


def _group(network: Network, name: str, start: datetime.date, members: list[Leader], facilitator: User,
           sponsors: list[User], place: str, admin: User, slot: str) -> PeerGroup:
    group = PeerGroup.objects.create(network=network, name=name, cycle_start=start,
                                     cycle_end=start.replace(year=start.year + 2), facilitator=facilitator,
                                     meeting_place=place, commune=members[0].company.commune, meeting_slot=slot)
    group.sponsors.set(sponsors)
    for leader in members:
        GroupMember.objects.create(group=group, leader=leader, fee_status="paid" if leader.pk % 4 else "due")
    weekday, nth = parse_slot(slot)
    do_create_monthly_meetings(group, acting_user=admin, weekday=weekday, nth=nth)
    return group


def _resources(network: Network, rng: random.Random, admin: User) -> None:
    """Sponsors and a second facilitator for the groups still to form: leaders of the Vienne,
    with larger companies, outside the programme; the facilitators' slots."""
    outside = list(Leader.objects.filter(company__department_id="86").exclude(memberships__network=network)
                   .exclude(user__network_roles__network=network).select_related("company").order_by("id"))
    outside.sort(key=lambda x: (HEADCOUNT_ORDER.index(x.company.headcount) if x.company.headcount in HEADCOUNT_ORDER
                                else 0), reverse=True)
    for leader in outside[:DEMO_SPONSORS]:
        NetworkRole.objects.get_or_create(network=network, user=leader.user, role=Role.SPONSOR)
    for leader in outside[DEMO_SPONSORS:DEMO_SPONSORS + 1]:
        NetworkRole.objects.get_or_create(network=network, user=leader.user, role=Role.FACILITATOR)
        FacilitatorOffer.objects.get_or_create(network=network, user=leader.user,
                                               defaults={"capacity": 2, "slots": "mon-2;wed-2;fri-4"})
    first = User.objects.get(email="animateur@demo.meute.example")
    FacilitatorOffer.objects.get_or_create(network=network, user=first,
                                           defaults={"capacity": 4, "slots": "tue-1;thu-3;tue-3;thu-1"})


REGULAR = [8, 1.5, 0.5]  # present, excused, absent
IRREGULAR = [2, 0.5, 7.5]  # the members the cockpit should show at risk


def _attendance(meeting, members: list, irregular: set[int], rng: random.Random) -> None:
    for member in members:
        weights = IRREGULAR if member.leader_id in irregular else REGULAR
        status = rng.choices([AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT], weights)[0]
        Attendance.objects.create(meeting=meeting, leader=member.leader, status=status)
        if status == AttendanceStatus.ABSENT and rng.random() < 0.3:  # some said "I can't" beforehand
            MeetingReply.objects.create(meeting=meeting, leader=member.leader, answer=ReplyAnswer.NOT_COMING,
                                        answered_at=meeting.starts_at - datetime.timedelta(days=2))


def _live(group: PeerGroup, rng: random.Random, *, keep_last_open: bool = False) -> None:
    """Past meetings with attendance, a topic and minutes (some members come rarely: they are
    at risk); the next meeting with topics, votes and a few answers. With ``keep_last_open``
    the last past meeting waits for its attendance and minutes."""
    members = list(group.members.select_related("leader__user").order_by("id"))
    demo_member = Leader.objects.filter(user__email="membre@demo.meute.example").values_list("pk", flat=True).first()
    irregular = {m.leader_id for m in members[-2:] if m.leader_id != demo_member}
    now = timezone.now()
    past = [m for m in group.meetings.all() if m.starts_at < now]
    for meeting in past:
        if keep_last_open and meeting == past[-1]:
            continue
        _attendance(meeting, members, irregular, rng)
        topic = Topic.objects.create(meeting=meeting, proposed_by=rng.choice(members).leader.user,
                                     title=rng.choice(TOPICS), position=1)
        meeting.minutes = (f"Tour de table. Sujet principal : {topic.title}. Chacun a partagé son expérience ; "
                           "pistes retenues ci-dessous.")
        meeting.save(update_fields=["minutes"])
        ActionItem.objects.create(meeting=meeting, text="Partager les contacts évoqués",
                                  owner=rng.choice(members).leader, done=True)
    upcoming = group.meetings.filter(starts_at__gte=now).first()
    if upcoming is not None and not upcoming.topics.exists():
        for title in rng.sample(TOPICS, 3):
            topic = Topic.objects.create(meeting=upcoming, proposed_by=rng.choice(members).leader.user, title=title)
            for member in rng.sample(members, rng.randint(1, 5)):
                if member.leader_id != demo_member:
                    TopicVote.objects.get_or_create(topic=topic, user=member.leader.user)
        others = [m for m in members if m.leader_id != demo_member]
        for member in rng.sample(others, min(4, len(others))):
            MeetingReply.objects.create(meeting=upcoming, leader=member.leader, answered_at=now,
                                        answer=rng.choice([ReplyAnswer.COMING, ReplyAnswer.COMING,
                                                           ReplyAnswer.NOT_COMING]))


@transaction.atomic
def load_demo_programme(seed: int = 2026) -> list[PeerGroup]:
    rng = random.Random(seed)
    network = Network.objects.get(slug="plato-vienne")
    admin = User.objects.get(email="admin@demo.meute.example")
    facilitator = User.objects.get(email="animateur@demo.meute.example")
    sponsor = User.objects.get(email="parrain@demo.meute.example")
    member = Leader.objects.get(user__email="membre@demo.meute.example")
    second_sponsor = Leader.objects.filter(company__headcount__in=["100-249", "250-499", "500+"]).exclude(
        pk=member.pk).exclude(user=sponsor).order_by("id").first()
    sponsors = [sponsor] + ([second_sponsor.user] if second_sponsor else [])
    if second_sponsor:
        NetworkRole.objects.get_or_create(network=network, user=second_sponsor.user, role=Role.SPONSOR)
    local = Leader.objects.filter(company__department_id="86").count()
    if local < LOCAL_LEADERS:
        _local_leaders(network, rng, LOCAL_LEADERS - local, admin)
    active = [x for x in _recruit(network, rng, 22, MembershipStatus.ACTIVE, admin) if x.pk != member.pk]
    active = [x for x in active if x.user_id not in {s.pk for s in sponsors}]
    older = _group(network, "Groupe 1 — Poitiers", _month_start(14), [member, *active[:10]], facilitator,
                   sponsors, "CCI de la Vienne, Poitiers", admin, "tue-1")
    newer = _group(network, "Groupe 2 — Châtellerault", _month_start(3), active[10:21], facilitator,
                   sponsors, "Maison des entreprises, Châtellerault", admin, "thu-3")
    _live(older, rng)
    _live(newer, rng, keep_last_open=True)
    candidates = _recruit(network, rng, DEMO_CANDIDATES, MembershipStatus.CANDIDATE, admin)
    for leader in candidates:
        membership = Membership.objects.get(leader=leader, network=network)
        if membership.status != MembershipStatus.CANDIDATE:
            do_set_membership_status(membership, MembershipStatus.CANDIDATE, acting_user=admin)
    _resources(network, rng, admin)
    for leader in Leader.objects.filter(memberships__network=network):
        refresh_directory_flag(leader)
    start = timezone.now().replace(hour=17, minute=0, second=0, microsecond=0) + datetime.timedelta(days=40)
    plenary = Plenary.objects.create(network=network, level=PlenaryLevel.REGION, title="Plénière régionale Plato",
                                     starts_at=start, ends_at=start + datetime.timedelta(hours=3),
                                     place="Futuroscope, Chasseneuil-du-Poitou")
    plenary.groups.set([older, newer])
    plenary.presented_networks.set(Network.objects.exclude(pk=network.pk).order_by("name")[:3])
    return [older, newer]

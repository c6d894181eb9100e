"""A published group's life: staff change its facilitator, meeting place, visio link and
monthly slot (future meetings follow, past ones stay), a member leaves with a reason, and a
replacement is proposed from the waiting candidates with the engine's checks, then invited."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meute.core.audit import diff, log_action, snapshot
from meute.matching.grouping import CompetitorRule, DiversityWeights, diversity_matrix, find_competitors, haversine_km
from meute.members.access import touch_leaders
from meute.members.models import Leader, Membership, MembershipStatus, NetworkRole, Role
from meute.notifications.models import Kind
from meute.notifications.services import Text, notify
from meute.peergroups import permissions
from meute.peergroups.exceptions import PeerGroupError
from meute.peergroups.formation import (
    DEFAULT_MAX_KM,
    candidate_leaders,
    conflict_reason,
    km_text,
    parse_slot,
    slot_label,
    to_candidate,
)
from meute.peergroups.meetings import nth_weekday
from meute.peergroups.models import GroupMember, GroupMemberStatus, PeerGroup

MAX_GROUP_SIZE = 12
GROUP_FIELDS = ["facilitator_id", "meeting_place", "visio_url", "meeting_slot", "venue_id", "commune_id"]


def _staff(group: PeerGroup, user: Any) -> None:
    if not permissions.runs_programme(user, group.network):
        raise PeerGroupError(_("Only the programme's staff may change a group."))
    if group.ended:
        raise PeerGroupError(_("This group's cycle is over."))


def _name(user: Any) -> str:
    return user.get_full_name() or user.email


def check_edit_group(group: PeerGroup, *, acting_user: Any, facilitator_id: int | None, meeting_place: str,
                     visio_url: str, slot: str, venue_id: int | None = None) -> PeerGroup:
    """Validate a change of facilitator, place or venue, visio link or slot, then make it."""
    _staff(group, acting_user)
    if venue_id is not None and not group.network.venues.filter(pk=venue_id).exists():
        raise PeerGroupError(_("This venue is not on the programme's list."), field="venue")
    if parse_slot(slot) is None:
        raise PeerGroupError(_("Unknown slot %(s)s: a weekday and a week of the month, such as tue-1.")
                             % {"s": slot}, field="slot")
    if facilitator_id is not None and not NetworkRole.objects.filter(
            network=group.network, user_id=facilitator_id, role=Role.FACILITATOR).exists():
        raise PeerGroupError(_("This person is not a facilitator of the programme."), field="facilitator")
    with transaction.atomic():
        # the programme's running groups, locked: two staff cannot give one facilitator the same slot twice
        list(PeerGroup.objects.select_for_update().filter(network=group.network, ended=False).order_by("pk"))
        _slot_clash(group, facilitator_id, slot)
        return do_edit_group(group, acting_user=acting_user, facilitator_id=facilitator_id,
                             meeting_place=meeting_place.strip(), visio_url=visio_url.strip(), slot=slot,
                             venue_id=venue_id)


def _slot_clash(group: PeerGroup, facilitator_id: int | None, slot: str) -> None:
    """Refuse a slot that another running group of the facilitator or of a sponsor already has."""
    running = PeerGroup.objects.filter(network=group.network, ended=False, meeting_slot=slot).exclude(pk=group.pk)
    if facilitator_id is not None:
        _facilitator_capacity(group, facilitator_id)
        clash = running.filter(facilitator_id=facilitator_id).first()
        if clash:
            raise PeerGroupError(_("%(p)s already leads %(g)s in this slot (%(s)s).") % {
                "p": _name(clash.facilitator), "g": clash.name, "s": slot_label(slot)}, field="slot")
    for sponsor in group.sponsors.all():
        clash = running.filter(sponsors=sponsor).first()
        if clash:
            raise PeerGroupError(_("The sponsor %(p)s already meets %(g)s in this slot (%(s)s).") % {
                "p": _name(sponsor), "g": clash.name, "s": slot_label(slot)}, field="slot")


def _facilitator_capacity(group: PeerGroup, facilitator_id: int) -> None:
    """Refuse a facilitator who already leads as many running groups as their offer (default 2) allows."""
    from meute.peergroups.formation import FACILITATOR_CAPACITY
    from meute.peergroups.models import FacilitatorOffer

    offer = FacilitatorOffer.objects.filter(network=group.network, user_id=facilitator_id).first()
    capacity = offer.capacity if offer else FACILITATOR_CAPACITY
    theirs = list(PeerGroup.objects.filter(network=group.network, ended=False, facilitator_id=facilitator_id
                                           ).exclude(pk=group.pk).order_by("pk"))
    if len(theirs) >= capacity:
        who = NetworkRole.objects.filter(user_id=facilitator_id).select_related("user").first()
        raise PeerGroupError(_("%(p)s already leads %(n)s group(s), their capacity: %(g)s.") % {
            "p": _name(who.user), "n": len(theirs), "g": ", ".join(g.name for g in theirs) or "—"},
            field="facilitator")


@transaction.atomic
def do_edit_group(group: PeerGroup, *, acting_user: Any, facilitator_id: int | None, meeting_place: str,
                  visio_url: str, slot: str, venue_id: int | None = None) -> PeerGroup:
    locked = PeerGroup.objects.select_for_update().get(pk=group.pk)
    before = snapshot(locked, GROUP_FIELDS)
    locked.facilitator_id, locked.meeting_place, locked.visio_url = facilitator_id, meeting_place, visio_url
    locked.meeting_slot = slot
    if venue_id is not None and venue_id != locked.venue_id:
        venue = locked.network.venues.select_related("commune").get(pk=venue_id)
        locked.venue, locked.commune = venue, venue.commune
        locked.meeting_place = ", ".join(x for x in (venue.name, venue.address, venue.commune.name) if x)[:200]
    elif venue_id is None:
        locked.venue = None
    locked.save(update_fields=["facilitator", "meeting_place", "visio_url", "meeting_slot", "venue", "commune"])
    changes = diff(before, snapshot(locked, GROUP_FIELDS))
    moved = _follow(locked, slot) if {"meeting_slot", "meeting_place", "visio_url"} & set(changes) else 0
    log_action("peergroups.group.edited", actor=acting_user, obj=locked, data={"future_meetings": moved},
               changes=changes)
    if changes:
        _tell_group(locked, Text(gettext_lazy("Your peer group %(g)s has changed"), g=locked.name),
                    Text(gettext_lazy("Facilitator: %(f)s. Meeting place: %(p)s. Monthly slot: %(s)s. "
                                      "The next meetings follow."),
                         f=_name(locked.facilitator) if locked.facilitator else "—",
                         p=locked.meeting_place or "—", s=_Said(lambda: slot_label(slot))), actor=acting_user)
    for field in ("facilitator_id", "meeting_place", "visio_url", "meeting_slot", "venue_id", "commune_id"):
        setattr(group, field, getattr(locked, field))
    return group


def _follow(group: PeerGroup, slot: str) -> int:
    """Meetings not yet started take the group's slot, place and visio link; past ones stay."""
    weekday, nth = parse_slot(slot)
    moved = 0
    for meeting in group.meetings.filter(starts_at__gt=timezone.now()):
        local = timezone.localtime(meeting.starts_at)
        day = nth_weekday(local.year, local.month, weekday, nth)
        length = meeting.ends_at - meeting.starts_at
        start = timezone.make_aware(datetime.datetime.combine(day, local.time().replace(tzinfo=None)))
        if start <= timezone.now():
            continue
        meeting.starts_at, meeting.ends_at = start, start + length
        meeting.place, meeting.visio_url = group.meeting_place, group.visio_url
        meeting.save(update_fields=["starts_at", "ends_at", "place", "visio_url"])
        moved += 1
    return moved


class _Said:
    """A value of a :class:`Text` worked out in the reader's language (a slot's label, a name list)."""

    def __init__(self, say: Callable[[], str]) -> None:
        self.say = say

    def __str__(self) -> str:
        return self.say()


def _tell_people(people: Any, group: PeerGroup, subject: Text, body: Text, *, actor: Any) -> None:
    """Notify each person about the group (``Kind.GROUP_CHANGED``): in the app, and by e-mail at once or
    in the weekly digest as they chose, in their own language, with a link to the group's page and the
    e-mail's unsubscribe links."""
    notify(people, Kind.GROUP_CHANGED, obj=group, url=reverse("web:group", args=[group.pk]), title=subject,
           body=body, actor=actor)


def _tell_group(group: PeerGroup, subject: Text, body: Text, *, actor: Any) -> None:
    """Tell the group's active members and its facilitator about a change of the group."""
    ids = set(group.members.filter(status=GroupMemberStatus.ACTIVE).values_list("leader__user_id", flat=True))
    if group.facilitator_id:
        ids.add(group.facilitator_id)
    _tell_people(sorted(ids), group, subject, body, actor=actor)


def check_member_leaves(member: GroupMember, *, acting_user: Any, reason: str) -> GroupMember:
    """A member leaves the group during the cycle; the reason is kept."""
    _staff(member.group, acting_user)
    if not reason.strip():
        raise PeerGroupError(_("Say why %(n)s leaves the group.") % {"n": member.leader.full_name}, field="reason")
    with transaction.atomic():
        locked = GroupMember.objects.select_for_update().get(pk=member.pk)
        if locked.status != GroupMemberStatus.ACTIVE:
            raise PeerGroupError(_("%(n)s is no longer an active member.") % {"n": member.leader.full_name})
        before = snapshot(locked, ["status", "left_reason"])
        locked.status, locked.left_reason = GroupMemberStatus.LEFT, reason.strip()[:300]
        locked.save(update_fields=["status", "left_reason"])
        log_action("peergroups.member.left", actor=acting_user, obj=locked.group,
                   data={"leader": locked.leader_id, "reason": locked.left_reason},
                   changes=diff(before, snapshot(locked, ["status", "left_reason"])))
        _tell_group(locked.group, Text(gettext_lazy("A member leaves %(g)s"), g=locked.group.name),
                    Text(gettext_lazy("%(n)s leaves the group."), n=locked.leader.full_name), actor=acting_user)
    return locked


@dataclass(frozen=True)
class Replacement:
    leader: Leader
    km: float | None
    gain: float
    blockers: list[str]


def _blockers(group: PeerGroup, leader: Leader, members: list[Leader]) -> tuple[list[str], float | None, float]:
    """Why ``leader`` cannot join ``group`` (competitor, declared conflict, distance), their
    distance to the meeting commune, and the diversity they bring."""
    people = [to_candidate(x) for x in members] + [to_candidate(leader)]
    found = []
    for c in find_competitors(people, CompetitorRule(max_km=30)):
        if len(people) - 1 in (c.a, c.b):
            other = members[c.a if c.b == len(people) - 1 else c.b]
            found.append(_("%(a)s is a competitor of %(b)s (%(why)s).") % {
                "a": leader.full_name, "b": other.full_name, "why": conflict_reason(c.reason)})
    from meute.peergroups.conflicts import confirmed_pairs

    for other in members:
        why = confirmed_pairs(group.network).get(frozenset((leader.pk, other.pk)))
        if why:
            found.append(_("%(a)s has a declared conflict with %(b)s (%(why)s).") % {
                "a": leader.full_name, "b": other.full_name, "why": why})
    km = None
    here, place = (leader.company.commune if leader.company else None), group.commune
    if here is not None and place is not None and here.latitude is not None and place.latitude is not None:
        km = round(haversine_km(here.latitude, here.longitude, place.latitude, place.longitude), 1)
        if km > DEFAULT_MAX_KM:
            found.append(_("%(a)s lives %(km)s km from the meeting place, beyond %(max)s km.") % {
                "a": leader.full_name, "km": km_text(km), "max": f"{DEFAULT_MAX_KM:g}"})
    d = diversity_matrix(people, DiversityWeights())
    return found, km, float(d[-1, :-1].sum())


def replacements(group: PeerGroup) -> list[Replacement]:
    """Waiting candidates of the programme, the compatible ones first, by diversity gained."""
    members = [m.leader for m in group.members.filter(status=GroupMemberStatus.ACTIVE).select_related(
        "leader__company__commune", "leader__user")]
    out = []
    for leader in candidate_leaders(group.network):
        blockers, km, gain = _blockers(group, leader, members)
        out.append(Replacement(leader, km, round(gain, 1), blockers))
    return sorted(out, key=lambda r: (bool(r.blockers), -r.gain))


def check_add_replacement(group: PeerGroup, leader: Leader, *, acting_user: Any) -> GroupMember:
    """Invite a waiting candidate into the group, after the engine's checks."""
    _staff(group, acting_user)
    if not Membership.objects.filter(leader=leader, network=group.network,
                                     status=MembershipStatus.CANDIDATE).exists():
        raise PeerGroupError(_("%(n)s is not a waiting candidate of the programme.") % {"n": leader.full_name})
    with transaction.atomic():
        PeerGroup.objects.select_for_update().filter(pk=group.pk).first()
        members = [m.leader for m in group.members.filter(status=GroupMemberStatus.ACTIVE).select_related(
            "leader__company__commune")]
        if len(members) >= MAX_GROUP_SIZE:
            raise PeerGroupError(_("%(g)s is full (%(n)s members).") % {"g": group.name, "n": len(members)})
        blockers, _km, gain = _blockers(group, leader, members)
        if blockers:
            raise PeerGroupError(" ".join(blockers))
        member, _created = GroupMember.objects.update_or_create(
            group=group, leader=leader, defaults={"status": GroupMemberStatus.ACTIVE, "left_reason": ""})
        Membership.objects.filter(leader=leader, network=group.network).update(status=MembershipStatus.ACTIVE)
        touch_leaders([leader.pk])  # an update sends no signal
        log_action("peergroups.member.replaced", actor=acting_user, obj=group,
                   data={"leader": leader.pk, "diversity_gained": round(gain, 1)},
                   changes={f"member {leader.pk}": [None, GroupMemberStatus.ACTIVE]})
        _tell_group(group, Text(gettext_lazy("A new member joins %(g)s"), g=group.name),
                    Text(gettext_lazy("%(n)s joins the group."), n=leader.full_name), actor=acting_user)
        _tell_people([leader.user], group, Text(gettext_lazy("Your peer group: %(g)s"), g=group.name),
                     Text(gettext_lazy("You join %(g)s. Your facilitator will send you the next meeting's details."),
                          g=group.name), actor=acting_user)
    return member


def check_add_venue(network: Any, *, acting_user: Any, name: str, kind: str, commune_code: str,
                    address: str = "") -> Any:
    """A place where the programme's groups can meet."""
    from meute.peergroups.models import Venue, VenueKind
    from meute.territory.models import Commune

    if not permissions.runs_programme(acting_user, network):
        raise PeerGroupError(_("Only the programme's staff may keep the list of venues."))
    if not name.strip():
        raise PeerGroupError(_("Give the venue a name."), field="name")
    if kind not in VenueKind.values:
        raise PeerGroupError(_("Choose the kind of venue."), field="kind")
    commune = Commune.objects.filter(pk=(commune_code or "").strip()).first()
    if commune is None or commune.latitude is None:
        raise PeerGroupError(_("Unknown commune %(c)s (an INSEE code such as 86194).") % {"c": commune_code},
                             field="commune")
    with transaction.atomic():
        venue = Venue.objects.create(network=network, name=name.strip()[:120], kind=kind, commune=commune,
                                     address=address.strip()[:200])
        log_action("peergroups.venue.added", actor=acting_user, obj=venue,
                   changes={"name": [None, venue.name], "commune": [None, commune.pk]})
    return venue


def nearest_venue(venues: list[Any], members: list[Leader], max_km: float) -> Any:
    """The venue nearest to the members on average with every member within ``max_km``, or None."""
    best, best_total = None, None
    for venue in venues:
        c = venue.commune
        kms = [haversine_km(c.latitude, c.longitude, m.company.commune.latitude, m.company.commune.longitude)
               for m in members if m.company and m.company.commune.latitude is not None]
        if not kms or max(kms) > max_km:
            continue
        if best_total is None or sum(kms) < best_total:
            best, best_total = venue, sum(kms)
    return best


def _competing_sponsor(group: PeerGroup, sponsor_ids: list[int]) -> str | None:
    """Why one of these sponsors may not sponsor ``group``: their company competes with a member's (the
    engine's competitor rule for sponsors); None when none does."""
    from meute.matching.grouping.sponsors import SponsorCandidate, sponsor_conflict

    members = [m.leader for m in group.members.filter(status=GroupMemberStatus.ACTIVE).select_related(
        "leader__company__commune", "leader__user").order_by("leader__sort_name")]
    people = [to_candidate(m) for m in members]
    rule = CompetitorRule(max_km=30)
    sponsors = Leader.objects.filter(user_id__in=sponsor_ids, company__isnull=False).select_related(
        "company__commune", "user").order_by("sort_name")
    for sponsor in sponsors:
        commune = sponsor.company.commune
        candidate = SponsorCandidate(id=f"sponsor-{sponsor.user_id}", lat=commune.latitude, lon=commune.longitude,
                                     naf=sponsor.company.naf_code)
        for member, person in zip(members, people, strict=True):
            why = sponsor_conflict(candidate, person, rule, set())
            if why:
                return _("The sponsor %(p)s is a competitor of %(m)s, a member of the group (%(why)s).") % {
                    "p": sponsor.full_name, "m": member.full_name, "why": conflict_reason(why)}
    return None


def check_set_sponsors(group: PeerGroup, sponsor_ids: list[int], *, acting_user: Any) -> PeerGroup:
    """A published group's sponsors: programme sponsors, within their capacity, never two groups in one slot,
    never a competitor of a member."""
    from meute.peergroups.formation import SPONSOR_CAPACITY

    _staff(group, acting_user)
    wanted = sorted(set(sponsor_ids))
    if len(wanted) > 3:
        raise PeerGroupError(_("A group has at most 3 sponsors."), field="sponsors")
    known = set(NetworkRole.objects.filter(network=group.network, role=Role.SPONSOR, user_id__in=wanted)
                .values_list("user_id", flat=True))
    if set(wanted) - known:
        raise PeerGroupError(_("Only the programme's sponsors can sponsor a group."), field="sponsors")
    with transaction.atomic():
        list(PeerGroup.objects.select_for_update().filter(network=group.network, ended=False).order_by("pk"))
        clash = _competing_sponsor(group, wanted)
        if clash:
            raise PeerGroupError(clash, field="sponsors")
        others = PeerGroup.objects.filter(network=group.network, ended=False).exclude(pk=group.pk)
        for sponsor_id in wanted:
            theirs = list(others.filter(sponsors=sponsor_id))
            who = next(r.user for r in NetworkRole.objects.filter(user_id=sponsor_id).select_related("user")[:1])
            if len(theirs) >= SPONSOR_CAPACITY:
                raise PeerGroupError(_("%(p)s already sponsors %(n)s groups, their capacity.")
                                     % {"p": _name(who), "n": len(theirs)}, field="sponsors")
            clash = next((g for g in theirs if g.meeting_slot and g.meeting_slot == group.meeting_slot), None)
            if clash:
                raise PeerGroupError(_("The sponsor %(p)s already meets %(g)s in this slot (%(s)s).") % {
                    "p": _name(who), "g": clash.name, "s": slot_label(group.meeting_slot)}, field="sponsors")
        before = sorted(group.sponsors.values_list("pk", flat=True))
        group.sponsors.set(wanted)
        log_action("peergroups.group.sponsors", actor=acting_user, obj=group, changes={"sponsors": [before, wanted]})
        if before != wanted:
            names = ", ".join(_name(u) for u in group.sponsors.all()) or "—"
            _tell_group(group, Text(gettext_lazy("Your peer group %(g)s has changed"), g=group.name),
                        Text(gettext_lazy("Sponsors: %(s)s."), s=names), actor=acting_user)
    return group

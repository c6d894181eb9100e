"""Reads of the peer-group programme, each checking who asks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from meute.core.permissions import is_site_admin, not_found
from meute.members.models import Membership, MembershipStatus, Network
from meute.members.permissions import staff_network_ids
from meute.peergroups import permissions
from meute.peergroups.models import (
    Attendance,
    FormationRun,
    GroupMember,
    GroupMemberStatus,
    Meeting,
    MeetingReply,
    PeerGroup,
    Plenary,
    ReplyAnswer,
    Topic,
)


def access_programme(user: Any, network: Network) -> Network:
    if not (network.runs_peer_groups and permissions.runs_programme(user, network)):
        raise not_found()
    return network


def list_candidates(user: Any, network: Network) -> QuerySet[Membership]:
    access_programme(user, network)
    return (network.memberships.filter(status=MembershipStatus.CANDIDATE)
            .select_related("leader__user", "leader__company__commune").order_by("leader__sort_name"))


def access_run(user: Any, run_id: int) -> FormationRun:
    run = FormationRun.objects.select_related("network").filter(pk=run_id).first()
    if run is None or not permissions.runs_programme(user, run.network):
        raise not_found()
    return run


def list_my_groups(user: Any) -> QuerySet[PeerGroup]:
    """Groups the person belongs to, facilitates, sponsors or runs."""
    if not user.is_authenticated:
        return PeerGroup.objects.none()
    visible = (Q(members__leader__user=user, members__status__in=[GroupMemberStatus.ACTIVE,
                                                                    GroupMemberStatus.ALUMNI])
               | Q(facilitator=user) | Q(sponsors=user))
    if is_site_admin(user):
        visible = Q()
    else:
        visible |= Q(network_id__in=staff_network_ids(user))
    return PeerGroup.objects.filter(visible).distinct().select_related("network").order_by("name")


def fellow_member_ids(leader_id: int) -> set[int]:
    """Leaders who share or shared a peer group with ``leader_id`` (what that leader knows
    already; used to leave them out of suggestions, never shown)."""
    mine = GroupMember.objects.filter(leader_id=leader_id).values("group_id")
    fellows = set(GroupMember.objects.filter(group_id__in=mine).values_list("leader_id", flat=True))
    fellows.discard(leader_id)
    return fellows


def access_group(user: Any, group_id: int) -> PeerGroup:
    group = PeerGroup.objects.select_related("network", "facilitator", "commune").filter(pk=group_id).first()
    if group is None or not permissions.can_see_group(user, group):
        raise not_found()
    return group


def access_meeting(user: Any, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_related("group__network").filter(pk=meeting_id).first()
    if meeting is None or not permissions.can_see_group(user, meeting.group):
        raise not_found()
    return meeting


def agenda(meeting: Meeting) -> list[Topic]:
    """Urgent topics first, then the facilitator's order, then by votes."""
    topics = list(meeting.topics.annotate(vote_count=Count("votes")).select_related("proposed_by"))
    return sorted(topics, key=lambda t: (not t.urgent, t.position if t.position is not None else 10_000,
                                         -t.vote_count, t.created))


def next_meeting(group: PeerGroup) -> Meeting | None:
    return group.meetings.filter(ends_at__gte=timezone.now()).first()


def next_meetings(groups: list[PeerGroup]) -> dict[int, Meeting]:
    """The next meeting (not over yet) of each of ``groups``, by group id, in one query."""
    first: dict[int, Meeting] = {}
    if not groups:
        return first
    coming = Meeting.objects.filter(group_id__in=[g.pk for g in groups], ends_at__gte=timezone.now())
    for meeting in coming.order_by("group_id", "starts_at", "pk"):
        first.setdefault(meeting.group_id, meeting)
    return first


def meeting_readiness(meetings: list[Meeting]) -> dict[int, dict[str, int]]:
    """For each of ``meetings``, by id: its topics, their votes, how many are ordered, and the
    members' answers (coming, can't), in two queries."""
    ids = [m.pk for m in meetings]
    ready = {pk: {"topics": 0, "votes": 0, "ordered": 0, "coming": 0, "not_coming": 0} for pk in ids}
    if not ids:
        return ready
    topics = (Topic.objects.filter(meeting_id__in=ids).order_by().values("meeting_id")
              .annotate(topics=Count("pk", distinct=True), votes=Count("votes"),
                        ordered=Count("pk", filter=Q(position__isnull=False), distinct=True)))
    answers = (MeetingReply.objects.filter(meeting_id__in=ids).order_by().values("meeting_id")
               .annotate(coming=Count("pk", filter=Q(answer=ReplyAnswer.COMING)),
                         not_coming=Count("pk", filter=Q(answer=ReplyAnswer.NOT_COMING))))
    for row in [*topics, *answers]:
        ready[row.pop("meeting_id")].update(row)
    return ready


def list_group_plenaries(user: Any, group: PeerGroup) -> QuerySet[Plenary]:
    return group.plenaries.all().prefetch_related("presented_networks")


@dataclass(frozen=True)
class FeeLine:
    group: PeerGroup
    members: int
    paid: int
    due: int
    amount_due: float


def fee_report(user: Any, network: Network) -> list[FeeLine]:
    access_programme(user, network)
    lines = []
    for group in network.peer_groups.filter(ended=False).prefetch_related("members"):
        members = [m for m in group.members.all() if m.status == GroupMemberStatus.ACTIVE]
        paid = sum(1 for m in members if m.fee_status == "paid")
        due = sum(1 for m in members if m.fee_status == "due")
        lines.append(FeeLine(group, len(members), paid, due, float(network.fee_amount) * due))
    return lines


def networks_to_continue(group: PeerGroup) -> QuerySet[Network]:
    """Networks of the members' départements (other than peer programmes) to go on with after a cycle."""
    from meute.members.models import NetworkFamily

    departments = list(group.members.values_list("leader__company__department_id", flat=True))
    return (Network.objects.exclude(family=NetworkFamily.PEER).filter(departments__in=departments)
            .distinct().order_by("name")[:8])


def list_attendance(user: Any, group: PeerGroup) -> QuerySet[Attendance]:
    """Every attendance record of a group, for its facilitator and the programme's staff only."""
    if not permissions.can_lead_meetings(user, group):
        raise not_found()
    return (Attendance.objects.filter(meeting__group=group).select_related("meeting", "leader__user")
            .order_by("meeting__starts_at", "leader__sort_name"))


def list_declared_conflicts(user: Any, network: Network) -> QuerySet:
    """The pairs declared in a programme, for its staff only (declarations are private to them)."""
    from meute.peergroups.models import DeclaredConflict

    if not permissions.runs_programme(user, network):
        return DeclaredConflict.objects.none()
    return (DeclaredConflict.objects.filter(network=network)
            .select_related("leader", "other", "confirmed_by").order_by("confirmed_at", "-created"))


def access_declared_conflict(user: Any, network: Network, conflict_id: int) -> Any:
    """One declared pair of the programme, for its staff; "not found" for anyone else."""
    found = list_declared_conflicts(user, network).filter(pk=conflict_id).first()
    if found is None:
        raise not_found()
    return found


# ----------------------------------------------------------------------------- the home page

def list_my_next_meetings(user: Any) -> list[Meeting]:
    """The next meeting of each running group where the person is an active member."""
    if not user.is_authenticated:
        return []
    groups = PeerGroup.objects.filter(members__leader__user=user, members__status=GroupMemberStatus.ACTIVE,
                                      ended=False)
    meetings = (Meeting.objects.filter(group__in=groups, ends_at__gte=timezone.now())
                .select_related("group").order_by("group_id", "starts_at"))
    first: dict[int, Meeting] = {}
    for meeting in meetings:
        first.setdefault(meeting.group_id, meeting)
    return sorted(first.values(), key=lambda m: m.starts_at)


def list_topics_to_vote(user: Any) -> QuerySet[Topic]:
    """Topics of my groups' coming meetings that I neither proposed nor voted for."""
    if not user.is_authenticated:
        return Topic.objects.none()
    return (Topic.objects.filter(meeting__group__members__leader__user=user,
                                 meeting__group__members__status=GroupMemberStatus.ACTIVE,
                                 meeting__group__ended=False, meeting__ends_at__gte=timezone.now())
            .exclude(votes__user=user).exclude(proposed_by=user)
            .select_related("meeting__group").order_by("meeting__starts_at", "created"))


def list_led_groups(user: Any) -> QuerySet[PeerGroup]:
    """Running groups the person facilitates or sponsors."""
    if not user.is_authenticated:
        return PeerGroup.objects.none()
    return (PeerGroup.objects.filter(Q(facilitator=user) | Q(sponsors=user), ended=False).distinct()
            .select_related("network").order_by("name"))


def list_meetings_to_close(user: Any) -> tuple[list[Meeting], list[Meeting]]:
    """For the groups the person facilitates: past meetings without attendance, and without minutes."""
    if not user.is_authenticated:
        return [], []
    past = (Meeting.objects.filter(group__facilitator=user, group__ended=False, starts_at__lte=timezone.now())
            .select_related("group").order_by("-starts_at"))
    no_attendance = list(past.exclude(Exists(Attendance.objects.filter(meeting_id=OuterRef("pk"))))[:20])
    no_minutes = list(past.filter(minutes="")[:20])
    return no_attendance, no_minutes

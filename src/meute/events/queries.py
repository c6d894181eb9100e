"""Reads of events, registrations and plans, each checking who asks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from meute.accounts.models import User
from meute.core.permissions import is_site_admin, not_found
from meute.events import permissions
from meute.events.models import Audience, Event, PlanStatus, Registration, RegistrationStatus, RotationPlan
from meute.members import permissions as members


@dataclass(frozen=True)
class EventFilters:
    kind: str = ""
    network: int | None = None
    when: str = "upcoming"  # upcoming | past | all
    q: str = ""


def _visible(user: Any) -> Q:
    if is_site_admin(user):
        return Q()
    visible = Q(audience=Audience.PUBLIC)
    if user.is_authenticated:
        networks = members.member_network_ids(user) | members.role_network_ids(user)
        visible |= Q(network_id__in=networks)
    return visible


def list_events(user: Any, filters: EventFilters | None = None) -> QuerySet[Event]:
    filters = filters or EventFilters()
    qs = Event.objects.filter(_visible(user)).select_related("network", "commune")
    now = timezone.now()
    if filters.when == "upcoming":
        qs = qs.filter(ends_at__gte=now)
    elif filters.when == "past":
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.network:
        qs = qs.filter(network_id=filters.network)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(themes__icontains=filters.q))
    return qs


def list_month(user: Any, year: int, month: int) -> QuerySet[Event]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=tz)
    end = datetime.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return list_events(user, EventFilters(when="all")).filter(starts_at__gte=start, starts_at__lt=end)


def access_event(user: Any, event_id: int) -> Event:
    event = Event.objects.select_related("network", "commune").filter(pk=event_id).first()
    if event is None or not permissions.can_see_event(user, event):
        raise not_found()
    return event


def access_managed_event(user: Any, event_id: int) -> Event:
    event = access_event(user, event_id)
    if not permissions.can_manage_event(user, event):
        raise not_found()
    return event


def my_registration(user: Any, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return event.registrations.filter(user=user).first()


def list_registrations(user: Any, event: Event) -> QuerySet[Registration]:
    """Every registration of an event, for its staff only."""
    if not permissions.can_manage_event(user, event):
        return Registration.objects.none()
    return event.registrations.select_related("user__leader__company").order_by("seq")


def list_wish_choices(user: Any, event: Event) -> list[tuple[int, str]]:
    """Whom ``user`` may ask to meet at a speed meeting, as (user id, name): its confirmed participants
    that ``user`` may see elsewhere too, listed in the directory or members of a network ``user``
    manages, by their name (or their company's). Registering shows nobody who has not agreed to be
    listed, and no e-mail address."""
    from meute.members.models import Leader, Membership, MembershipStatus
    from meute.members.queries import list_directory

    if not (event.is_speed_meeting and user.is_authenticated):
        return []
    registered = (event.registrations.filter(status=RegistrationStatus.CONFIRMED).exclude(user_id=user.pk)
                  .values("user_id"))
    seen = set(list_directory(user).filter(user_id__in=registered).values_list("pk", flat=True))
    managed = members.staff_network_ids(user)
    if managed:
        seen |= set(Membership.objects.filter(network_id__in=managed, status=MembershipStatus.ACTIVE,
                                              leader__user_id__in=registered).values_list("leader_id", flat=True))
    leaders = (Leader.objects.filter(pk__in=seen, anonymised_at__isnull=True).select_related("user", "company")
               .order_by("sort_name", "id"))
    named = ((leader.user_id, leader.user.get_full_name() or (leader.company.name if leader.company else ""))
             for leader in leaders)
    return [(user_id, name) for user_id, name in named if name]  # a name or a company, never an address


def waiting_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITING:
        return None
    return registration.event.registrations.filter(status=RegistrationStatus.WAITING,
                                                   seq__lte=registration.seq).count()


def access_plan(user: Any, event: Event) -> RotationPlan | None:
    """The newest ready plan, for the event's staff and its confirmed participants."""
    if not (permissions.can_manage_event(user, event) or event.registrations.filter(
            user=user, status=RegistrationStatus.CONFIRMED).exists()):
        raise not_found()
    return plan_in_use(event)


def plan_in_use(event: Event) -> RotationPlan | None:
    """The plan a speed meeting runs on: its newest ready one."""
    return event.plans.filter(status=PlanStatus.DONE).first()


def latest_plan_request(user: Any, event: Event) -> RotationPlan | None:
    if not permissions.can_manage_event(user, event):
        raise not_found()
    return event.plans.first()


def schedule_for(plan: RotationPlan, user_id: int) -> list[tuple[int, int | None, list[int]]]:
    """(round number from 1, table number from 1 or None, user ids of the tablemates)."""
    rows = []
    for number, round_ in enumerate(plan.rounds, start=1):
        seat = next(((t, table) for t, table in enumerate(round_, start=1) if user_id in table), None)
        if seat is None:
            rows.append((number, None, []))
        else:
            rows.append((number, seat[0], [x for x in seat[1] if x != user_id]))
    return rows


def people_met(user: Any, event: Event) -> list[User]:
    """The people ``user`` sat with at this event's speed meeting (once it has started)."""
    if not user.is_authenticated or event.starts_at > timezone.now():
        return []
    plan = plan_in_use(event)
    if plan is None:
        return []
    ids = {x for _n, _t, mates in schedule_for(plan, user.pk) for x in mates}
    return list(User.objects.filter(pk__in=ids).select_related("leader__company").order_by("last_name"))


def tablemate_ids(user_id: int) -> set[int]:
    """User ids of everyone ``user_id`` sat with at the speed meetings that have started
    where they were confirmed (what that person knows already; used to leave them out of
    suggestions, never shown)."""
    events = Event.objects.filter(
        starts_at__lte=timezone.now(), registrations__user_id=user_id,
        registrations__status=RegistrationStatus.CONFIRMED, plans__status=PlanStatus.DONE,
    ).distinct()
    mates: set[int] = set()
    for event in events:
        plan = plan_in_use(event)
        mates |= {x for _n, _t, row in schedule_for(plan, user_id) for x in row}
    return mates


def attendance_history(user: Any, leader_user: User) -> dict[str, Any] | None:
    """Past confirmed registrations and how many were attended: for the person and staff."""
    if not (is_site_admin(user) or user.pk == leader_user.pk or
            members.staff_network_ids(user) & set(leader_user.registrations.values_list("event__network_id",
                                                                                         flat=True))):
        return None
    past = leader_user.registrations.filter(status=RegistrationStatus.CONFIRMED,
                                            event__ends_at__lt=timezone.now()).select_related("event")
    attended = [r for r in past if r.checked_in_at is not None]
    total = len(past)
    return {"registrations": list(past), "attended": len(attended), "total": total,
            "rate": round(100 * len(attended) / total) if total else None}


# ----------------------------------------------------------------------------- the home page

def list_my_upcoming_registrations(user: Any, limit: int = 10) -> QuerySet[Registration]:
    """My confirmed or waiting registrations to events not over yet, among the events I may still see
    (someone who left a network keeps their registration to its members-only events, not the page)."""
    if not user.is_authenticated:
        return Registration.objects.none()
    visible = Event.objects.filter(_visible(user)).values("pk")
    return (Registration.objects.filter(user=user, event__in=visible, event__ends_at__gte=timezone.now(),
                                        event__cancelled=False,
                                        status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING])
            .select_related("event__network").order_by("event__starts_at")[:limit])


def list_my_schedules(user: Any) -> list[Event]:
    """Speed meetings I may see, not over yet, where I am confirmed and a plan is in use: my schedule is
    ready."""
    if not user.is_authenticated:
        return []
    events = (Event.objects.filter(_visible(user), kind="speed_meeting", cancelled=False, ends_at__gte=timezone.now(),
                                   registrations__user=user, registrations__status=RegistrationStatus.CONFIRMED,
                                   plans__status=PlanStatus.DONE).distinct().order_by("starts_at"))
    return list(events)


def list_my_follow_ups(user: Any, limit: int = 10) -> QuerySet:
    """People I met at events and noted to follow up, not done yet."""
    from meute.events.models import FollowUp

    if not user.is_authenticated:
        return FollowUp.objects.none()
    return (FollowUp.objects.filter(user=user, done=False).select_related("other__leader__company", "event")
            .order_by("-updated")[:limit])

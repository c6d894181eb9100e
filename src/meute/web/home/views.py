"""The home page: one page, a section for each role the person has (member, facilitator or
sponsor, staff of each network they manage). Every section reads through access_/list_ queries."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from meute.advisor.queries import list_introductions_to_answer
from meute.cockpit.figures import all_figures, membership_counts
from meute.cockpit.queries import access_cockpit, access_figure, list_cockpit_networks, things_to_do
from meute.engagement.queries import list_group_lights, my_lights, network_engagement
from meute.events.queries import list_my_follow_ups, list_my_schedules, list_my_upcoming_registrations
from meute.members import permissions
from meute.members.models import MembershipStatus
from meute.members.queries import list_my_memberships
from meute.notifications.queries import list_received_announcements
from meute.peergroups.permissions import can_lead_meetings
from meute.peergroups.queries import (
    list_led_groups,
    list_meetings_to_close,
    list_my_next_meetings,
    list_topics_to_vote,
    meeting_readiness,
    next_meetings,
)
from meute.peergroups.replies import my_replies
from meute.purchases.queries import list_campaigns
from meute.questions.queries import list_questions_to_answer, question_themes
from meute.web.charts import draw
from meute.web.exports import render_export
from meute.web.pagecache import kept_for_viewer


def _member(user: Any, leader: Any, memberships: list[Any]) -> dict[str, Any]:
    """What a person does as a member; the peer-group and introduction parts need a leader profile
    (a staff account without one is asked nothing there)."""
    meetings = list_my_next_meetings(user) if leader else []
    replies = my_replies(user, meetings)
    return {
        "next_meetings": [(m, replies.get(m.pk)) for m in meetings],
        "registrations": list_my_upcoming_registrations(user),
        "topics_to_vote": list_topics_to_vote(user)[:10] if leader else [],
        "introductions": list_introductions_to_answer(user) if leader else [],
        "schedules": list_my_schedules(user),
        "follow_ups": list_my_follow_ups(user),
        "lights": my_lights(user, memberships),
        "news": list(list_received_announcements(user).select_related("sender")[:5]),
        "questions_to_answer": list_questions_to_answer(user)[:5],
        "purchases": list(list_campaigns(user).filter(status="open", closes_at__gt=timezone.now())
                          .order_by("closes_at")[:5]),
    }


def _leader(user: Any) -> dict[str, Any]:
    groups = []
    led = list(list_led_groups(user))
    meetings = next_meetings(led)
    readiness = meeting_readiness(list(meetings.values()))
    for group in led:
        meeting = meetings.get(group.pk)
        lights = list_group_lights(user, group) if can_lead_meetings(user, group) else []
        groups.append({"group": group, "meeting": meeting, "lights": lights,
                       "readiness": readiness[meeting.pk] if meeting is not None else None})
    # Meetings to close are those of running groups the person facilitates, all among ``led``:
    # a member who facilitates none (most people) is asked nothing more.
    facilitates = any(group.facilitator_id == user.pk for group in led)
    no_attendance, no_minutes = list_meetings_to_close(user) if facilitates else ([], [])
    return {"led_groups": groups, "no_attendance": no_attendance, "no_minutes": no_minutes}


def _cockpit(request: HttpRequest) -> dict[str, Any]:
    networks = list_cockpit_networks(request.user)
    if not networks:
        return {}
    wanted = request.GET.get("network", "")
    network = access_cockpit(request.user, wanted) if wanted else networks[0]
    figures = all_figures(network)
    return {
        "cockpit_networks": networks, "cockpit": network,
        "figures": [(f, draw(f)) for f in figures],
        "engagement": network_engagement(request.user, network,
                                         active=membership_counts(network).total(MembershipStatus.ACTIVE)),
        "todo": things_to_do(request.user, network),
        "themes": question_themes(network),
    }


@kept_for_viewer
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    memberships = list(list_my_memberships(user))
    leader = getattr(user, "leader", None)
    context: dict[str, Any] = {
        "leader": leader,
        "memberships": memberships,
        "can_use_directory": permissions.can_use_directory(user), "now": timezone.now(),
    }
    context.update(_member(user, leader, memberships))
    context.update(_leader(user))
    context.update(_cockpit(request))
    return render(request, "web/home/home.html", context)


@login_required
def figure_export(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """One cockpit chart's numbers as CSV (the network's staff only)."""
    figure = access_figure(request.user, slug, key)
    return render_export(figure.csv_rows(), "csv", f"{slug}-{key}")

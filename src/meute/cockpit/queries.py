"""Reads of the staff cockpit, each checking who asks: a network's staff (and the site
administrator) only; anyone else gets "not found"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meute.cockpit.figures import FIGURES, Figure, candidates_by_department
from meute.core.permissions import is_site_admin, not_found
from meute.events.models import Event, EventKind
from meute.members.models import Invitation, InvitationStatus, Network
from meute.members.permissions import staff_network_ids

GROUP_READY = 10  # candidates of one département enough to form a group
INVITATION_STALE_DAYS = 7


def list_cockpit_networks(user: Any) -> list[Network]:
    """The networks whose cockpit ``user`` may open: those they manage as staff."""
    if not user.is_authenticated:
        return []
    return list(Network.objects.filter(pk__in=staff_network_ids(user)).order_by("name"))


def access_cockpit(user: Any, slug: str) -> Network:
    network = Network.objects.filter(slug=slug).first()
    if network is None or not (is_site_admin(user) or network.pk in staff_network_ids(user)):
        raise not_found()
    return network


def access_figure(user: Any, slug: str, key: str) -> Figure:
    network = access_cockpit(user, slug)
    if key not in FIGURES:
        raise not_found()
    return FIGURES[key](network)


@dataclass(frozen=True)
class ToDo:
    text: str
    url: str


def _candidates_ready(network: Network) -> list[ToDo]:
    rows = sorted((code, n) for code, n in candidates_by_department(network) if n >= GROUP_READY and code)
    url = reverse("web:programme", args=[network.slug])
    return [ToDo(_("%(n)s candidates wait in %(d)s: enough to form a group.") % {"n": n, "d": code}, url)
            for code, n in rows]


def _invitations(network: Network) -> list[ToDo]:
    since = timezone.now() - datetime.timedelta(days=INVITATION_STALE_DAYS)
    n = Invitation.objects.filter(network=network, status=InvitationStatus.PENDING, created__lt=since).count()
    if not n:
        return []
    text = ngettext("%(n)s invitation not accepted after a week.", "%(n)s invitations not accepted after a week.",
                    n) % {"n": n}
    return [ToDo(text, reverse("web:network_invitations", args=[network.slug]))]


def _stale_plans(network: Network) -> list[ToDo]:
    from meute.events.queries import plan_in_use
    from meute.events.rotations import plan_changes

    todo = []
    soon = Event.objects.filter(network=network, kind=EventKind.SPEED_MEETING, cancelled=False,
                                ends_at__gte=timezone.now()).order_by("starts_at")[:20]
    for event in soon:
        changes = plan_changes(event, plan_in_use(event))
        if changes.stale:
            todo.append(ToDo(_("The plan of « %(e)s » no longer matches who is coming.") % {"e": event.title},
                             reverse("web:event_plan", args=[event.pk])))
    return todo


def things_to_do(user: Any, network: Network) -> list[ToDo]:
    if not (is_site_admin(user) or network.pk in staff_network_ids(user)):
        raise not_found()
    todo = _candidates_ready(network) if network.runs_peer_groups else []
    return todo + _invitations(network) + _stale_plans(network)

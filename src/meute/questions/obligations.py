"""Recurring obligations: topics staff declare (the yearly DUERP update for companies of 11
employees or more), and the yearly reminders to the members they concern.

A member is concerned when their company's headcount band is at least the obligation's. In the
obligation's month each concerned active member of the network is told once a year
(:class:`ObligationReminder` is unique per obligation, person and year, so reruns send nothing
twice): a notification (and an e-mail per their preferences) naming the knowledge-base articles
with the obligation's tag and the network's next event on that theme.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meute.core.audit import log_action
from meute.core.bounds import check_bounds
from meute.members.models import HEADCOUNT_ORDER, HeadcountBand, Membership, MembershipStatus, Network
from meute.questions.exceptions import QuestionError
from meute.questions.models import Obligation, ObligationReminder
from meute.questions.permissions import is_team
from meute.questions.queries import articles_for_tag
from meute.questions.services import parse_tags

FIELDS = ("title", "description", "min_headcount", "month")


def check_create_obligation(network: Network, *, acting_user: Any, tag: str, **fields: Any) -> Obligation:
    if not is_team(acting_user, network.pk):
        raise QuestionError(_("Only the network's team may declare an obligation."))
    fields = {k: v for k, v in fields.items() if k in FIELDS}
    if not str(fields.get("title") or "").strip():
        raise QuestionError(_("Give the obligation a title."), field="title")
    if fields.get("min_headcount", HeadcountBand.NONE) not in HeadcountBand.values:
        raise QuestionError(_("Choose a headcount band."), field="min_headcount")
    check_bounds(Obligation, fields, QuestionError)
    tags = parse_tags(tag)
    if len(tags) != 1:
        raise QuestionError(_("Give exactly one tag: the theme of the related articles and events."), field="tag")
    with transaction.atomic():
        obligation = Obligation.objects.create(network=network, tag=tags[0], created_by=acting_user, **fields)
        log_action("questions.obligation.created", actor=acting_user, obj=obligation, network=network,
                   changes={k: [None, v] for k, v in fields.items()})
    return obligation


def check_set_active(obligation: Obligation, *, acting_user: Any, active: bool) -> Obligation:
    if not is_team(acting_user, obligation.network_id):
        raise QuestionError(_("Only the network's team may change an obligation."))
    with transaction.atomic():
        obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
        old, obligation.active = obligation.active, active
        obligation.save(update_fields=["active"])
        log_action("questions.obligation.updated", actor=acting_user, obj=obligation,
                   network=obligation.network_id, changes={"active": [old, active]})
    return obligation


def bands_from(band: str) -> list[str]:
    """The headcount bands at least ``band`` (``"10-19"`` → 10–19, 20–49, …)."""
    return HEADCOUNT_ORDER[HEADCOUNT_ORDER.index(band):] if band in HEADCOUNT_ORDER else []


def concerned_user_ids(obligation: Obligation) -> list[int]:
    rows = Membership.objects.filter(network_id=obligation.network_id, status=MembershipStatus.ACTIVE,
                                     leader__company__headcount__in=bands_from(obligation.min_headcount),
                                     leader__user__is_active=True, leader__anonymised_at__isnull=True)
    return sorted(set(rows.values_list("leader__user_id", flat=True)))


def next_event(obligation: Obligation, now: datetime.datetime) -> Any:
    """The network's next event on the obligation's theme (its tag in the event's themes or title)."""
    from meute.events.models import Event

    name = obligation.tag.name
    return (Event.objects.filter(network_id=obligation.network_id, starts_at__gt=now, cancelled=False)
            .filter(Q(themes__icontains=name) | Q(title__icontains=name) | Q(themes__icontains=obligation.tag.slug))
            .order_by("starts_at").first())


class ReminderBody:
    """A reminder's text, written in the language active when it is rendered: :func:`notify` renders
    it once per recipient's language, so each person reads it in their own."""

    def __init__(self, description: str, article_titles: list[str], event: Any = None) -> None:
        self.description, self.article_titles = description, article_titles
        self.event_title = event.title if event is not None else ""
        self.event_start = event.starts_at if event is not None else None

    def __str__(self) -> str:
        parts = [self.description] if self.description else []
        if self.article_titles:
            parts.append(_("In the knowledge base: %(titles)s.") % {
                "titles": "; ".join(f"« {title} »" for title in self.article_titles)})
        if self.event_start is not None:
            parts.append(_("Next related event: « %(title)s » on %(date)s.") % {
                "title": self.event_title, "date": date_format(timezone.localtime(self.event_start), "DATE_FORMAT")})
        return "\n".join(parts)


def reminder_body(obligation: Obligation, now: datetime.datetime) -> ReminderBody:
    """The reminder's text (its articles and next event read now), rendered in each recipient's language."""
    articles = articles_for_tag(obligation.network_id, obligation.tag_id)
    return ReminderBody(obligation.description, [a.title for a in articles], next_event(obligation, now))


def send_reminders(obligation_id: int, *, now: datetime.datetime | None = None) -> int:
    """Remind every concerned member not yet reminded this year; returns how many were told."""
    from meute.notifications.models import Kind
    from meute.notifications.services import Text, notify

    now = now or timezone.now()
    obligation = Obligation.objects.select_related("tag", "network").filter(pk=obligation_id, active=True).first()
    if obligation is None or timezone.localtime(now).month != obligation.month:
        return 0
    year = timezone.localtime(now).year
    told = []
    for user_id in concerned_user_ids(obligation):
        try:
            with transaction.atomic():
                ObligationReminder.objects.create(obligation=obligation, user_id=user_id, year=year)
        except IntegrityError:
            continue  # already reminded this year
        told.append(user_id)
    if told:
        url = reverse("web:knowledge") + f"?tag={obligation.tag.slug}"
        with transaction.atomic():
            notify(told, Kind.OBLIGATION, obj=obligation, url=url,
                   title=Text(gettext_lazy("Reminder: %(title)s"), title=obligation.title),
                   body=reminder_body(obligation, now))
    return len(told)


def due_obligation_ids(now: datetime.datetime | None = None) -> list[int]:
    month = timezone.localtime(now or timezone.now()).month
    return list(Obligation.objects.filter(active=True, month=month).values_list("pk", flat=True))

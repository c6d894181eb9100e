"""Announcements: staff and facilitators write to a segment; delivered in the background, once per person.

A segment is any mix of networks (their active members), peer groups (their active members),
events (their confirmed participants) and one network's member list filtered as in the back
office (``members.queries.list_network_members_filtered``). Recipients are the union, each
person once; the sender is left out. A segment part outside what the sender manages, or a
segment with nobody in it, is refused and nothing is sent.

The form carries a one-time ``token``: under the sender's row lock, a token already used
(a double click, a resubmitted form) is refused, so one form sends one announcement. The
delivery is a background job (:mod:`meute.core.jobs`) that creates one notification per
person (a unique constraint makes a retry or a duplicate task add nobody twice) and follows
each person's channel for announcements.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meute.core import jobs
from meute.core.audit import log_action
from meute.core.bounds import TEXT_MAX
from meute.notifications import permissions
from meute.notifications.exceptions import AnnouncementError
from meute.notifications.models import Announcement, AnnouncementStatus, Kind, Notification

SUBJECT_MAX = 150
BUDGET_SECONDS = 600.0


@dataclass(frozen=True)
class MemberList:
    """One network's member list, filtered as the back office filters it."""

    network: int
    q: str = ""
    status: str = ""
    fee_status: str = ""


@dataclass(frozen=True)
class Segment:
    networks: tuple[int, ...] = ()
    groups: tuple[int, ...] = ()
    events: tuple[int, ...] = ()
    members: MemberList | None = None

    def as_json(self) -> dict[str, Any]:
        return {"networks": list(self.networks), "groups": list(self.groups), "events": list(self.events),
                "members": asdict(self.members) if self.members else None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Segment:
        members = data.get("members")
        return cls(networks=tuple(data.get("networks") or ()), groups=tuple(data.get("groups") or ()),
                   events=tuple(data.get("events") or ()), members=MemberList(**members) if members else None)

    @property
    def empty(self) -> bool:
        return not (self.networks or self.groups or self.events or self.members)


@dataclass
class Audience:
    user_ids: list[int]
    network_ids: set[int] = field(default_factory=set)


def _allowed(queryset: Any, ids: tuple[int, ...], message: str) -> list[Any]:
    found = list(queryset.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise AnnouncementError(message, field="segment")
    return found


def resolve_audience(user: Any, segment: Segment) -> Audience:
    """The people a segment reaches for ``user`` (each once, the sender left out), and its networks."""
    from meute.events.models import Registration, RegistrationStatus
    from meute.members.models import Membership, MembershipStatus
    from meute.members.queries import MemberFilters, list_network_members_filtered
    from meute.peergroups.models import GroupMember, GroupMemberStatus

    outside = _("This segment includes a network, group or event you do not manage: nothing was sent.")
    networks = _allowed(permissions.announceable_networks(user), segment.networks, outside)
    groups = _allowed(permissions.announceable_groups(user), segment.groups, outside)
    events = _allowed(permissions.announceable_events(user), segment.events, outside)
    people: set[int] = set()
    people.update(Membership.objects.filter(network__in=networks, status=MembershipStatus.ACTIVE,
                                            leader__anonymised_at__isnull=True)
                  .values_list("leader__user_id", flat=True))
    people.update(GroupMember.objects.filter(group__in=groups, status=GroupMemberStatus.ACTIVE)
                  .values_list("leader__user_id", flat=True))
    people.update(Registration.objects.filter(event__in=events, status=RegistrationStatus.CONFIRMED)
                  .values_list("user_id", flat=True))
    network_ids = {n.pk for n in networks} | {g.network_id for g in groups} | {e.network_id for e in events}
    if segment.members is not None:
        (network,) = _allowed(permissions.announceable_networks(user), (segment.members.network,), outside)
        chosen = list_network_members_filtered(user, network, MemberFilters(
            q=segment.members.q, status=segment.members.status, fee_status=segment.members.fee_status))
        people.update(chosen.values_list("leader__user_id", flat=True))
        network_ids.add(network.pk)
    people.discard(user.pk)
    return Audience(user_ids=sorted(people), network_ids=network_ids)


def check_send_announcement(segment: Segment, *, subject: str, body: str, token: str, acting_user: Any
                            ) -> Announcement:
    """Validate an announcement and queue it; refused for an empty or foreign segment and for a used token."""
    if not permissions.may_announce(acting_user):
        raise AnnouncementError(_("Only staff and facilitators may send announcements."))
    subject, body, token = str(subject).strip(), str(body).strip(), str(token).strip()
    if not subject or len(subject) > SUBJECT_MAX:
        raise AnnouncementError(_("Give a subject of at most %(n)s characters.") % {"n": SUBJECT_MAX}, field="subject")
    if not body or len(body) > TEXT_MAX:
        raise AnnouncementError(_("Write a message of at most %(n)s characters.") % {"n": TEXT_MAX}, field="body")
    if not token or len(token) > 40:
        raise AnnouncementError(_("This form has expired: open it again."))
    if segment.empty:
        raise AnnouncementError(_("Choose who receives the announcement."), field="segment")
    audience = resolve_audience(acting_user, segment)
    if not audience.user_ids:
        raise AnnouncementError(_("Nobody is in this segment: nothing was sent."), field="segment")
    return do_send_announcement(segment, subject=subject, body=body, token=token, acting_user=acting_user,
                                audience=audience)


ALREADY_SENT = gettext_lazy("This announcement was already sent (the form was sent twice); it goes out once.")


def do_send_announcement(segment: Segment, *, subject: str, body: str, token: str, acting_user: Any,
                         audience: Audience) -> Announcement:
    from meute.accounts.models import User
    from meute.notifications.tasks import deliver_announcement

    try:
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=acting_user.pk).values_list("pk", flat=True).get()
            if Announcement.objects.filter(token=token).exists():
                raise AnnouncementError(str(ALREADY_SENT))
            announcement = Announcement.objects.create(sender=acting_user, segment=segment.as_json(), subject=subject,
                                                       body=body, token=token, expected=len(audience.user_ids))
            announcement.networks.set(audience.network_ids)
            log_action("notifications.announcement.requested", actor=acting_user, obj=announcement,
                       network=sorted(audience.network_ids),
                       data={"segment": segment.as_json(), "recipients": len(audience.user_ids), "subject": subject})
            transaction.on_commit(lambda: deliver_announcement.enqueue(announcement.pk))
    except IntegrityError:
        raise AnnouncementError(str(ALREADY_SENT)) from None
    return announcement


def run_announcement(announcement_id: int) -> Announcement | None:
    """Deliver a queued announcement (the background task); None if it was not this call's to run."""
    from django.contrib.contenttypes.models import ContentType

    from meute.notifications.services import notify

    def work(announcement: Announcement, heartbeat: jobs.Heartbeat) -> dict[str, Any]:
        sender = announcement.sender
        if sender is None or not sender.is_active:
            return {"status": AnnouncementStatus.FAILED, "message": _("The sender's account no longer exists.")}
        try:
            audience = resolve_audience(sender, Segment.from_json(announcement.segment))
        except AnnouncementError as exc:
            return {"status": AnnouncementStatus.FAILED, "message": exc.message}
        notify(audience.user_ids, Kind.ANNOUNCEMENT, obj=announcement, url=announcement_path(announcement.pk),
               title=announcement.subject, body=announcement.body, actor=sender)
        delivered = Notification.objects.filter(kind=Kind.ANNOUNCEMENT, object_id=announcement.pk,
                                                content_type=ContentType.objects.get_for_model(Announcement)).count()
        return {"status": AnnouncementStatus.DONE, "recipients": delivered}

    announcement = jobs.run_job(Announcement, announcement_id, work=work, budget_seconds=lambda a: BUDGET_SECONDS)
    if announcement is not None:
        log_action("notifications.announcement.sent", actor=None, obj=announcement,
                   network=list(announcement.networks.values_list("pk", flat=True)),
                   data={"status": announcement.status, "recipients": announcement.recipients,
                         "message": announcement.message})
    return announcement


def announcement_path(announcement_id: int) -> str:
    from django.urls import reverse

    return reverse("web:announcement", args=[announcement_id])

"""One-to-ones: two members schedule a meeting (a place, or by video), both say it happened, and
it then counts in the engagement light. Confirming locks the one-to-one's row, so two members
confirming at the same moment both count and it is marked held once. The scheduling form carries
a one-time key (:mod:`meute.core.submissions`): sent twice, it schedules one one-to-one."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meute.core.audit import log_action
from meute.core.bounds import check_bounds
from meute.core.exceptions import NotFound
from meute.core.submissions import create_once
from meute.members.models import Leader
from meute.members.queries import access_leader
from meute.notifications.services import Text, When
from meute.referrals import notices
from meute.referrals.exceptions import ReferralError
from meute.referrals.models import OneToOne, OneToOneStatus
from meute.referrals.permissions import leader_of

AHEAD_DAYS = 366  # a one-to-one is scheduled at most a year ahead ...
BEHIND_DAYS = 31  # ... or logged up to a month after it took place


def check_schedule(acting_user: Any, *, other_id: Any, starts_at: datetime.datetime, place: str = "",
                   visio: bool = False, submission: str | None = None) -> OneToOne:
    me = leader_of(acting_user)
    if me is None:
        raise ReferralError(_("Only members with a leader profile may schedule one-to-ones."))
    try:
        other = access_leader(acting_user, int(other_id))
    except (NotFound, TypeError, ValueError, OverflowError):
        raise ReferralError(_("This member does not exist or you may not see them."), field="other") from None
    if other.pk == me.pk:
        raise ReferralError(_("A one-to-one takes two members."), field="other")
    place = (place or "").strip()
    check_bounds(OneToOne, {"place": place, "starts_at": starts_at}, ReferralError)
    if not place and not visio:
        raise ReferralError(_("Give a place, or tick « by video »."), field="place")
    now = timezone.now()
    if not now - datetime.timedelta(days=BEHIND_DAYS) <= starts_at <= now + datetime.timedelta(days=AHEAD_DAYS):
        raise ReferralError(_("Choose a date within a month before and a year after today."), field="starts_at")
    return do_schedule(me, other, acting_user=acting_user, starts_at=starts_at, place=place, visio=bool(visio),
                       submission=submission)


def do_schedule(me: Leader, other: Leader, *, acting_user: Any, submission: str | None = None,
                **fields: Any) -> OneToOne:
    """Schedule it and tell the other member; the same form sent again raises ``Resubmitted`` with the first."""

    def create(key: str | None) -> OneToOne:
        one = OneToOne.objects.create(requester=me, other=other, submission=key, **fields)
        log_action("referrals.one_to_one.scheduled", actor=acting_user, obj=one, network=(),
                   data={"requester": me.pk, "other": other.pk})
        notices.tell_one_to_one(one, other.user_id,
                                Text(gettext_lazy("%(n)s schedules a one-to-one with you on %(d)s"),
                                     n=me.full_name, d=When(one.starts_at)),
                                acting_user)
        return one

    return create_once(OneToOne.objects.filter(requester=me), submission, create)


def _party(one: OneToOne, acting_user: Any) -> str:
    me = leader_of(acting_user)
    if me is not None and me.pk == one.requester_id:
        return "requester"
    if me is not None and me.pk == one.other_id:
        return "other"
    raise ReferralError(_("Only the two members of this one-to-one may change it."))


def check_confirm_held(one: OneToOne, *, acting_user: Any) -> OneToOne:
    """One of the two says it happened; once both have, it is held (and counts)."""
    party = _party(one, acting_user)
    with transaction.atomic():
        locked = OneToOne.objects.select_for_update().get(pk=one.pk)
        if locked.status == OneToOneStatus.CANCELLED:
            raise ReferralError(_("This one-to-one was cancelled."))
        if locked.starts_at > timezone.now():
            raise ReferralError(_("You can confirm a one-to-one once it has taken place."))
        if getattr(locked, f"{party}_confirmed"):
            raise ReferralError(_("You already confirmed this one-to-one."))
        setattr(locked, f"{party}_confirmed", True)
        if locked.requester_confirmed and locked.other_confirmed:
            locked.status = OneToOneStatus.HELD
        locked.save(update_fields=[f"{party}_confirmed", "status"])
        log_action("referrals.one_to_one.confirmed", actor=acting_user, obj=locked, network=(),
                   data={"by": party, "held": locked.status == OneToOneStatus.HELD})
    return locked


def check_cancel(one: OneToOne, *, acting_user: Any) -> OneToOne:
    party = _party(one, acting_user)
    with transaction.atomic():
        locked = OneToOne.objects.select_for_update().select_related("requester", "other").get(pk=one.pk)
        if locked.status != OneToOneStatus.SCHEDULED or locked.requester_confirmed or locked.other_confirmed:
            raise ReferralError(_("Only a one-to-one nobody has confirmed yet can be cancelled."))
        locked.status = OneToOneStatus.CANCELLED
        locked.save(update_fields=["status"])
        log_action("referrals.one_to_one.cancelled", actor=acting_user, obj=locked, network=(), data={"by": party})
        other = locked.other if party == "requester" else locked.requester
        me = locked.requester if party == "requester" else locked.other
        notices.tell_one_to_one(locked, other.user_id, Text(gettext_lazy("%(n)s cancelled your one-to-one"),
                                                            n=me.full_name), acting_user)
    return locked

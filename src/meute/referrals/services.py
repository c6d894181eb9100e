"""State changes of referrals: giving one, its life (accepted or declined, contacted, won or lost,
expired), the reminders, and the yearly figure a network publishes.

A referral is private to its two members: its audit entries name no network, so only the site
administrator reads them (staff see sums, never a referral).

Every change of a referral locks its row (``select_for_update``) and re-reads the status inside
the lock, so a double "won" or an "accept" racing a "decline" leaves one answer and the second
click gets a clear message (``tests/concurrency/test_referral_race.py``). Giving locks the
giver's row, so a form sent twice gives one referral.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.core.audit import log_action
from meute.core.bounds import check_bounds
from meute.core.exceptions import NotFound
from meute.members.exceptions import InvalidMemberData
from meute.members.models import Leader, Membership, MembershipStatus, Network
from meute.members.permissions import can_manage_network
from meute.members.queries import access_leader
from meute.members.validation import clean_phone
from meute.referrals import notices
from meute.referrals.exceptions import ReferralError
from meute.referrals.models import (
    AMOUNT_MAX,
    OPEN_STATUSES,
    Business,
    PublishedFigure,
    Referral,
    ReferralNetwork,
    Status,
    Warmth,
)
from meute.referrals.permissions import leader_of, side

PROSPECT_FIELDS = ("prospect_name", "prospect_company", "prospect_email", "prospect_phone", "need")
UNKNOWN_MEMBER = "This member does not exist or you may not see them."


def expiry_days() -> int:
    return int(getattr(settings, "MEUTE_REFERRAL_EXPIRY_DAYS", 90))


def reminder_days() -> int:
    return int(getattr(settings, "MEUTE_REFERRAL_REMINDER_DAYS", 7))


# ----------------------------------------------------------------------------- giving

def check_give_referral(acting_user: Any, *, receiver_id: Any, need: str, prospect_name: str,
                        prospect_company: str = "", prospect_email: str = "", prospect_phone: str = "",
                        prospect_agreed: bool = False, warmth: str = Warmth.CONTACT, meeting_id: Any = None,
                        event_id: Any = None, submission: str | None = None) -> Referral:
    """A member gives a referral to a member they may see (the directory's rule); refused with a
    message, and nothing stored, when anything is wrong."""
    giver = leader_of(acting_user)
    if giver is None:
        raise ReferralError(_("Only members with a leader profile may give referrals."))
    try:
        receiver = access_leader(acting_user, int(receiver_id))
    except (NotFound, TypeError, ValueError, OverflowError):
        raise ReferralError(_(UNKNOWN_MEMBER), field="receiver") from None
    if receiver.pk == giver.pk:
        raise ReferralError(_("You cannot give a referral to yourself."), field="receiver")
    values = {"prospect_name": (prospect_name or "").strip(), "prospect_company": (prospect_company or "").strip(),
              "prospect_email": (prospect_email or "").strip(), "prospect_phone": (prospect_phone or "").strip(),
              "need": (need or "").strip()}
    check_bounds(Referral, values, ReferralError)
    if not values["prospect_name"]:
        raise ReferralError(_("Name the prospect."), field="prospect_name")
    if not values["prospect_email"] and not values["prospect_phone"]:
        raise ReferralError(_("Give the prospect's e-mail or phone: without a contact the receiver cannot "
                              "follow up."), field="prospect_email")
    if values["prospect_phone"]:  # written as members' phones are
        try:
            values["prospect_phone"] = clean_phone(values["prospect_phone"])
        except InvalidMemberData as exc:
            raise ReferralError(exc.message, field="prospect_phone") from None
        check_bounds(Referral, {"prospect_phone": values["prospect_phone"]}, ReferralError)
    if not values["need"]:
        raise ReferralError(_("Say what the prospect needs."), field="need")
    if warmth not in Warmth.values:
        raise ReferralError(_("Choose how warm the referral is."), field="warmth")
    meeting = _meeting(acting_user, meeting_id)
    event = _event(acting_user, event_id)
    return do_give_referral(giver, receiver, acting_user=acting_user, prospect_agreed=bool(prospect_agreed),
                            warmth=warmth, meeting=meeting, event=event, submission=(submission or None), **values)


def _meeting(user: Any, meeting_id: Any) -> Any:
    """The peer-group meeting the referral was given at, read through the group's confidentiality rule."""
    if meeting_id in (None, ""):
        return None
    from meute.peergroups.queries import access_meeting

    try:
        return access_meeting(user, int(meeting_id))
    except (NotFound, TypeError, ValueError, OverflowError):
        raise ReferralError(_("This meeting does not exist or you may not see it."), field="meeting") from None


def _event(user: Any, event_id: Any) -> Any:
    """The event the referral was given at, read through the events' visibility rule."""
    if event_id in (None, ""):
        return None
    from meute.events.queries import access_event

    try:
        return access_event(user, int(event_id))
    except (NotFound, TypeError, ValueError, OverflowError):
        raise ReferralError(_("This event does not exist or you may not see it."), field="event") from None


def _network_ids(*leaders: Leader) -> list[int]:
    return sorted(set(Membership.objects.filter(leader__in=leaders).exclude(status=MembershipStatus.LEFT)
                      .values_list("network_id", flat=True)))


@transaction.atomic
def do_give_referral(giver: Leader, receiver: Leader, *, acting_user: Any, submission: str | None = None,
                     meeting: Any = None, **fields: Any) -> Referral:
    """Store the referral under the giver's row lock (a form sent twice gives one referral), count it
    for every network of the giver and of the receiver, and tell the receiver."""
    Leader.objects.select_for_update().filter(pk=giver.pk).values_list("pk", flat=True).get()
    if submission and Referral.objects.filter(submission=submission).exists():
        raise ReferralError(_("This referral was already given (the form was sent twice)."))
    now = timezone.now()
    referral = Referral.objects.create(giver=giver, receiver=receiver, submission=submission, meeting=meeting,
                                       moved_at=now, **fields)
    networks = _network_ids(giver, receiver)
    ReferralNetwork.objects.bulk_create([ReferralNetwork(referral=referral, network_id=n) for n in networks])
    log_action("referrals.referral.given", actor=acting_user, obj=referral, network=(),
               data={"giver": giver.pk, "receiver": receiver.pk, "lead": not referral.prospect_agreed,
                     "warmth": referral.warmth, "meeting": getattr(meeting, "pk", None),
                     "event": referral.event_id})
    notices.tell_receiver(referral, acting_user)
    return referral


# ----------------------------------------------------------------------------- its life

def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update(of=("self",)).select_related(
        "giver__user", "receiver__user").get(pk=referral.pk)


def _as_receiver(referral: Referral, acting_user: Any) -> None:
    if side(acting_user, referral) != "receiver":
        raise ReferralError(_("Only the member who received this referral may change its status."))


def _move(referral: Referral, *, acting_user: Any, allowed: tuple[str, ...], to: str, **updates: Any) -> Referral:
    """Change the status under the referral's row lock, if it is still in ``allowed``."""
    _as_receiver(referral, acting_user)
    with transaction.atomic():
        locked = _locked(referral)
        if locked.status not in allowed:
            raise ReferralError(_("This referral is already « %(status)s »: nothing was changed.")
                                % {"status": locked.get_status_display()})
        before = {"status": locked.status, **{k: getattr(locked, k) for k in updates}}
        now = timezone.now()
        locked.status, locked.moved_at = to, now
        if to in (Status.WON, Status.LOST, Status.DECLINED, Status.EXPIRED):
            locked.closed_at = now
        for key, value in updates.items():
            setattr(locked, key, value)
        locked.save(update_fields=["status", "moved_at", "closed_at", *updates])
        changes = {k: [str(v) if isinstance(v, Decimal) else v,
                       str(getattr(locked, k)) if isinstance(getattr(locked, k), Decimal) else getattr(locked, k)]
                   for k, v in before.items() if k != "amount"}
        log_action(f"referrals.referral.{to}", actor=acting_user, obj=locked, network=(), changes=changes)
        notices.tell_giver(locked, acting_user)
    referral.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def check_accept(referral: Referral, *, acting_user: Any) -> Referral:
    return _move(referral, acting_user=acting_user, allowed=(Status.GIVEN,), to=Status.ACCEPTED)


def check_decline(referral: Referral, *, acting_user: Any, reason: str) -> Referral:
    reason = (reason or "").strip()
    check_bounds(Referral, {"reason": reason}, ReferralError)
    if not reason:
        raise ReferralError(_("Say why you decline it: the giver will read it."), field="reason")
    return _move(referral, acting_user=acting_user, allowed=(Status.GIVEN,), to=Status.DECLINED, reason=reason)


def check_mark_contacted(referral: Referral, *, acting_user: Any) -> Referral:
    return _move(referral, acting_user=acting_user, allowed=(Status.GIVEN, Status.ACCEPTED), to=Status.CONTACTED)


def parse_amount(value: Any) -> Decimal:
    """An amount in euros typed by a person: a number, not negative, at most ``AMOUNT_MAX``, to the cent."""
    try:
        amount = Decimal(str(value).strip().replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ReferralError(_("Give the amount in euros, for example 12500 or 12500,50."), field="amount") from None
    if not amount.is_finite():
        raise ReferralError(_("Give the amount in euros, for example 12500 or 12500,50."), field="amount")
    if amount < 0:
        raise ReferralError(_("An amount cannot be negative."), field="amount")
    if amount > AMOUNT_MAX:
        raise ReferralError(_("%(amount)s € for one deal is not credible: the most is 999 999,99 €.")
                            % {"amount": f"{amount:,.0f}".replace(",", "\u202f")}, field="amount")
    return amount.quantize(Decimal("0.01"))


def check_mark_won(referral: Referral, *, acting_user: Any, amount: Any, business: str = Business.NEW,
                   share: bool = False) -> Referral:
    """The receiver closed the business: the amount (theirs; the giver sees it only if ``share``)."""
    _as_receiver(referral, acting_user)
    value = parse_amount(amount)
    if business not in Business.values:
        raise ReferralError(_("Say whether it is new or repeat business."), field="business")
    return _move(referral, acting_user=acting_user, allowed=OPEN_STATUSES, to=Status.WON, amount=value,
                 business=business, amount_shared=bool(share))


def check_mark_lost(referral: Referral, *, acting_user: Any, reason: str) -> Referral:
    reason = (reason or "").strip()
    check_bounds(Referral, {"reason": reason}, ReferralError)
    if not reason:
        raise ReferralError(_("Say why it was lost: the giver will read it."), field="reason")
    return _move(referral, acting_user=acting_user, allowed=(Status.ACCEPTED, Status.CONTACTED), to=Status.LOST,
                 reason=reason)


@transaction.atomic
def check_share_amount(referral: Referral, *, acting_user: Any, share: bool) -> Referral:
    """The receiver shows (or hides again) the amount won to the giver."""
    _as_receiver(referral, acting_user)
    locked = _locked(referral)
    if locked.status != Status.WON:
        raise ReferralError(_("Only the amount of a referral won can be shared."))
    if locked.amount_shared != bool(share):
        log_action("referrals.referral.amount_shared", actor=acting_user, obj=locked, network=(),
                   changes={"amount_shared": [locked.amount_shared, bool(share)]})
        locked.amount_shared = bool(share)
        locked.save(update_fields=["amount_shared"])
    return locked


# ----------------------------------------------------------------------------- reminders and expiry

def expire_stale(*, now: datetime.datetime | None = None) -> int:
    """Open referrals without news for ``MEUTE_REFERRAL_EXPIRY_DAYS`` become expired (each under its
    lock, so a receiver's click at the same moment wins or loses cleanly); returns how many."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=expiry_days())
    done = 0
    for pk in list(Referral.objects.filter(status__in=OPEN_STATUSES, moved_at__lt=limit).values_list("pk", flat=True)):
        with transaction.atomic():
            referral = Referral.objects.select_for_update().filter(pk=pk, status__in=OPEN_STATUSES,
                                                                   moved_at__lt=limit).first()
            if referral is None:
                continue
            previous = referral.status
            referral.status, referral.moved_at, referral.closed_at = Status.EXPIRED, now, now
            referral.save(update_fields=["status", "moved_at", "closed_at"])
            log_action("referrals.referral.expired", actor=None, obj=referral, network=(),
                       changes={"status": [previous, Status.EXPIRED]}, data={"days": expiry_days()})
            notices.tell_expired(referral)
            done += 1
    return done


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind each receiver of an open referral without news for ``MEUTE_REFERRAL_REMINDER_DAYS``
    (at most once per that many days); returns how many reminders were sent."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=reminder_days())
    stale = (Referral.objects.filter(status__in=OPEN_STATUSES, moved_at__lt=since)
             .exclude(reminded_at__gte=since).select_related("giver__user", "receiver__user"))
    done = 0
    for referral in stale.iterator(chunk_size=500):
        with transaction.atomic():
            if not Referral.objects.filter(pk=referral.pk, status__in=OPEN_STATUSES).exclude(
                    reminded_at__gte=since).update(reminded_at=now):
                continue
            notices.remind_receiver(referral, now=now)
            done += 1
    return done


# ----------------------------------------------------------------------------- published figures

def check_publish_figure(network: Network, *, acting_user: Any, year: Any, advisor_consent: bool) -> PublishedFigure:
    """Staff publish (or update) their network's business closed between members in ``year``, the
    figure computed now; with ``advisor_consent`` the advisor may quote it."""
    from meute.referrals.figures import network_year

    if not can_manage_network(acting_user, network):
        raise ReferralError(_("Only the network's staff may publish its figures."))
    try:
        year = int(year)
    except (TypeError, ValueError, OverflowError):
        raise ReferralError(_("Choose a year."), field="year") from None
    this_year = timezone.localdate().year
    if not this_year - 10 <= year <= this_year:
        raise ReferralError(_("Choose a year between %(a)s and %(b)s.") % {"a": this_year - 10, "b": this_year},
                            field="year")
    with transaction.atomic():
        Network.objects.select_for_update().filter(pk=network.pk).values_list("pk", flat=True).get()
        total = network_year(network.pk, year)
        figure, created = PublishedFigure.objects.update_or_create(
            network=network, year=year, defaults={"amount": total.amount, "referrals_won": total.won,
                                                  "advisor_consent": bool(advisor_consent),
                                                  "published_by": acting_user})
        log_action("referrals.figure.published", actor=acting_user, obj=network, network=network,
                   data={"year": year, "amount": str(total.amount), "won": total.won,
                         "advisor_consent": bool(advisor_consent), "first": created})
    return figure


@transaction.atomic
def check_withdraw_figure(network: Network, *, acting_user: Any, year: int) -> None:
    if not can_manage_network(acting_user, network):
        raise ReferralError(_("Only the network's staff may publish its figures."))
    deleted, _rows = PublishedFigure.objects.filter(network=network, year=year).delete()
    if deleted:
        log_action("referrals.figure.withdrawn", actor=acting_user, obj=network, network=network, data={"year": year})

"""Who is told what about a referral or a one-to-one (through :func:`meute.notifications.services.notify`,
inside the caller's transaction; e-mails leave after commit).

The receiver is told of a referral given to them and reminded of one without news; the giver is
told of each step and thanked when it is won (with the amount only if the receiver shares it).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meute.notifications.models import Kind
from meute.notifications.services import Text, notify


def _url(referral: Any) -> str:
    return reverse("web:referral", args=[referral.pk])


def tell_receiver(referral: Any, actor: Any) -> None:
    giver = referral.giver
    title = (Text(_("%(n)s gives you a referral: %(p)s"), n=giver.full_name, p=referral.prospect_name)
             if referral.prospect_agreed else
             Text(_("%(n)s gives you a lead: %(p)s"), n=giver.full_name, p=referral.prospect_name))
    notify([referral.receiver.user_id], Kind.REFERRAL, obj=referral, url=_url(referral), title=title,
           body=Text(_("What is needed: %(need)s\n\nAccept or decline it on meute."), need=referral.need[:500]),
           actor=actor)


STEP_TITLES = {
    "accepted": _("%(r)s accepted your referral for %(p)s"),
    "declined": _("%(r)s declined your referral for %(p)s"),
    "contacted": _("%(r)s contacted %(p)s, whom you referred"),
    "lost": _("Your referral for %(p)s did not lead to business"),
}


def tell_giver(referral: Any, actor: Any) -> None:
    """The giver hears of each step; a referral won is a thank-you."""
    receiver, status = referral.receiver, referral.status
    if status == "won":
        title = Text(_("Thank you! %(r)s won the business you referred (%(p)s)"), r=receiver.full_name,
                     p=referral.prospect_name)
        body = (Text(_("%(r)s closed %(a)s € thanks to you."), r=receiver.full_name, a=referral.amount)
                if referral.amount_shared else Text(_("%(r)s closed the business thanks to you."),
                                                    r=receiver.full_name))
    elif status in STEP_TITLES:
        title = Text(STEP_TITLES[status], r=receiver.full_name, p=referral.prospect_name)
        body = Text(_("Reason: %(why)s"), why=referral.reason) if referral.reason else ""
    else:
        return
    notify([referral.giver.user_id], Kind.REFERRAL, obj=referral, url=_url(referral), title=title, body=body,
           actor=actor)


def tell_expired(referral: Any) -> None:
    notify([referral.giver.user_id, referral.receiver.user_id], Kind.REFERRAL, obj=referral, url=_url(referral),
           title=Text(_("The referral for %(p)s expired without news"), p=referral.prospect_name))


def remind_receiver(referral: Any, *, now: Any) -> None:
    days = max(1, (now - referral.moved_at).days)
    notify([referral.receiver.user_id], Kind.REFERRAL, obj=referral, url=_url(referral),
           title=Text(_("No news of the referral for %(p)s for %(d)s days"), p=referral.prospect_name, d=days),
           body=Text(_("%(n)s gave it to you: say where it stands, the giver is waiting."),
                     n=referral.giver.full_name))


def tell_one_to_one(one_to_one: Any, recipient_user_id: int, title: Any, actor: Any) -> None:
    notify([recipient_user_id], Kind.ONE_TO_ONE, obj=one_to_one, url=reverse("web:one_to_ones"), title=title,
           actor=actor)

"""A person changes their login e-mail through a link sent to the new address.

The request changes nothing: a signed, expiring token of (person, old address, new address) is
e-mailed to the new address, and the old address is told. Opening the link applies the change,
once: after it, the old address in the token no longer matches, so the link is dead. An address
already used by another account gets the same answer as a free one (nothing is sent to it), so
the form does not reveal who has an account; the confirmation refuses it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from meute.accounts.models import User
from meute.core.audit import log_action
from meute.core.exceptions import InvalidInput
from meute.core.links import absolute_url

TOKEN_SALT = "meute.accounts.email_change"


class EmailChangeInvalid(InvalidInput):
    """An e-mail change was refused, or its link is malformed, expired, used or taken."""


def max_age_seconds() -> int:
    return settings.MEUTE_EMAIL_CHANGE_HOURS * 3600


def _clean(value: str) -> str:
    email = User.objects.normalize_email(str(value or "").strip()).lower()
    try:
        validate_email(email)
    except Exception:
        raise EmailChangeInvalid(_("This e-mail address is not valid: check it."), field="email") from None
    return email


def email_change_token(user: User, new_email: str) -> str:
    return signing.dumps({"u": user.pk, "o": user.email, "n": new_email}, salt=TOKEN_SALT, compress=True)


def check_request_email_change(user: User, new_email: str, *, acting_user: Any) -> None:
    """Send a confirmation link to ``new_email`` (unless it is taken: then silently nothing)."""
    if acting_user is None or acting_user.pk != user.pk:
        raise EmailChangeInvalid(_("Only the person themselves may change their e-mail address."))
    new_email = _clean(new_email)
    if new_email == user.email.lower():
        raise EmailChangeInvalid(_("This is already your e-mail address."), field="email")
    do_request_email_change(user, new_email, acting_user=acting_user)


@transaction.atomic
def do_request_email_change(user: User, new_email: str, *, acting_user: Any) -> None:
    taken = User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists()
    log_action("accounts.email_change.requested", actor=acting_user, obj=user,
               data={"old": user.email, "new": new_email, "sent": not taken})
    if taken:
        return
    link = absolute_url("web:email_change_confirm", email_change_token(user, new_email))
    hours = max_age_seconds() // 3600
    old_email = user.email
    confirm = _(
        "Hello,\n\nYou asked to use this address to log in to meute. Open this link to confirm "
        "(it works once, for %(hours)s hours):\n\n%(link)s\n\nIf you did not ask for it, ignore this message."
    ) % {"hours": hours, "link": link}
    notice = _(
        "Hello,\n\nSomeone asked to change the e-mail address of your meute account to %(new)s. "
        "Nothing changes until the link sent to that address is opened.\n\n"
        "If it was not you, change your password and tell your network's staff."
    ) % {"new": new_email}
    transaction.on_commit(lambda: send_mail(_("Confirm your new e-mail address"), confirm, None, [new_email]))
    transaction.on_commit(lambda: send_mail(_("Your e-mail address is being changed"), notice, None, [old_email]))


def read_email_change_token(token: str) -> dict[str, Any]:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=max_age_seconds())
    except signing.SignatureExpired:
        raise EmailChangeInvalid(_("This link has expired: ask for the change again from your profile.")) from None
    except signing.BadSignature:
        raise EmailChangeInvalid(_("This link is not valid. Check that you copied it whole.")) from None
    if not (isinstance(payload, dict) and isinstance(payload.get("u"), int)
            and isinstance(payload.get("o"), str) and isinstance(payload.get("n"), str)):
        raise EmailChangeInvalid(_("This link is not valid. Check that you copied it whole."))
    return payload


def pending_email_change(token: str) -> dict[str, Any]:
    """What a link would change, if it still can: signed, not expired, not used yet."""
    payload = read_email_change_token(token)
    if not User.objects.filter(pk=payload["u"], email=payload["o"]).exists():
        raise EmailChangeInvalid(_("This link has already been used or was replaced by a newer change."))
    return payload


def check_confirm_email_change(token: str) -> User:
    """Apply the change a link stands for, once; refused if the address was taken meanwhile."""
    payload = read_email_change_token(token)
    return do_confirm_email_change(payload["u"], payload["o"], payload["n"])


@transaction.atomic
def do_confirm_email_change(user_id: int, old_email: str, new_email: str) -> User:
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None or user.email != old_email:
        raise EmailChangeInvalid(_("This link has already been used or was replaced by a newer change."))
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise EmailChangeInvalid(_("This address is already used by another account: it cannot be yours too."))
    user.email = new_email
    user.save(update_fields=["email"])
    leader = getattr(user, "leader", None)
    if leader is not None:  # the sort name falls back on the e-mail
        from meute.members.services import refresh_search_fields

        refresh_search_fields(leader)
        leader.save(update_fields=["search_text", "expertise_search", "sort_name"])
    log_action("accounts.email_change.confirmed", actor=user, obj=user,
               data={"changed": {"email": [old_email, new_email]}})
    return user

"""Invitations: a network asks a person to activate the account it created, or to join it.

A person created by a network (import, staff) gets a ``NEW_ACCOUNT`` invitation: accepting
sets their password and confirms the membership. A person who already had an account
elsewhere gets a ``JOIN`` invitation instead: nothing about them changes and the inviting
network sees nothing of them until they accept, which is when the membership is created.

The e-mailed link carries a signed, expiring token of the invitation's ``key``; each sending
draws a new key (:func:`do_renew_key`), so an older link stops working.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.core.audit import log_action
from meute.members.exceptions import InvitationInvalid
from meute.members.models import (
    FeeStatus,
    Invitation,
    InvitationKind,
    InvitationStatus,
    Leader,
    Membership,
    MembershipStatus,
    Network,
)

TOKEN_SALT = "meute.members.invitation"


def _new_key() -> str:
    return secrets.token_urlsafe(24)


def check_invite(
    user: Any, network: Network, *, kind: str, acting_user: Any,
    membership_status: str = MembershipStatus.ACTIVE, fee_status: str = FeeStatus.DUE,
) -> tuple[Invitation, bool]:
    """Staff invite ``user`` to a network they manage (see :func:`do_invite`)."""
    from meute.members.permissions import can_manage_network

    if not can_manage_network(acting_user, network):
        raise InvitationInvalid(_("You may only invite people to the networks you manage."))
    if kind not in InvitationKind.values:
        raise InvitationInvalid(_("Unknown kind of invitation."))
    return do_invite(user, network, kind=kind, acting_user=acting_user,
                     membership_status=membership_status, fee_status=fee_status)


@transaction.atomic
def do_invite(
    user: Any, network: Network, *, kind: str, acting_user: Any,
    membership_status: str = MembershipStatus.ACTIVE, fee_status: str = FeeStatus.DUE,
) -> tuple[Invitation, bool]:
    """The pending invitation of ``user`` to ``network``, created if there is none (never two)."""
    existing = Invitation.objects.filter(network=network, user=user, status=InvitationStatus.PENDING).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                network=network, user=user, kind=kind, membership_status=membership_status,
                fee_status=fee_status, invited_by=acting_user if getattr(acting_user, "pk", None) else None,
                key=_new_key(),
            )
    except IntegrityError:  # a concurrent request created it first
        return Invitation.objects.get(network=network, user=user, status=InvitationStatus.PENDING), False
    log_action(
        "members.invitation.created", actor=acting_user, obj=invitation,
        data={"network": network.slug, "kind": kind, "user": user.pk},
    )
    return invitation, True


@transaction.atomic
def do_renew_key(invitation: Invitation, *, acting_user: Any) -> str:
    """Record one more sending: a new key (older links die); returns the token for the link."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise InvitationInvalid(_("This invitation has already been answered."))
    invitation.key = _new_key()
    invitation.sent_at = timezone.now()
    invitation.send_count += 1
    invitation.save(update_fields=["key", "sent_at", "send_count"])
    log_action("members.invitation.sent", actor=acting_user, obj=invitation, data={"count": invitation.send_count})
    return invitation_token(invitation)


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "k": invitation.key}, salt=TOKEN_SALT, compress=True)


def read_invitation_token(token: str) -> Invitation:
    """The pending invitation a link points to, or :class:`InvitationInvalid` saying why not."""
    max_age = settings.MEUTE_INVITATION_DAYS * 86400
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise InvitationInvalid(
            _("This invitation link has expired. Ask the network's team to send you a new one.")
        ) from None
    except signing.BadSignature:
        raise InvitationInvalid(_("This invitation link is not valid. Check that you copied it whole.")) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("i"), int):
        raise InvitationInvalid(_("This invitation link is not valid. Check that you copied it whole."))
    invitation = Invitation.objects.select_related("network", "user").filter(pk=payload["i"]).first()
    if invitation is None or invitation.status == InvitationStatus.REVOKED:
        raise InvitationInvalid(_("This invitation was withdrawn by the network."))
    if invitation.status != InvitationStatus.PENDING:
        raise InvitationInvalid(_("This invitation has already been answered."))
    if not secrets.compare_digest(invitation.key, str(payload.get("k", ""))):
        raise InvitationInvalid(_("A newer invitation was sent to you: use the link of the latest e-mail."))
    return invitation


def _lock_pending(invitation: Invitation, acting_user: Any) -> Invitation:
    locked = Invitation.objects.select_for_update().select_related("network", "user").get(pk=invitation.pk)
    if locked.status != InvitationStatus.PENDING:
        raise InvitationInvalid(_("This invitation has already been answered."))
    if locked.user_id != getattr(acting_user, "pk", None):
        raise InvitationInvalid(_("Only the invited person may answer this invitation."))
    return locked


@transaction.atomic
def do_accept_invitation(invitation: Invitation, *, acting_user: Any) -> Membership:
    """The invited person accepts: the membership is created (JOIN) or confirmed (NEW_ACCOUNT)."""
    from meute.members.services import refresh_directory_flag

    invitation = _lock_pending(invitation, acting_user)
    leader, _created = Leader.objects.get_or_create(user=invitation.user)
    membership, created = Membership.objects.get_or_create(
        leader=leader, network=invitation.network,
        defaults={
            "status": invitation.membership_status, "fee_status": invitation.fee_status,
            "joined_on": timezone.localdate(),
        },
    )
    if not created and membership.status == MembershipStatus.LEFT:
        membership.status, membership.left_on = invitation.membership_status, None
        membership.save(update_fields=["status", "left_on"])
    invitation.status, invitation.responded_at = InvitationStatus.ACCEPTED, timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    if leader.directory_consent_at is None:  # accepting is consenting; "listed" still says whether to show
        leader.directory_consent_at = invitation.responded_at
        leader.save(update_fields=["directory_consent_at"])
    refresh_directory_flag(leader)
    log_action(
        "members.invitation.accepted", actor=acting_user, obj=invitation,
        data={"network": invitation.network.slug, "kind": invitation.kind, "membership_created": created},
    )
    _notify_accepted(invitation)
    return membership


def _notify_accepted(invitation: Invitation) -> None:
    """The staff member who sent the invitation is told (no e-mail existed for this before)."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from meute.notifications.models import Kind
    from meute.notifications.services import Text, notify

    if invitation.invited_by_id is None:
        return
    person = invitation.user.get_full_name() or invitation.user.email
    notify([invitation.invited_by_id], Kind.INVITATION_ACCEPTED, obj=invitation,
           url=reverse("web:network_invitations", kwargs={"slug": invitation.network.slug}),
           title=Text(gettext_lazy("%(p)s joined %(n)s"), p=person, n=invitation.network.name),
           body=Text(gettext_lazy("%(p)s accepted your invitation to %(n)s."), p=person, n=invitation.network.name),
           actor=invitation.user)


@transaction.atomic
def do_decline_invitation(invitation: Invitation, *, acting_user: Any) -> Invitation:
    """The invited person declines; an account the network created leaves its membership."""
    from meute.members.services import refresh_directory_flag

    invitation = _lock_pending(invitation, acting_user)
    invitation.status, invitation.responded_at = InvitationStatus.DECLINED, timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    if invitation.kind == InvitationKind.NEW_ACCOUNT:
        Membership.objects.filter(leader__user=invitation.user, network=invitation.network).exclude(
            status=MembershipStatus.LEFT
        ).update(status=MembershipStatus.LEFT, left_on=timezone.localdate())
        leader = Leader.objects.filter(user=invitation.user).first()
        if leader is not None:
            refresh_directory_flag(leader)
    log_action(
        "members.invitation.declined", actor=acting_user, obj=invitation,
        data={"network": invitation.network.slug, "kind": invitation.kind},
    )
    return invitation


@transaction.atomic
def do_activate_account(invitation: Invitation, *, password: str, acting_user: Any) -> Membership:
    """A NEW_ACCOUNT invitation is accepted: the password is set and the network's terms are recorded.

    ``password`` has been validated (Django's password validators) by the caller.
    """
    locked = _lock_pending(invitation, acting_user)
    if locked.kind != InvitationKind.NEW_ACCOUNT:
        raise InvitationInvalid(_("This invitation is for a person who already has an account: log in to answer it."))
    user = locked.user
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    locked.terms_accepted_at = timezone.now()
    locked.save(update_fields=["terms_accepted_at"])
    log_action("members.invitation.terms_accepted", actor=acting_user, obj=locked,
               data={"network": locked.network.slug})
    return do_accept_invitation(locked, acting_user=acting_user)

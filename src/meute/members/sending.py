"""Sending invitations by e-mail, one or many, and withdrawing them.

:func:`send_invitations` is the one entry point for staff: the invitations page calls it for
"resend" and "send all not yet sent", the member list's bulk action calls it with the ids (or
a queryset) of the invitations it selected. Each sending draws a new key (older links stop
working, see :func:`meute.members.invitations.do_renew_key`) and the e-mail leaves after the
transaction commits. More than :data:`BACKGROUND_THRESHOLD` invitations are sent by a
background task (:func:`meute.members.tasks.send_invitation_batch`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meute.core.audit import log_action
from meute.core.links import absolute_url
from meute.members import permissions
from meute.members.exceptions import InvitationInvalid, MemberError
from meute.members.invitations import do_renew_key
from meute.members.models import Invitation, InvitationStatus

#: Above this many invitations, a bulk sending runs as a background task.
BACKGROUND_THRESHOLD = 50


@dataclass(frozen=True)
class SendReport:
    """What a sending did: sent now, queued for the background task, skipped (already answered)."""

    sent: int = 0
    queued: int = 0
    skipped: int = 0


def _ids(invitations: Iterable[int] | QuerySet[Invitation]) -> list[int]:
    if isinstance(invitations, QuerySet):
        return list(invitations.order_by().values_list("pk", flat=True).distinct())
    return sorted({int(getattr(i, "pk", i)) for i in invitations})


def _check_manages(invitations: QuerySet[Invitation], acting_user: Any) -> None:
    if permissions.is_site_admin(acting_user):
        return
    managed = permissions.staff_network_ids(acting_user)
    if invitations.exclude(network_id__in=managed).exists():
        raise MemberError(_("You may only send the invitations of the networks you manage."))


def send_invitations(invitations: Iterable[int] | QuerySet[Invitation], *, acting_user: Any) -> SendReport:
    """Send (or resend) each pending invitation once; refused as a whole if one is of a network not managed.

    ``invitations`` is a queryset or an iterable of ids (or of invitations). Duplicates are sent
    once; invitations already answered or withdrawn are skipped and counted.
    """
    ids = _ids(invitations)
    chosen = Invitation.objects.filter(pk__in=ids)
    _check_manages(chosen, acting_user)
    pending = list(chosen.filter(status=InvitationStatus.PENDING).order_by("pk").values_list("pk", flat=True))
    skipped = len(ids) - len(pending)
    if len(pending) > BACKGROUND_THRESHOLD:
        from meute.members.tasks import send_invitation_batch

        transaction.on_commit(lambda: send_invitation_batch.enqueue(pending, acting_user.pk))
        log_action("members.invitation.batch_queued", actor=acting_user, data={"count": len(pending)})
        return SendReport(queued=len(pending), skipped=skipped)
    sent = 0
    for pk in pending:
        try:
            do_send_invitation(Invitation.objects.get(pk=pk), acting_user=acting_user)
        except InvitationInvalid:  # answered in the meantime
            skipped += 1
        else:
            sent += 1
    return SendReport(sent=sent, skipped=skipped)


def check_send_invitation(invitation: Invitation, *, acting_user: Any) -> None:
    """Send (or resend) one invitation, for the staff of its network."""
    if not permissions.can_manage_network(acting_user, invitation.network):
        raise MemberError(_("You may only send the invitations of the networks you manage."))
    do_send_invitation(invitation, acting_user=acting_user)


@transaction.atomic
def do_send_invitation(invitation: Invitation, *, acting_user: Any) -> None:
    """Draw a new key and e-mail the link after commit (the previous link stops working)."""
    token = do_renew_key(invitation, acting_user=acting_user)
    sender_id = getattr(acting_user, "pk", None)
    # robust: a mail server that fails is logged, it does not turn the committed sending into an error page
    transaction.on_commit(lambda: deliver_invitation(invitation.pk, token, sender_id), robust=True)


def invitation_link(token: str) -> str:
    return absolute_url("web:invitation", token=token)


def deliver_invitation(invitation_id: int, token: str, sender_id: int | None = None) -> None:
    """Write and send the e-mail of one invitation, in the person's language (French by default)."""
    invitation = Invitation.objects.select_related("network", "user", "invited_by").get(pk=invitation_id)
    person = invitation.user
    inviter = invitation.invited_by
    if inviter is None and sender_id:
        from meute.accounts.models import User

        inviter = User.objects.filter(pk=sender_id).first()
    with translation.override(person.language or settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "network": invitation.network,
            "person": person,
            "inviter": inviter.get_full_name() if inviter else "",
            "link": invitation_link(token),
            "days": settings.MEUTE_INVITATION_DAYS,
            "new_account": invitation.kind == "account",
        }
        subject = _("%(network)s invites you to meute") % {"network": invitation.network.name}
        text = render_to_string("members/email/invitation.txt", context)
        html = render_to_string("members/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, None, [person.email])
    message.attach_alternative(html, "text/html")
    message.send()


def check_withdraw_invitation(invitation: Invitation, *, acting_user: Any) -> Invitation:
    if not permissions.can_manage_network(acting_user, invitation.network):
        raise MemberError(_("You may only withdraw the invitations of the networks you manage."))
    return do_withdraw_invitation(invitation, acting_user=acting_user)


@transaction.atomic
def do_withdraw_invitation(invitation: Invitation, *, acting_user: Any) -> Invitation:
    """Withdraw a pending invitation: its link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise InvitationInvalid(_("This invitation has already been answered."))
    invitation.status, invitation.responded_at = InvitationStatus.REVOKED, timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    log_action("members.invitation.withdrawn", actor=acting_user, obj=invitation,
               data={"network": invitation.network.slug})
    return invitation

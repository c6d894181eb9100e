"""Invitation pages: the invited person's page (reached through the e-mailed token), the
"your directory visibility" step after activation, and the invitations page of a network's staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meute.core.exceptions import MeuteError, NotFound
from meute.members.exceptions import InvitationInvalid
from meute.members.invitations import (
    do_accept_invitation,
    do_activate_account,
    do_decline_invitation,
    read_invitation_token,
)
from meute.members.models import InvitationKind, InvitationStatus, Leader
from meute.members.queries import (
    access_network,
    access_network_invitation,
    invitation_counts,
    invitation_label,
    list_network_invitations,
)
from meute.members.sending import check_send_invitation, check_withdraw_invitation, send_invitations
from meute.members.services import check_update_profile
from meute.web.forms import add_domain_error
from meute.web.invitations.forms import ActivateAccountForm, VisibilityForm
from meute.web.paging import capped_page

AUTH_BACKEND = "meute.accounts.backends.AccountBackend"


def _invalid(request: HttpRequest, exc: MeuteError) -> HttpResponse:
    return render(request, "web/invitations/invalid.html", {"reason": exc.message}, status=400)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation e-mail links to; anonymous access through the token."""
    try:
        invite = read_invitation_token(token)
    except InvitationInvalid as exc:
        return _invalid(request, exc)
    if invite.kind == InvitationKind.NEW_ACCOUNT:
        return _activate(request, invite)
    return _join(request, invite, token)


def _activate(request: HttpRequest, invite) -> HttpResponse:
    person = invite.user
    form = ActivateAccountForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_activate_account(invite, password=form.cleaned_data["new_password1"], acting_user=person)
        except InvitationInvalid as exc:
            return _invalid(request, exc)
        person.refresh_from_db()  # the new password's hash keeps the session valid
        login(request, person, backend=AUTH_BACKEND)
        messages.success(request, _("Welcome to %(n)s. Your account is ready.") % {"n": invite.network.name})
        return redirect("web:choose_visibility")
    return render(request, "web/invitations/activate.html", {"invitation": invite, "form": form,
                                                            "network": invite.network})


def _join(request: HttpRequest, invite, token: str) -> HttpResponse:
    here = reverse("web:invitation", kwargs={"token": token})
    context = {"invitation": invite, "network": invite.network, "here": here}
    if not request.user.is_authenticated:
        return render(request, "web/invitations/join_login.html", context)
    if request.user.pk != invite.user_id:
        return render(request, "web/invitations/join_other.html", context, status=403)
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                do_accept_invitation(invite, acting_user=request.user)
                messages.success(request, _("You are now a member of %(n)s.") % {"n": invite.network.name})
                return redirect("web:home")
            if answer == "decline":
                do_decline_invitation(invite, acting_user=request.user)
                return render(request, "web/invitations/declined.html", context)
        except InvitationInvalid as exc:
            return _invalid(request, exc)
        messages.error(request, _("Choose to accept or to decline."))
    return render(request, "web/invitations/join.html", context)


@login_required
def choose_visibility(request: HttpRequest) -> HttpResponse:
    """The step after activation: listed or not, who sees e-mail and phone (also reachable later)."""
    leader = Leader.objects.filter(user=request.user).first()
    if leader is None:
        return redirect("web:home")
    initial = {"listed": leader.listed if leader.directory_consent_at else False,
               "email_visibility": leader.email_visibility, "phone_visibility": leader.phone_visibility}
    form = VisibilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            check_update_profile(leader, acting_user=request.user, **form.cleaned_data)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your choices are saved. You can change them any time in your profile."))
            return redirect("web:home")
    return render(request, "web/invitations/visibility.html", {"form": form, "leader": leader})


@login_required
@require_http_methods(["GET", "POST"])
def network_invitations(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff of a network: who was invited, when, how often, the answer; resend, send all, withdraw."""
    network = access_network(request.user, slug, manage=True)
    if request.method == "POST":
        _staff_action(request, network)
        return redirect("web:network_invitations", slug=network.slug)
    invitations = list_network_invitations(request.user, network)
    status = request.GET.get("status", "")
    shown = invitations.filter(status=status) if status in InvitationStatus.values else invitations
    page = capped_page(shown, 50, request.GET.get("page"))
    rows = [(inv, invitation_label(inv)) for inv in page]
    return render(request, "web/invitations/staff.html", {
        "network": network, "page": page, "rows": rows, "counts": invitation_counts(invitations),
        "status": status, "statuses": InvitationStatus.choices, "query": f"status={status}" if status else "",
    })


def _staff_action(request: HttpRequest, network) -> None:
    action = request.POST.get("action", "")
    try:
        if action == "send_unsent":
            unsent = list_network_invitations(request.user, network).filter(
                status=InvitationStatus.PENDING, send_count=0)
            report = send_invitations(unsent, acting_user=request.user)
            if report.queued:
                messages.success(request, _("%(n)s invitations are being sent in the background.")
                                 % {"n": report.queued})
            else:
                messages.success(request, _("%(n)s invitations sent.") % {"n": report.sent})
            return
        pk = int(request.POST.get("invitation", "0") or 0)
        invite = access_network_invitation(request.user, network, pk)
        if action == "resend":
            check_send_invitation(invite, acting_user=request.user)
            messages.success(request, _("Invitation sent to %(e)s.") % {"e": invite.user.email})
        elif action == "withdraw":
            check_withdraw_invitation(invite, acting_user=request.user)
            messages.success(request, _("Invitation withdrawn."))
        else:
            messages.error(request, _("Unknown action."))
    except ValueError:
        messages.error(request, _("Unknown invitation."))
    except NotFound:
        raise
    except MeuteError as exc:
        messages.error(request, exc.message)

"""The notification centre, each person's choices, unsubscribe links and announcements."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from meute.core.exceptions import MeuteError
from meute.core.permissions import not_found
from meute.notifications import permissions
from meute.notifications.announcements import check_send_announcement
from meute.notifications.exceptions import NotificationError
from meute.notifications.models import Kind
from meute.notifications.queries import (
    access_announcement,
    access_notification,
    list_my_notifications,
    list_sent_announcements,
    my_preferences,
)
from meute.notifications.services import check_set_preferences, do_mark_all_read, do_mark_read
from meute.notifications.unsubscribe import check_unsubscribe, read_unsubscribe_token
from meute.web.forms import add_domain_error
from meute.web.notifications.forms import AnnouncementForm, PreferencesForm


@login_required
def centre(request: HttpRequest) -> HttpResponse:
    items = list_my_notifications(request.user)
    return render(request, "web/notifications/centre.html", {
        "items": items, "unread": sum(1 for n in items if n.read_at is None),
        "may_announce": permissions.may_announce(request.user)})


@login_required
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Follow a notification: it is marked read, then the page it is about opens."""
    notification = access_notification(request.user, notification_id)
    do_mark_read(notification, acting_user=request.user)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("web:notifications")


@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    do_mark_read(access_notification(request.user, notification_id), acting_user=request.user)
    return redirect("web:notifications")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = do_mark_all_read(acting_user=request.user)
    messages.success(request, _("%(n)s notification(s) marked as read.") % {"n": count})
    return redirect("web:notifications")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(my_preferences(request.user), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check_set_preferences(request.user, {k: form.cleaned_data[k] for k in Kind.values},
                                  acting_user=request.user)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your notification choices are saved."))
            return redirect("web:notification_preferences")
    return render(request, "web/notifications/preferences.html", {"form": form})


@csrf_exempt  # the signed, single-use token is the authority; mail clients post here (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link stops and one button; POST (the button, or a mail client) applies it."""
    try:
        link = check_unsubscribe(token) if request.method == "POST" else read_unsubscribe_token(token)
    except NotificationError as exc:
        return render(request, "web/notifications/unsubscribe_invalid.html", {"reason": exc.message}, status=400)
    context = {"link": link, "kind_label": Kind(link.kind).label if link.kind else "",
               "done": request.method == "POST"}
    return render(request, "web/notifications/unsubscribe.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def announcement_new(request: HttpRequest) -> HttpResponse:
    if not permissions.may_announce(request.user):
        raise not_found()
    form = AnnouncementForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = check_send_announcement(
                form.segment(), subject=form.cleaned_data["subject"], body=form.cleaned_data["body"],
                token=form.cleaned_data["token"], acting_user=request.user)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The announcement is being sent to %(n)s person(s).")
                             % {"n": announcement.expected})
            return redirect("web:announcement", announcement.pk)
    return render(request, "web/notifications/announcement_form.html", {"form": form})


@login_required
def announcements(request: HttpRequest) -> HttpResponse:
    if not permissions.may_announce(request.user):
        raise not_found()
    return render(request, "web/notifications/announcements.html",
                  {"announcements": list_sent_announcements(request.user)[:100]})


@login_required
def announcement(request: HttpRequest, announcement_id: int) -> HttpResponse:
    item = access_announcement(request.user, announcement_id)
    is_sender = list_sent_announcements(request.user).filter(pk=item.pk).exists()
    return render(request, "web/notifications/announcement.html", {"announcement": item, "is_sender": is_sender})

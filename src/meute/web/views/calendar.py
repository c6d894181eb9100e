"""The person's private calendar feed (iCal) and the page that gives its address."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from meute.accounts.models import User
from meute.accounts.services import calendar_token_for, reset_calendar_token
from meute.events.ical import calendar, events_for_feed, vevent
from meute.peergroups.ical import vevents as peergroup_vevents

# Other apps add their items to the feed by appending a callable ``user -> iterable of VEvent``.
FEED_SOURCES = [
    lambda user, domain: (vevent(event, domain=domain) for event in events_for_feed(user)),
    peergroup_vevents,
]


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        reset_calendar_token(request.user)
        return redirect("web:calendar")
    token = calendar_token_for(request.user)
    url = request.build_absolute_uri(reverse("web:calendar_feed", args=[token]))
    return render(request, "web/calendar.html", {"feed_url": url})


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = User.objects.filter(calendar_token=token, is_active=True).first() if token else None
    if user is None:
        raise Http404
    domain = request.get_host().split(":")[0]
    items = [item for source in FEED_SOURCES for item in source(user, domain)]
    return HttpResponse(calendar(items, name=f"meute — {user}"), content_type="text/calendar; charset=utf-8")


from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meute.members import permissions
from meute.members.queries import list_managed_networks, list_my_memberships


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    leader = getattr(user, "leader", None)
    return render(request, "web/home.html", {
        "leader": leader,
        "memberships": list_my_memberships(user),
        "managed": list_managed_networks(user),
        "roles": user.network_roles.select_related("network").order_by("network__name"),
        "can_use_directory": permissions.can_use_directory(user),
    })

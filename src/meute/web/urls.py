from django.urls import include, path

from meute.web import converters  # noqa: F401  (registers <id:...>)
from meute.web.views import directory

app_name = "web"

urlpatterns = [
    path("", include("meute.web.home.urls")),
    path("directory/", directory.directory, name="directory"),
    path("directory/export.<str:fmt>", directory.directory_export, name="directory_export"),
    path("", include("meute.web.profiles.urls")),
    path("", include("meute.web.networks.urls")),
    path("", include("meute.web.memberships.urls")),
    path("", include("meute.web.imports.urls")),
    path("", include("meute.web.urls_events")),
    path("", include("meute.web.urls_peergroups")),
    path("", include("meute.web.urls_advisor")),
    path("", include("meute.web.audit.urls")),
    path("", include("meute.web.invitations.urls")),
    path("", include("meute.web.door.urls")),
    path("", include("meute.web.conflicts.urls")),
    path("", include("meute.web.notifications.urls")),
    path("", include("meute.web.purchases.urls")),
    path("privacy/", include("meute.web.privacy.urls")),
]

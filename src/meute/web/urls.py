from django.urls import include, path

from meute.web import converters  # noqa: F401  (registers <id:...>)
from meute.web.lookups import views as lookups
from meute.web.search import views as search
from meute.web.views import directory

app_name = "web"

urlpatterns = [
    path("", include("meute.web.home.urls")),
    path("directory/", directory.directory, name="directory"),
    path("search/", search.search, name="search"),
    path("communes/", lookups.communes, name="commune_lookup"),
    path("activities/", lookups.activities, name="activity_lookup"),
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
    path("", include("meute.web.questions.urls")),
    path("", include("meute.web.documents.urls")),
    path("", include("meute.web.referrals.urls")),
    path("", include("meute.web.pwa.urls")),
    path("privacy/", include("meute.web.privacy.urls")),
]

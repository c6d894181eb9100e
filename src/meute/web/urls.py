from django.urls import include, path

from meute.web.views import directory, home, imports, networks, profiles

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("directory/", directory.directory, name="directory"),
    path("directory/export.<str:fmt>", directory.directory_export, name="directory_export"),
    path("members/<int:leader_id>/", profiles.profile, name="profile"),
    path("me/", profiles.edit_my_profile, name="my_profile"),
    path("networks/", networks.network_list, name="networks"),
    path("networks/<slug:slug>/", networks.network_detail, name="network"),
    path("networks/<slug:slug>/edit/", networks.network_edit, name="network_edit"),
    path("networks/<slug:slug>/members/", networks.network_members, name="network_members"),
    path("networks/<slug:slug>/members/export.<str:fmt>", networks.network_members_export,
         name="network_members_export"),
    path("networks/<slug:slug>/import/", imports.import_members, name="network_import"),
    path("", include("meute.web.urls_events")),
    path("", include("meute.web.urls_peergroups")),
    path("", include("meute.web.urls_advisor")),
    path("", include("meute.web.audit.urls")),
    path("", include("meute.web.invitations.urls")),
    path("", include("meute.web.conflicts.urls")),
    path("privacy/", include("meute.web.privacy.urls")),
]

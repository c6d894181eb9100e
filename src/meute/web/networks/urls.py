"""URLs of the network pages (included in meute.web.urls, namespace "web")."""

from django.urls import path

from meute.web.networks import views

urlpatterns = [
    path("networks/", views.network_list, name="networks"),
    path("networks/<slug:slug>/", views.network_detail, name="network"),
    path("networks/<slug:slug>/edit/", views.network_edit, name="network_edit"),
    path("networks/<slug:slug>/members/", views.network_members, name="network_members"),
    path("networks/<slug:slug>/members/export.<str:fmt>", views.network_members_export,
         name="network_members_export"),
    path("networks/<slug:slug>/members/bulk/", views.network_members_bulk, name="network_members_bulk"),
    path("networks/<slug:slug>/roles/", views.network_roles, name="network_roles"),
    path("networks/<slug:slug>/roles/<id:role_id>/remove/", views.network_role_remove, name="network_role_remove"),
]

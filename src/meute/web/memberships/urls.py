"""URLs of a network's member pages for its staff (included in meute.web.urls, namespace "web")."""

from django.urls import path

from meute.web.memberships import views

urlpatterns = [
    path("networks/<slug:slug>/members/<id:membership_id>/", views.member_detail, name="network_member"),
]

"""URLs of the profile pages (included in meute.web.urls, namespace "web")."""

from django.urls import path

from meute.web.profiles import views

urlpatterns = [
    path("members/<int:leader_id>/", views.profile, name="profile"),
    path("me/", views.edit_my_profile, name="my_profile"),
]

"""URLs of the profile pages (included in meute.web.urls, namespace "web")."""

from django.urls import path

from meute.web.profiles import views

urlpatterns = [
    path("members/<id:leader_id>/", views.profile, name="profile"),
    path("me/", views.edit_my_profile, name="my_profile"),
    path("me/company/", views.edit_my_company, name="my_company"),
    path("me/email/", views.change_my_email, name="my_email"),
    path("me/email/confirm/<str:token>/", views.confirm_email_change, name="email_change_confirm"),
]

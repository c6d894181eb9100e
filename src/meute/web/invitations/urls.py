from django.urls import path

from meute.web.invitations import views

urlpatterns = [
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("welcome/visibility/", views.choose_visibility, name="choose_visibility"),
    path("networks/<slug:slug>/invitations/", views.network_invitations, name="network_invitations"),
]

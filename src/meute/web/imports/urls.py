"""URLs of the member import pages (included in meute.web.urls, namespace "web")."""

from django.urls import path

from meute.web.imports import views

urlpatterns = [
    path("networks/<slug:slug>/import/", views.import_members, name="network_import"),
]

"""URLs of the home page and the staff cockpit (included in meute.web.urls, namespace "web")."""

from django.urls import path

from meute.web.home import views

urlpatterns = [
    path("", views.home, name="home"),
    path("cockpit/<slug:slug>/<str:key>.csv", views.figure_export, name="cockpit_figure_export"),
]

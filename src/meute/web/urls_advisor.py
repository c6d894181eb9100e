"""URLs of the advisor pages (included in meute.web.urls, namespace "web")."""

from django.urls import path

from meute.web import converters  # noqa: F401  (registers <id:...>)
from meute.web.views import advisor

urlpatterns = [
    path("advisor/", advisor.questionnaire, name="advisor"),
    path("territory/networks/", advisor.territory_networks, name="territory_networks"),
    path("territory/networks/new/", advisor.territory_network_edit, name="territory_network_new"),
    path("territory/networks/<slug:slug>/", advisor.territory_network, name="territory_network"),
    path("territory/networks/<slug:slug>/edit/", advisor.territory_network_edit, name="territory_network_edit"),
    path("meetings/", advisor.meetings, name="meetings"),
    path("meetings/ask/<id:leader_id>/", advisor.introduction_request, name="introduction_request"),
    path("meetings/introductions/<id:introduction_id>/answer/", advisor.introduction_answer,
         name="introduction_answer"),
    path("meetings/introductions/staff/", advisor.introductions_staff, name="introductions_staff"),
    path("meetings/cafe/", advisor.cafe_toggle, name="cafe_toggle"),
]

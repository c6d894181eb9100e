"""URLs of the check-in page at the door (included in meute.web.urls, namespace "web")."""

from django.urls import path

from meute.web.door import views

urlpatterns = [
    path("events/<id:event_id>/door/", views.door, name="event_door"),
    path("events/<id:event_id>/door/scan/", views.door_scan, name="event_door_scan"),
    path("events/<id:event_id>/door/present/<id:registration_id>/", views.door_present, name="event_door_present"),
    path("events/<id:event_id>/door/walk-in/", views.door_walk_in, name="event_door_walk_in"),
]

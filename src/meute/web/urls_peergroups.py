"""URLs of the peer-group programme (included in meute.web.urls, namespace "web")."""

from django.urls import path

from meute.web import converters  # noqa: F401  (registers <id:...>)
from meute.web.views import groups, programme

urlpatterns = [
    path("programme/<slug:slug>/", programme.programme, name="programme"),
    path("programme/<slug:slug>/apply/", programme.apply, name="programme_apply"),
    path("programme/<slug:slug>/candidates/", programme.add_candidate, name="programme_add_candidate"),
    path("programme/<slug:slug>/runs/", programme.start_run, name="programme_start_run"),
    path("programme/<slug:slug>/fees/", programme.fees, name="programme_fees"),
    path("programme/<slug:slug>/plenaries/", programme.plenaries, name="programme_plenaries"),
    path("programme/<slug:slug>/venues/", programme.venues, name="programme_venues"),
    path("programme/<slug:slug>/facilitators/", programme.facilitators, name="programme_facilitators"),
    path("formation/<id:run_id>/", programme.run_detail, name="formation_run"),
    path("formation/<id:run_id>/status/", programme.run_status, name="formation_run_status"),
    path("formation/<id:run_id>/edit/", programme.run_edit, name="formation_run_edit"),
    path("formation/<id:run_id>/publish/", programme.run_publish, name="formation_run_publish"),
    path("formation/<id:run_id>/cancel/", programme.run_cancel, name="formation_run_cancel"),
    path("formation/<id:run_id>/retry/", programme.run_retry, name="formation_run_retry"),
    path("groups/", groups.my_groups, name="groups"),
    path("groups/<id:group_id>/", groups.group_detail, name="group"),
    path("groups/<id:group_id>/end/", groups.group_end, name="group_end"),
    path("groups/<id:group_id>/edit/", groups.group_edit, name="group_edit"),
    path("groups/<id:group_id>/leave/", groups.group_leave, name="group_leave"),
    path("groups/<id:group_id>/sponsors/", groups.group_sponsors, name="group_sponsors"),
    path("groups/<id:group_id>/replace/", groups.group_replace, name="group_replace"),
    path("groups/<id:group_id>/attendance.csv", groups.group_attendance_export, name="group_attendance_export"),
    path("meetings/<id:meeting_id>/", groups.meeting_detail, name="meeting"),
    path("meetings/<id:meeting_id>/action/", groups.meeting_action, name="meeting_action"),
]

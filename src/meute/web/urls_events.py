"""URLs of the events pages (included in meute.web.urls, namespace "web")."""

from django.urls import path

from meute.web import converters  # noqa: F401  (registers <id:...>)
from meute.web.views import calendar, events, speedmeetings

urlpatterns = [
    path("events/", events.event_list, name="events"),
    path("events/calendar/", events.event_calendar, name="event_calendar"),
    path("events/new/<slug:slug>/", events.event_create, name="event_create"),
    path("events/<id:event_id>/", events.event_detail, name="event"),
    path("events/<id:event_id>/edit/", events.event_edit, name="event_edit"),
    path("events/<id:event_id>/register/", events.event_register, name="event_register"),
    path("events/<id:event_id>/cancel/", events.event_cancel, name="event_cancel"),
    path("events/<id:event_id>/registrations/", events.event_registrations, name="event_registrations"),
    path("events/<id:event_id>/registrations/<id:registration_id>/presence/", events.event_presence,
         name="event_presence"),
    path("events/<id:event_id>/checkin/<str:code>/", events.event_checkin, name="event_checkin"),
    path("events/<id:event_id>/met/", events.event_people_met, name="event_people_met"),
    path("events/<id:event_id>/plan/", speedmeetings.plan, name="event_plan"),
    path("events/<id:event_id>/plan/replan/", speedmeetings.replan, name="event_replan"),
    path("events/<id:event_id>/plan/status/", speedmeetings.plan_status, name="event_plan_status"),
    path("events/<id:event_id>/plan/<id:plan_id>/cancel/", speedmeetings.plan_cancel, name="event_plan_cancel"),
    path("events/<id:event_id>/plan/<id:plan_id>/retry/", speedmeetings.plan_retry, name="event_plan_retry"),
    path("events/<id:event_id>/plan.pdf", speedmeetings.plan_pdf, name="event_plan_pdf"),
    path("events/<id:event_id>/tables.pdf", speedmeetings.tables_pdf, name="event_tables_pdf"),
    path("events/<id:event_id>/schedules.pdf", speedmeetings.schedules_all_pdf, name="event_schedules_pdf"),
    path("events/<id:event_id>/badges.pdf", events.badges, name="event_badges_pdf"),
    path("events/<id:event_id>/attendance.pdf", events.attendance_sheet, name="event_attendance_pdf"),
    path("meetings/<id:meeting_id>/attendance.pdf", events.meeting_attendance_sheet,
         name="meeting_attendance_pdf"),
    path("events/<id:event_id>/mail/", events.event_mailing, name="event_mailing"),
    path("events/<id:event_id>/plan/send-schedules/", speedmeetings.send_schedules, name="event_send_schedules"),
    path("events/<id:event_id>/room/", speedmeetings.room, name="event_room"),
    path("events/<id:event_id>/room/next/", speedmeetings.room_next, name="event_room_next"),
    path("events/<id:event_id>/schedule/", speedmeetings.my_schedule, name="event_schedule"),
    path("events/<id:event_id>/schedule.pdf", speedmeetings.my_schedule_pdf, name="event_schedule_pdf"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]

from django.urls import path

from meute.web.notifications import views

urlpatterns = [
    path("notifications/", views.centre, name="notifications"),
    path("notifications/<id:notification_id>/", views.open_notification, name="notification_open"),
    path("notifications/<id:notification_id>/read/", views.mark_read, name="notification_read"),
    path("notifications/read-all/", views.mark_all_read, name="notifications_read_all"),
    path("notifications/preferences/", views.preferences, name="notification_preferences"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="notifications_unsubscribe"),
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/new/", views.announcement_new, name="announcement_new"),
    path("announcements/<id:announcement_id>/", views.announcement, name="announcement"),
]

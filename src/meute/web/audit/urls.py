"""URLs of the audit log pages (included in meute.web.urls, namespace "web")."""

from django.urls import path

from meute.web.audit import views

urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/networks/<slug:slug>/", views.network_audit_log, name="network_audit_log"),
    path("me/history/", views.my_history, name="my_history"),
]

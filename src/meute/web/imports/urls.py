"""URLs of the member import pages (included in meute.web.urls, namespace "web")."""

from django.urls import path

from meute.web.imports import views

urlpatterns = [
    path("networks/<slug:slug>/import/", views.import_members, name="network_import"),
    path("networks/<slug:slug>/members/add/", views.add_member, name="network_member_add"),
    path("imports/<id:job_id>/", views.import_job, name="import_job"),
    path("imports/<id:job_id>/mapping/", views.import_mapping, name="import_mapping"),
    path("imports/<id:job_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<id:job_id>/status/", views.import_status, name="import_status"),
]

"""URLs of the library (included in meute.web.urls, namespace "web")."""

from django.urls import path

from meute.web.documents import views

urlpatterns = [
    path("documents/", views.documents, name="documents"),
    path("networks/<slug:slug>/documents/new/", views.document_create, name="document_create"),
    path("documents/<id:document_id>/", views.document, name="document"),
    path("documents/<id:document_id>/download/", views.document_download, name="document_download"),
    path("documents/<id:document_id>/versions/new/", views.version_create, name="document_version_create"),
    path("documents/<id:document_id>/versions/<id:version_id>/download/", views.version_download,
         name="document_version_download"),
    path("documents/<id:document_id>/edit/", views.document_update, name="document_update"),
    path("documents/<id:document_id>/links/", views.document_link, name="document_link"),
    path("documents/<id:document_id>/links/<id:link_id>/delete/", views.document_unlink, name="document_unlink"),
    path("documents/<id:document_id>/delete/", views.document_delete, name="document_delete"),
]

from django.urls import path

from meute.web.conflicts import views

urlpatterns = [
    path("programme/<slug:slug>/conflicts/", views.conflicts, name="programme_conflicts"),
    path("programme/<slug:slug>/conflicts/<id:conflict_id>/confirm/", views.confirm,
         name="programme_conflict_confirm"),
]

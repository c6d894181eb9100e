from django.urls import path

from meute.web.privacy import views

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("my-data.json", views.my_data_json, name="my_data_json"),
    path("erasure/", views.request_erasure, name="request_erasure"),
    path("requests/", views.erasure_requests, name="erasure_requests"),
]

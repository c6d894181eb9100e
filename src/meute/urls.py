from django.contrib import admin
from django.urls import include, path

from meute.web.accounts.views import LoginView, LogoutView, set_language

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("", include("meute.web.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("meute.web.urls")),
]

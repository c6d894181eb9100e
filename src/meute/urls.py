from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from meute.web.accounts.views import LogoutView

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("", include("meute.web.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("meute.web.urls")),
]

"""Account pages. Names are global (``password_reset_done`` …): Django's views reverse them so.

Templates live under ``web/accounts/`` (the admin app ships its own ``registration/`` ones,
which would otherwise win).
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from meute.web.accounts.views import PasswordResetView

T = "web/accounts/"

urlpatterns = [
    path("password/reset/", PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name=T + "password_reset_done.html"), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name=T + "password_reset_confirm.html"), name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name=T + "password_reset_complete.html"), name="password_reset_complete"),
    path("password/change/", auth_views.PasswordChangeView.as_view(
        template_name=T + "password_change_form.html"), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(
        template_name=T + "password_change_done.html"), name="password_change_done"),
]

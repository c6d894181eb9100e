"""Password reset and change: Django's own views, with French templates in the site's layout.

The reset e-mail carries an absolute link built from ``settings.SITE_URL``, never from the
host of the request (a forged ``Host`` header cannot redirect the link). An unknown address
gets the same answer as a known one (Django's behaviour: the "e-mail sent" page either way).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "web/accounts/password_reset_form.html"
    email_template_name = "web/accounts/password_reset_email.txt"
    html_email_template_name = "web/accounts/password_reset_email.html"
    subject_template_name = "web/accounts/password_reset_subject.txt"

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    """Django's logout, whose answer also tells the browser to drop what it kept of the person.

    ``Clear-Site-Data: "cache", "storage"`` empties the HTTP cache and the service worker's
    caches (personal schedules, agendas, QR codes kept for offline reading) and unregisters the
    worker; the logout form's script and the worker itself delete them too (web/static/web/sw.js).
    """

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response

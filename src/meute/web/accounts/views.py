"""Login, logout, language, password reset and change: Django's own views, with French templates
in the site's layout.

The language a person chooses with the switch is kept on their account (``User.language``): their
e-mails and notifications are written in it, and logging in on another device opens the site in it.

The reset e-mail carries an absolute link built from ``settings.SITE_URL``, never from the
host of the request (a forged ``Host`` header cannot redirect the link). An unknown address
gets the same answer as a known one (Django's behaviour: the "e-mail sent" page either way).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.utils.translation import check_for_language
from django.views.i18n import set_language as django_set_language

from meute.accounts.services import do_set_language

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also keeps the choice on the person's account."""
    response = django_set_language(request)
    code = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and check_for_language(code):
        do_set_language(request.user, code)
    return response


class LoginView(auth_views.LoginView):
    """Django's login, which opens the site in the language the person chose last."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        code = form.get_user().language
        if code in LANGUAGES:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
                                path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                                secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                                samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response


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

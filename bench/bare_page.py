"""The bare Django page ``bench/web.py`` compares meute's pages with.

One view that renders a small template-free HTML page, no middleware, no database: what a
Django process costs at the least under gunicorn. Served as
``gunicorn bare_page:application --pythonpath bench`` with meute's gunicorn settings.
"""

from __future__ import annotations

from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bare-page-benchmark-only",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_I18N=False,
    )

from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

PAGE = "<!doctype html><html lang=\"fr\"><head><title>meute</title></head><body><p>Bonjour.</p></body></html>"


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE)


urlpatterns = [path("", bare)]
application = get_wsgi_application()

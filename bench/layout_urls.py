"""The URLs of ``bench/layout_page.py``: meute's, after one page with the layout alone."""

from __future__ import annotations

from functools import cache

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import Template, engines
from django.urls import include, path

LAYOUT_ONLY = (
    '{% extends "web/base.html" %}{% block title %}Bench{% endblock %}{% block content %}<h1>Bench</h1>{% endblock %}'
)


@cache
def _template() -> Template:
    return engines["django"].from_string(LAYOUT_ONLY)


@login_required
def layout(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_template().render({}, request))


urlpatterns = [path("bench/layout/", layout), path("", include("meute.urls"))]

"""The installable app: the web app manifest, the service worker and its offline page.

The service worker (``web/static/web/sw.js``) is a static file, served here at ``/sw.js`` so
that its scope is the whole site. Which pages it keeps for offline reading is decided by the
views (``offline_readable``); who is looking is named by ``OfflineViewerMiddleware``, so the
worker drops what it kept when that person changes (see sw.js).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import cache_control

SERVICE_WORKER = Path(__file__).resolve().parent.parent / "static" / "web" / "sw.js"
THEME_COLOUR = "#8a3b12"
OFFLINE_HEADER = "X-Meute-Offline"
VIEWER_HEADER = "X-Meute-Viewer"


def offline_readable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a personal page that the service worker may keep for reading offline."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response[OFFLINE_HEADER] = "keep"
        return response

    return wrapper


def viewer_key(user: object) -> str:
    """An opaque key of the logged-in person ("" when nobody is): not their id, not guessable."""
    if not getattr(user, "is_authenticated", False):
        return ""
    return salted_hmac("meute.offline.viewer", str(user.pk)).hexdigest()[:24]


class OfflineViewerMiddleware:
    """Name the viewer on every page, so the service worker can tell when the person changes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response[VIEWER_HEADER] = viewer_key(getattr(request, "user", None))
        return response


@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@cache_control(max_age=86400)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest, in French: the interface speaks French first."""
    data = {
        "name": "meute — réseaux de dirigeants",
        "short_name": "meute",
        "description": "La plateforme des réseaux de dirigeants d'entreprise : groupes, rencontres, annuaire.",
        "lang": "fr",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f7f9",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static(f"web/icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
             "purpose": purpose}
            for size, purpose in ((192, "any"), (512, "any"), (512, "maskable"))
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


def offline(request: HttpRequest) -> HttpResponse:
    """The page the service worker shows for a page that was not kept, when the network is down.

    It is cached for everyone who uses the device, so it names nobody: no header, no menu."""
    return render(request, "web/pwa/offline.html")

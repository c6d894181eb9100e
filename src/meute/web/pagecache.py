"""A person's page, answered again from memory while nothing in the database has changed.

A view marked with :func:`kept_for_viewer` (the home, the directory, the events list) is answered
from the process's memory when the same browser asks for the same address again (the same cookies,
so the same session, language and CSRF secret; the same ``Accept-Language``, host and htmx
headers), for at most ``MEUTE_PAGE_CACHE_SECONDS``, and only while the database holds exactly the
data the page was rendered from.

That last condition needs no invalidation anywhere in the code. Before rendering, the middleware
reads PostgreSQL's ``pg_current_snapshot()``: the transactions a new query sees as committed
(``xmin:xmax:in-progress ids``). Two equal snapshots see the same rows; any transaction that writes
takes an id, and its commit changes the snapshot of every query after it. The page is kept under
the snapshot read before it was rendered, so the next request finds it only if no write at all
was committed in between: a vote, a meeting, a membership ended, an import in another network,
the person's own logout (their session row deleted), a password change (the account row) — any of
them makes the next request render afresh, in every server process. A write that commits during
the rendering changes the snapshot too, so the kept page, which may predate it, is not found again.

What the database does not hold is bounded by time: the clock (« dans 3 jours », a campaign that
closes at noon) moves the page by at most ``MEUTE_PAGE_CACHE_SECONDS``, and a page is never kept
past its session's expiry.

Kept only: a 200 answer to a ``GET`` with a session cookie, from a marked view, on PostgreSQL,
outside any transaction (inside one, the transaction's own writes leave the snapshot unchanged),
that sets no new cookie (a new CSRF secret, a message read from its cookie) and carries no one-time
form key (``web/once.py``: two tabs must not share one). Elsewhere, and on SQLite, every request
renders. The memory is Django's ``pages`` cache (local to the process, a bounded number of pages).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse

CACHE = "pages"
MARK = "meute_kept_for_viewer"
KNOWN_PATHS_MAX = 10_000
# Request headers a marked page may depend on, besides its address; any difference is another page.
KEY_HEADERS = ("HTTP_COOKIE", "HTTP_ACCEPT_LANGUAGE", "HTTP_HOST")
ONE_TIME_KEY = b'submission"'  # the end of the field's name, whatever the form's prefix


def kept_for_viewer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view whose page depends only on the database, the request's cookies and headers and the clock.

    Such a view writes nothing when it renders (a write would only make its page useless to keep)."""

    @wraps(view)
    def marked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        setattr(response, MARK, True)
        return response

    return marked


class PageCacheMiddleware:
    """Answer a marked page from memory while the database's snapshot is the one it was rendered in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # The paths whose answers were marked, learned from them: only these pay the snapshot query.
        self.known_paths: set[str] = set()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self._key(request)
        if key is not None:
            kept = caches[CACHE].get(key)
            if kept is not None and kept[0] > time.time():
                return _rebuilt(kept)
        response = self.get_response(request)
        if getattr(response, MARK, False):
            if len(self.known_paths) >= KNOWN_PATHS_MAX:
                self.known_paths.clear()
            self.known_paths.add(request.path_info)
            if key is not None and _may_keep(request, response):
                _keep(key, request, response)
        return response

    def _key(self, request: HttpRequest) -> str | None:
        seconds = settings.MEUTE_PAGE_CACHE_SECONDS
        if (seconds <= 0 or request.method != "GET" or request.path_info not in self.known_paths
                or settings.SESSION_COOKIE_NAME not in request.COOKIES):
            return None
        snapshot = database_snapshot()
        if snapshot is None:
            return None
        parts = [snapshot, request.scheme, request.get_full_path()]
        parts += [request.META.get(name, "") for name in KEY_HEADERS]
        parts += [f"{name}={value}" for name, value in sorted(request.META.items()) if name.startswith("HTTP_HX_")]
        return "page:" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def database_snapshot() -> str | None:
    """The committed transactions a query now sees, or None where that cannot name the data (SQLite,
    or inside a transaction, whose own writes leave it unchanged)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        return cursor.fetchone()[0]


def _may_keep(request: HttpRequest, response: HttpResponse) -> bool:
    return (response.status_code == 200 and not response.streaming and _sets_no_new_cookie(request, response)
            and ONE_TIME_KEY not in response.content)


def _sets_no_new_cookie(request: HttpRequest, response: HttpResponse) -> bool:
    """True if the answer sets no cookie but the browser's own CSRF cookie again (Django sends it with
    every page that has a form, to renew its expiry; the kept page is answered without it)."""
    csrf = settings.CSRF_COOKIE_NAME
    return all(name == csrf and morsel.value == request.COOKIES.get(csrf) for name, morsel in response.cookies.items())


def _keep(key: str, request: HttpRequest, response: HttpResponse) -> None:
    seconds = settings.MEUTE_PAGE_CACHE_SECONDS
    until = time.time() + seconds
    session_ends = getattr(getattr(request, "session", None), "db_expire_date", None)
    if session_ends is not None:
        until = min(until, session_ends.timestamp())
    caches[CACHE].set(key, (until, response.status_code, list(response.items()), response.content), seconds)


def _rebuilt(kept: tuple[float, int, list[tuple[str, str]], bytes]) -> HttpResponse:
    _until, status, headers, content = kept
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response

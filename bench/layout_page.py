"""meute's floor: the logged-in layout with nothing in it, which ``bench/web.py`` measures beside
the pages.

Served as ``gunicorn meute.wsgi --pythonpath bench`` with ``DJANGO_SETTINGS_MODULE=layout_page``:
meute's own settings and URLs, plus one page at ``/bench/layout/`` that asks for a login and
renders ``web/base.html`` around an empty main block. Every logged-in page pays at least this:
the middleware, the session and the account read, the bell's unread count, the main menu and
the rest of the layout. No page of meute can be faster than it; the home, which adds its
sections to it, least of all.
"""

from __future__ import annotations

from meute.settings import *  # noqa: F403 (meute's settings, one URL more)

ROOT_URLCONF = "layout_urls"

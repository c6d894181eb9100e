"""The site's main menu, rendered once per language and kept.

Its links and words depend only on the language, the site's URLs, whether the person is the
site administrator (the audit log's link) and whether they have a leader profile (referrals are
exchanged between leaders): every page of a process writes the same HTML for the same four,
so the menu is rendered once for each and kept in the process (a score of URL reversals and
translations less on every page). Nothing is kept about the person.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()
_MENUS: dict[tuple, SafeString] = {}
_MAX_KEPT = 64  # languages × script prefixes × 4: a handful in practice


@register.simple_tag(takes_context=True)
def main_menu(context: template.Context) -> SafeString:
    user = context.get("user")
    is_superuser = bool(getattr(user, "is_superuser", False))
    is_leader = getattr(user, "leader", None) is not None  # read with the account: no query
    key = (get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, is_superuser, is_leader)
    menu = _MENUS.get(key)
    if menu is None:
        if len(_MENUS) >= _MAX_KEPT:
            _MENUS.clear()
        menu = _MENUS[key] = render_to_string("web/components/main_menu.html",
                                              {"is_superuser": is_superuser, "is_leader": is_leader})
    return menu

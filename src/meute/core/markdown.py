"""Markdown written by people, rendered safely: one renderer for every app.

markdown-it-py parses CommonMark with raw HTML turned off (a ``<script>`` typed in a question
is shown as text), then ammonia (through ``nh3``) keeps only an allow-list of tags and
attributes: no event handler, no ``style``, no image; links only to ``http``, ``https`` and
``mailto``, always with ``rel="nofollow noopener noreferrer"``. Both steps are kept on purpose:
the parser's escaping is the first wall, the sanitiser the second, should the parser change.
"""

from __future__ import annotations

import html as html_lib
from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

TAGS = frozenset({"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4",
                  "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "del"})
ATTRIBUTES = {"a": {"href"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable("table").enable("strikethrough")
    parser.disable("image")  # no remote images: they would tell a third party who reads the page
    return parser


def sanitise(html: str) -> str:
    """Keep only the allow-list of :data:`TAGS` and :data:`ATTRIBUTES` (the second wall)."""
    return nh3.clean(html, tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel=LINK_REL, strip_comments=True,
                     clean_content_tags={"script", "style"})


def render(text: str) -> SafeString:
    """Safe HTML for ``text`` (Markdown); headings are shifted so that ``#`` becomes ``h3``."""
    html = _parser().render(text or "")
    for level in range(6, 0, -1):
        shifted = min(6, level + 2)
        html = html.replace(f"<h{level}>", f"<h{shifted}>").replace(f"</h{level}>", f"</h{shifted}>")
    return mark_safe(sanitise(html))


def plain(text: str) -> str:
    """The text of ``text`` without any markup (for e-mails, notifications and search)."""
    stripped = nh3.clean(_parser().render(text or ""), tags=set(), clean_content_tags={"script", "style"})
    return html_lib.unescape(stripped).strip()

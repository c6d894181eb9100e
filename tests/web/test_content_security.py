import re
from pathlib import Path

import pytest
from django.urls import reverse

import meute
from tests.factories import MembershipFactory

TEMPLATES = sorted(Path(meute.__file__).parent.rglob("templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


def _offences(path: Path) -> list[tuple[str, str, str]]:
    text = path.read_text(encoding="utf-8")
    found = []
    for name, pattern in (("inline <script>", INLINE_SCRIPT), ("style= attribute", STYLE_ATTRIBUTE),
                          ("inline event handler", EVENT_HANDLER), ("javascript: URL", JAVASCRIPT_URL)):
        found += [(path.name, name, m.group(0)[:60]) for m in pattern.finditer(text)]
    # A <style> element is allowed only in the templates WeasyPrint turns into PDFs (never served as HTML).
    if not path.name.endswith("_pdf.html"):
        found += [(path.name, "<style> element", "") for _ in STYLE_ELEMENT.finditer(text)]
    return found


def test_templates_are_found():
    """The scan below reads the real templates (the site's base page among them)."""
    assert any(p.name == "base.html" for p in TEMPLATES) and len(TEMPLATES) > 20


def test_no_template_has_inline_script_or_style():
    """No template holds an inline script, event handler, style attribute or javascript: URL."""
    offences = [o for path in TEMPLATES for o in _offences(path)]
    assert offences == []


def test_the_scan_catches_inline_code(tmp_path):
    """The scan flags each kind of inline code it is meant to refuse."""
    page = tmp_path / "page.html"
    page.write_text('<script>alert(1)</script><p style="color:red"><a onclick="x()" href="javascript:y()">'
                    '<style>p{}</style><script src="/static/ok.js"></script>')
    kinds = {kind for _name, kind, _text in _offences(page)}
    assert kinds == {"inline <script>", "style= attribute", "inline event handler", "javascript: URL",
                     "<style> element"}


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    """Pages carry a Content-Security-Policy with default-src 'self' and no inline scripts or styles."""
    anonymous = client.get(reverse("login"))
    client.force_login(MembershipFactory().leader.user)
    for response in (anonymous, client.get(reverse("web:home"))):
        assert response.status_code == 200
        policy = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert directives["frame-ancestors"] == "'none'"

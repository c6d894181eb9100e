"""Static files: hashed names, gzip and brotli copies, a far-future immutable cache."""

import re

import pytest
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "meute.web.staticstorage.StaticStorage"},
}
ONE_YEAR = 365 * 24 * 3600


@pytest.fixture(scope="module")
def collected_tree(tmp_path_factory):
    """The site's own static files collected once, as ``make install`` does (admin and vendored files left out)."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STORAGES=STORAGES, STATIC_ROOT=root, WHITENOISE_USE_FINDERS=False):
        call_command("collectstatic", interactive=False, verbosity=0,
                     ignore_patterns=["admin", "django_htmx", "vendor", "axes"])
    return root


@pytest.fixture
def collected(collected_tree):
    """The collected tree served, for one test (the settings follow each test; the files are read-only)."""
    with override_settings(STORAGES=STORAGES, STATIC_ROOT=collected_tree, WHITENOISE_USE_FINDERS=False):
        yield collected_tree


def _hashed_css(client) -> str:
    html = client.get("/accounts/login/").content.decode()
    return re.search(r'href="(/static/web/meute\.[0-9a-f]{12}\.css)"', html).group(1)


def test_collectstatic_writes_hashed_gzip_and_brotli_files(collected):
    """collectstatic writes meute.<hash>.css with its .gz and .br copies."""
    names = {p.name for p in (collected / "web").iterdir()}
    hashed = [n for n in names if re.fullmatch(r"meute\.[0-9a-f]{12}\.css", n)]
    assert hashed and f"{hashed[0]}.gz" in names and f"{hashed[0]}.br" in names


def test_pages_name_the_hashed_files(client, collected):
    """Pages link the hashed stylesheet."""
    assert _hashed_css(client)


def test_hashed_file_is_sent_compressed_with_an_immutable_cache(client, collected):
    """A hashed file is sent in brotli to a browser that accepts it, cached for a year or more, immutable."""
    response = client.get(_hashed_css(client), headers={"accept-encoding": "gzip, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    cache = response.headers["Cache-Control"]
    assert "immutable" in cache and int(re.search(r"max-age=(\d+)", cache).group(1)) >= ONE_YEAR


def test_a_page_before_any_collectstatic_falls_back_to_plain_names(client, tmp_path):
    """Without collected files (a development server), pages name the plain files instead of failing."""
    with override_settings(STORAGES=STORAGES, STATIC_ROOT=tmp_path / "empty"):
        html = client.get("/accounts/login/").content.decode()
    assert 'href="/static/web/meute.css"' in html

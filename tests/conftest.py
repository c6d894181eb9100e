"""Fixtures shared by the whole suite."""

import os

import pytest
from hypothesis import settings

# Property tests draw a fixed, seeded set of examples, so that every run (and CI) checks the
# same cases; HYPOTHESIS_PROFILE=explore draws new examples on each run to hunt for bugs.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

# Playwright drives Chromium from an event loop in the test thread; Django's ORM must still work there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _private_files_folder():
    """The tests' uploaded files go to a temporary folder (testing settings), removed after the run."""
    import shutil

    from django.conf import settings as django_settings

    yield
    shutil.rmtree(django_settings.STORAGES["private"]["OPTIONS"]["location"], ignore_errors=True)


@pytest.fixture
def admin_user(db):
    from tests.factories import UserFactory

    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches (the people's cached networks and roles, the kept pages)."""
    from django.conf import settings as django_settings
    from django.core.cache import caches

    for alias in django_settings.CACHES:
        caches[alias].clear()


@pytest.fixture(scope="session", autouse=True)
def _keep_reference_territory():
    """Transactional tests flush the tables after them; the reference territory (35,000 communes, read-only
    in the tests) is left out of the flush instead of being reloaded before each of them."""
    from django.apps import apps
    from django.core.management.commands import flush

    reference = {model._meta.db_table for model in apps.get_app_config("territory").get_models()}

    def sql_flush(style, connection, reset_sequences=True, allow_cascade=False):
        tables = [t for t in connection.introspection.django_table_names(only_existing=True, include_views=False)
                  if t not in reference]
        return connection.ops.sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush, "sql_flush", sql_flush)
        yield


@pytest.fixture(autouse=True)
def _reference_territory(request):
    """A transactional test finds the reference territory loaded (kept by the flushes, loaded if missing)."""
    marker = request.node.get_closest_marker("django_db")
    if not ((marker and marker.kwargs.get("transaction")) or "live_server" in request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    from meute.territory.loading import ensure_loaded

    ensure_loaded()


PURE_DIRS = ("matching", "territory", "naf")


def pytest_collection_modifyitems(config, items):
    """Tests of the pure-Python packages need no database: mark them so the PostgreSQL run skips them."""
    for item in items:
        parts = item.path.relative_to(config.rootpath).parts
        if len(parts) > 1 and parts[0] == "tests" and parts[1] in PURE_DIRS:
            item.add_marker(pytest.mark.nodb)

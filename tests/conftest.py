"""Fixtures shared by the whole suite."""

import os

import pytest

# Playwright drives Chromium from an event loop in the test thread; Django's ORM must still work there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def admin_user(db):
    from tests.factories import UserFactory

    return UserFactory(is_superuser=True, is_staff=True)

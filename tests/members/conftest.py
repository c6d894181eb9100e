import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Service tests read messages in the source language; web tests check the French interface."""
    with translation.override("en"):
        yield

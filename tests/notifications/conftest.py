import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Service tests read messages in the source language."""
    with translation.override("en"):
        yield

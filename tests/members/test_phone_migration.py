"""Migration 0014: phones stored before the French display form was the rule are rewritten in it."""

import importlib

import pytest
from django.apps import apps

from meute.members.models import Leader
from tests.factories import LeaderFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("meute.members.migrations.0014_phones_in_french_display")


def rewritten(phone: str) -> str:
    leader = LeaderFactory(phone=phone)
    migration.phones_in_display_form(apps, None)
    return Leader.objects.get(pk=leader.pk).phone


@pytest.mark.parametrize("stored", ["+33 6 12 34 56 78", "+33612345678", "0612345678", "06.12.34.56.78"])
def test_a_french_number_in_any_form_becomes_the_display_form(stored):
    """However it was stored, a French mobile reads « 06 12 34 56 78 »."""
    assert rewritten(stored) == "06 12 34 56 78"


def test_a_number_abroad_is_written_in_its_international_form():
    """A London number keeps its country code, spaced."""
    assert rewritten("+442079460958") == "+44 20 7946 0958"


def test_text_that_is_not_a_number_is_left_as_it_is():
    """A note in the phone field is not lost."""
    assert rewritten("standard, poste 12") == "standard, poste 12"


def test_an_empty_phone_stays_empty():
    """No number is invented."""
    assert rewritten("") == ""

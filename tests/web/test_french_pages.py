"""The main pages of each role, rendered in French, hold no English left untranslated."""

import pytest

from tests.browser.world import build_world
from tests.web.french import english_left

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_english_words_are_caught():
    """The check sees an English sentence in text and in attributes, and ignores French and codes."""
    assert english_left('<p>Voir le profil</p><input placeholder="Côte-d\'Or">') == []
    assert english_left("<p>See all in the directory</p>")
    assert english_left('<input type="search" placeholder="Search the site">')
    assert english_left("<p>members.role.granted</p>") == []
    assert english_left('<span aria-hidden="true">AT</span>') == []  # Aurélie Texier's initials
    assert english_left("<p>AT</p><p>at home</p>") == ["at (at home)", "home (at home)"]


@pytest.mark.parametrize("role", ["member", "facilitator", "staff"])
def test_main_pages_are_all_french(client, world, role):
    """Every main page of the role, in French, shows no English word."""
    client.force_login(getattr(world, role))
    left = {}
    for path in world.pages(role):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, path
        found = english_left(response.content.decode())
        if found:
            left[path] = found
    assert left == {}

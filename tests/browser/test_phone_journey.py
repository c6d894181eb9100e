"""Every role's main pages on a 390 px phone: no sideways scroll, a menu that folds, 44 px targets."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.browser.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize("role", ["member", "facilitator", "staff"])
def test_main_pages_fit_a_390px_phone(live_server, browser, world, role):
    """Each main page of the role is at most 390 px wide on a 390 px screen (no horizontal scroll)."""
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server, getattr(world, role).email)
    too_wide = {}
    for path in world.pages(role):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    context.close()
    assert too_wide == {}


def test_menu_folds_behind_a_button_on_a_phone(live_server, browser, world):
    """On a phone the menu is closed behind a button whose aria-expanded follows it; Escape closes it."""
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server, world.member.email)
    button = page.locator("button[data-menu-toggle]")
    directory = page.locator("#site-menu nav").get_by_role("link", name="Annuaire")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(directory).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(directory).to_be_visible()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(directory).to_be_hidden()
    context.close()


def test_menu_shows_its_links_without_scripts(live_server, browser, world):
    """Without JavaScript the menu's links are shown and its button is not."""
    context = browser.new_context(locale="fr-FR", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, world.member.email)
    expect(page.locator("#site-menu nav").get_by_role("link", name="Annuaire")).to_be_visible()
    expect(page.locator("button[data-menu-toggle]")).to_be_hidden()
    context.close()


def test_touch_targets_are_at_least_44px_high(live_server, browser, world):
    """The menu's links, the buttons and the form fields of the directory are at least 44 px high."""
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server, world.member.email)
    page.goto(live_server.url + "/directory/")
    page.click("button[data-menu-toggle]")
    small = page.evaluate("""() => [...document.querySelectorAll(
        '#site-menu nav a, button, .button, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select')]
        .filter(el => el.offsetParent !== null)
        .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect().height])
        .filter(([, h]) => h < 44)""")
    context.close()
    assert small == []

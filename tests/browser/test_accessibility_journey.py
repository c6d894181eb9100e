"""axe-core finds no serious or critical accessibility violation on the main pages (desktop and
390 px phone); the keyboard reaches the content through a skip link and sees where it is."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.browser.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def world():
    return build_world()


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, as "rule: target" lines."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {node['target']}"
            for v in result["violations"] if v["impact"] in ("serious", "critical") for node in v["nodes"]]


@pytest.mark.parametrize("size", SIZES)
def test_main_pages_have_no_serious_accessibility_violation(live_server, browser, world, size):
    """Home, directory, a group, a meeting and an event pass axe-core (no serious or critical issue)."""
    context = browser.new_context(locale="fr-FR", viewport=SIZES[size], bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server, world.member.email)
    found = {}
    for path in ["/", "/directory/", f"/groups/{world.group.pk}/", f"/meetings/{world.meeting.pk}/",
                 f"/events/{world.event.pk}/"]:
        page.goto(live_server.url + path)
        if size == "phone":
            page.click("button[data-menu-toggle]")  # check the open menu too
        problems = serious_violations(page)
        if problems:
            found[path] = problems
    context.close()
    assert found == {}


def test_keyboard_reaches_the_content_through_a_visible_skip_link(live_server, page, world):
    """The first Tab shows the skip link; following it puts the focus on the page's content."""
    log_in(page, live_server, world.member.email)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_focused_controls_show_an_outline(live_server, page, world):
    """A link reached with the keyboard draws a visible outline."""
    log_in(page, live_server, world.member.email)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")

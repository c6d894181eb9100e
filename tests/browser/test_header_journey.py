"""The header at desktop width: one row for every role, the rest of the pages behind two disclosures
(« Réseau » and the person's own menu) that the keyboard opens, walks and closes with Escape."""

import pytest
from playwright.sync_api import expect

from meute.notifications.models import Kind
from meute.notifications.services import notify
from tests.browser.helpers import log_in
from tests.browser.test_accessibility_journey import serious_violations
from tests.browser.world import build_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = [1280, 1024]
ONE_ROW = """() => {
  const items = [...document.querySelectorAll('header.topbar > :not(.skip-link), #site-menu > *')]
    .map(el => el.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0);
  const centres = items.map(r => r.top + r.height / 2);
  const tallest = Math.max(...items.map(r => r.height));
  const header = document.querySelector('header.topbar').getBoundingClientRect().height;
  return {spread: Math.max(...centres) - Math.min(...centres), header, tallest};
}"""


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def people(world):
    """The network's staff (with an unread notification) and the site administrator (who sees the most)."""
    admin = UserFactory(
        email="admin@example.org",
        first_name="Marie-Christine",
        last_name="de La Fontaine-Beaumarchais",
        is_superuser=True,
        is_staff=True,
    )
    notify([world.staff], Kind.TOPIC_ADDED, url="/", title="Un sujet ajouté")
    return {"staff": world.staff, "superuser": admin}


def open_page(browser, live_server, user, width):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server, user.email)
    return context, page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ["staff", "superuser"])
def test_the_header_is_one_row(live_server, browser, people, role, width):
    """At 1280 and 1024 px every part of the header sits on one row: the header is one row high."""
    context, page = open_page(browser, live_server, people[role], width)
    row = page.evaluate(ONE_ROW)
    context.close()
    assert row["spread"] < 4 and row["header"] < row["tallest"] + 20, row


@pytest.mark.parametrize("width", WIDTHS)
def test_the_unread_count_stays_visible_in_the_row(live_server, browser, people, width):
    """The bell and its unread count are shown in the header's row, outside any disclosure."""
    context, page = open_page(browser, live_server, people["staff"], width)
    count = page.get_by_test_id("bell").locator(".bell-count")
    expect(count).to_be_visible()
    expect(count).to_have_text("1")
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ["staff", "superuser"])
def test_the_header_passes_axe_with_its_menus_closed_and_open(live_server, browser, people, role, width):
    """axe-core finds no serious issue on the home, with the disclosures closed and each one open."""
    context, page = open_page(browser, live_server, people[role], width)
    found = {"closed": serious_violations(page)}
    for name in ("nav", "account"):
        page.goto(live_server.url + "/")
        page.locator(f"header {'nav details' if name == 'nav' else 'details.account'} > summary").click()
        found[name] = serious_violations(page)
    context.close()
    assert found == {"closed": [], "nav": [], "account": []}


def test_the_audit_log_is_in_the_network_menu_of_the_site_administrator_only(live_server, browser, people):
    """« Journal des modifications » is behind « Réseau » for the superuser, and absent for staff."""
    context, page = open_page(browser, live_server, people["superuser"], 1280)
    page.locator("header nav details > summary").click()
    expect(page.locator("header nav").get_by_role("link", name="Journal des modifications")).to_be_visible()
    context.close()
    context, page = open_page(browser, live_server, people["staff"], 1280)
    page.locator("header nav details > summary").click()
    expect(page.locator("header nav").get_by_role("link", name="Journal des modifications")).to_have_count(0)
    context.close()


def test_the_keyboard_opens_walks_and_closes_the_network_menu(live_server, browser, people):
    """Enter on « Réseau » opens it, Tab reaches each of its links in turn, Escape closes it and returns."""
    context, page = open_page(browser, live_server, people["superuser"], 1024)
    summary = page.locator("header nav details > summary")
    summary.focus()
    page.keyboard.press("Enter")
    links = page.locator("header nav details .disclosure-panel a")
    names = links.all_inner_texts()
    reached = []
    for _ in names:
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert reached == names and len(names) == 6  # the administrator has no leader profile: no referrals
    page.keyboard.press("Escape")
    expect(summary).to_be_focused()
    expect(links.first).to_be_hidden()
    context.close()


def test_the_person_menu_logs_out_and_closes_on_a_click_elsewhere(live_server, browser, people):
    """The person's menu opens on its summary, closes on a click outside, and holds the logout."""
    context, page = open_page(browser, live_server, people["staff"], 1280)
    summary = page.locator("header details.account > summary")
    logout = page.locator("header form[data-logout] button")
    summary.click()
    expect(logout).to_be_visible()
    page.locator("main h1").first.click()
    expect(logout).to_be_hidden()
    summary.click()
    logout.click()
    page.wait_for_url(f"{live_server.url}/login/")
    context.close()

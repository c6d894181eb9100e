"""The installable app: a visited personal schedule is readable offline, and nothing personal
stays in the browser after logout."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in, log_out
from tests.browser.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)
PERSONAL_CACHE = "meute-personal"


@pytest.fixture
def world():
    return build_world()


def _controlled(page):
    """Wait until the service worker controls the page (it claims pages once active)."""
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def test_visited_schedule_is_readable_offline(live_server, browser, world):
    """A member opens their speed-meeting schedule once; offline, it still shows, with its QR code."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, live_server, world.member.email)
    _controlled(page)
    schedule = f"{live_server.url}/events/{world.speed.pk}/schedule/"
    page.goto(schedule)
    mates = page.locator("main table tbody tr").first.locator("td").last.inner_text()
    page.wait_for_function(f"caches.open('{PERSONAL_CACHE}').then(c => c.match(location.href)).then(Boolean)")
    context.set_offline(True)
    page.goto(schedule)
    expect(page.locator("main table tbody tr").first).to_contain_text(mates)
    expect(page.locator(".qr svg")).to_be_visible()
    page.goto(f"{live_server.url}/directory/")  # never kept: the offline notice instead
    expect(page.locator("h1")).to_have_text("Vous êtes hors ligne")
    context.close()


def test_meeting_agenda_is_kept_but_not_the_directory(live_server, browser, world):
    """The group meeting's page is kept for offline reading; the directory is not."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    log_in(page, live_server, world.member.email)
    _controlled(page)
    page.goto(f"{live_server.url}/directory/")
    meeting = f"{live_server.url}/meetings/{world.meeting.pk}/"
    page.goto(meeting)
    page.wait_for_function(f"caches.open('{PERSONAL_CACHE}').then(c => c.match(location.href)).then(Boolean)")
    kept = page.evaluate(f"caches.open('{PERSONAL_CACHE}').then(c => c.keys()).then(ks => ks.map(r => r.url))")
    context.close()
    assert meeting in kept
    assert f"{live_server.url}/directory/" not in kept


def _logged_out_after_reading_schedule(live_server, browser, world):
    """A member reads their schedule (kept for offline reading), then logs out; the login page."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    log_in(page, live_server, world.member.email)
    _controlled(page)
    schedule = f"{live_server.url}/events/{world.speed.pk}/schedule/"
    page.goto(schedule)
    page.wait_for_function(f"caches.open('{PERSONAL_CACHE}').then(c => c.match(location.href)).then(Boolean)")
    log_out(page)
    page.wait_for_url(f"{live_server.url}/login/")
    return context, page, schedule


def test_logout_deletes_the_personal_cache(live_server, browser, world):
    """After logout the cache of pages kept for offline reading no longer exists."""
    context, page, _ = _logged_out_after_reading_schedule(live_server, browser, world)
    assert page.evaluate(f"caches.has('{PERSONAL_CACHE}')") is False
    context.close()


def test_schedule_is_not_readable_offline_after_logout(live_server, browser, world):
    """Offline after logout, the schedule's address gets the offline notice, not the schedule.

    The login page registers the service worker again (the app stays installable), so the worker
    answers the navigation: it must find nothing personal to serve."""
    context, page, schedule = _logged_out_after_reading_schedule(live_server, browser, world)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    context.set_offline(True)
    page.goto(schedule)
    expect(page.locator("h1")).to_have_text("Vous êtes hors ligne")
    expect(page.locator("main table")).to_have_count(0)
    context.close()

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from meute.events.checkin import checkin_code
from meute.events.services import do_register
from tests.browser.helpers import log_in
from tests.factories import EventFactory, MembershipFactory, NetworkRoleFactory, UserFactory

SHOTS = os.environ.get("MEUTE_SHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})


@pytest.mark.django_db(transaction=True)
def test_staff_check_people_in_at_the_door_on_a_phone(live_server, browser):
    """On a phone: a pasted code checks a person in, used twice it is refused; a name search seats a walk-in."""
    event = EventFactory(capacity=3, title="Atelier export")
    registered = MembershipFactory(network=event.network, leader__user=UserFactory(last_name="Marchand")).leader.user
    registration = do_register(event, registered, offers="", needs="", wishes=[])
    walker = MembershipFactory(network=event.network, leader__user=UserFactory(last_name="Marchetti")).leader.user
    NetworkRoleFactory(network=event.network, user=UserFactory(email="accueil@example.org"))
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, live_server, "accueil@example.org")
    page.goto(f"{live_server.url}/events/{event.pk}/door/")
    expect(page.locator("#door-counts")).to_contain_text("Présents : 0 sur 1")
    page.fill("#id_code", f"{live_server.url}/events/{event.pk}/checkin/{checkin_code(registration.pk)}/")
    page.click("#scan-submit")
    expect(page.locator(".msg-success")).to_contain_text(registered.get_full_name())
    expect(page.locator("#door-counts")).to_contain_text("Présents : 1 sur 1")
    page.fill("#id_code", checkin_code(registration.pk))
    page.click("#scan-submit")
    expect(page.locator(".msg-error")).to_contain_text("déjà servi")
    page.fill("#id_q", "March")
    page.click("#search-submit")
    expect(page.locator("#door-registrations")).to_contain_text(registered.get_full_name())
    shot(page, "door-search")
    page.locator("#door-walk-ins .walk-in").click()
    expect(page.locator(".msg-success")).to_contain_text(walker.get_full_name())
    expect(page.locator("#door-counts")).to_contain_text("Présents : 2 sur 2")
    assert event.registrations.get(user=walker).checked_in_at is not None
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e]
    shot(page, "door-after")
    context.close()

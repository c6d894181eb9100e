import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import EventFactory, MembershipFactory, NetworkRoleFactory, UserFactory, speed_meeting


@pytest.mark.django_db(transaction=True)
def test_member_registers_for_an_event(live_server, page):
    """A member opens an event from the catalogue and registers."""
    event = EventFactory(title="Atelier trésorerie")
    MembershipFactory(network=event.network, leader__user=UserFactory(email="membre@example.org"))
    log_in(page, live_server, "membre@example.org")
    page.get_by_role("link", name="Événements", exact=True).click()
    page.get_by_role("link", name="Atelier trésorerie").click()
    page.click("#register")
    expect(page.locator("#registration")).to_contain_text("Vous êtes inscrit")


@pytest.mark.django_db(transaction=True)
def test_staff_plans_a_speed_meeting_and_runs_the_room(live_server, page, browser, tmp_path):
    """Staff plan 60 people, print the plan, start round 1 on the room screen; a participant sees their tables."""
    event = speed_meeting(60, table_size=6, rounds=8)
    NetworkRoleFactory(network=event.network, user=UserFactory(email="staff@example.org"))
    log_in(page, live_server, "staff@example.org")
    page.goto(f"{live_server.url}/events/{event.pk}/plan/")
    page.fill("#id_seconds", "8")
    page.click("#compute")
    expect(page.locator("#plan-summary")).to_contain_text("0 paire", timeout=60_000)
    pdf = page.request.get(f"{live_server.url}/events/{event.pk}/plan.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    (tmp_path / "plan.pdf").write_bytes(pdf.body())
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(tmp_path / "plan.pdf"), str(tmp_path / "round")], check=True)
    assert len(list(tmp_path.glob("round*.png"))) == 8  # one page per round
    page.goto(f"{live_server.url}/events/{event.pk}/room/")
    page.click("#next-round")
    expect(page.locator("#round-title")).to_have_text(re.compile("Tour 1 "))
    expect(page.locator("#seating div")).to_have_count(60)

    participant = event.registrations.order_by("seq").first().user
    participant.set_password("pw")
    participant.save()
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    phone = context.new_page()
    log_in(phone, live_server, participant.email)
    phone.goto(f"{live_server.url}/events/{event.pk}/schedule/")
    expect(phone.locator("#schedule .table-number")).to_have_count(8)
    expect(phone.locator("#schedule tr.current")).to_have_count(1)
    context.close()

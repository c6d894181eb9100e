import itertools
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from meute.events.models import RotationPlan
from meute.events.rotations import current_plan, run_plan
from tests.browser.helpers import log_in
from tests.factories import MembershipFactory, NetworkRoleFactory, UserFactory, speed_meeting

SHOTS = os.environ.get("MEUTE_SHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True)
def test_late_participant_is_seated_by_a_replan_from_round_three(live_server, page, browser):
    """A late registrant is "not yet seated"; staff see the stale plan, re-plan from round 3, the newcomer is seated."""
    event = speed_meeting(24, table_size=4, rounds=5)
    run_plan(RotationPlan.objects.create(event=event, seed=11, seconds=2).pk)
    held = current_plan(event).rounds[:2]
    NetworkRoleFactory(network=event.network, user=UserFactory(email="staff@example.org"))
    late = MembershipFactory(network=event.network, leader__user=UserFactory(email="tard@example.org")).leader.user

    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    phone = context.new_page()
    log_in(phone, live_server, "tard@example.org")
    phone.goto(f"{live_server.url}/events/{event.pk}/")
    phone.fill("#id_offers", "Conseil en recrutement")
    phone.fill("#id_needs", "Clients industriels")
    phone.click("#register")
    expect(phone.locator("#registration")).to_contain_text("Vous êtes inscrit")
    phone.goto(f"{live_server.url}/events/{event.pk}/schedule/")
    expect(phone.locator("#schedule .unseated")).to_have_count(5)
    expect(phone.locator("#not-seated")).to_be_visible()
    shot(phone, "schedule-not-seated")

    log_in(page, live_server, "staff@example.org")
    page.goto(f"{live_server.url}/events/{event.pk}/")
    expect(page.locator("#plan-stale-notice")).to_be_visible()
    page.click("#plan-stale-notice a")
    expect(page.locator("#plan-stale")).to_contain_text(late.get_full_name())
    shot(page, "plan-stale")
    page.fill("#id_replan_from", "3")
    page.click("#replan")
    expect(page.locator("#plan-summary")).to_contain_text("0 paire", timeout=60_000)
    expect(page.locator("#plan-stale")).to_have_count(0)
    shot(page, "plan-updated")

    plan = current_plan(event)
    pairs = [frozenset(p) for round_ in plan.rounds for table in round_ for p in itertools.combinations(table, 2)]
    assert plan.rounds[:2] == held and len(pairs) == len(set(pairs))
    assert all(any(late.pk in table for table in round_) for round_ in plan.rounds[2:])
    phone.reload()
    expect(phone.locator("#schedule .table-number")).to_have_count(3)
    expect(phone.locator("#schedule .unseated")).to_have_count(2)
    shot(phone, "schedule-seated")
    context.close()

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meute.peergroups.models import FormationRun
from tests.browser.helpers import log_in
from tests.factories import EventFactory, NetworkFactory, NetworkRoleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _csp_violations(page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    return found


def test_ten_wrong_passwords_throttle_the_login_in_french(live_server, page):
    """After 10 wrong passwords the login page explains the throttle in French and refuses the right one."""
    UserFactory(email="anne@example.org")
    violations = _csp_violations(page)
    page.goto(f"{live_server.url}/login/")
    for _ in range(10):
        page.fill("#id_username", "anne@example.org")
        page.fill("#id_password", "mauvais")
        page.click("main button[type=submit]")
    expect(page.locator("#login-throttled")).to_contain_text("Trop de tentatives de connexion")
    page.fill("#id_password", "pw")
    page.click("main button[type=submit]")
    expect(page.locator("#login-throttled")).to_contain_text("30 minutes")
    assert page.url.startswith(f"{live_server.url}/login/") and violations == []


def test_room_timer_runs_from_the_static_script(live_server, page):
    """The room screen's countdown runs under the Content-Security-Policy (no inline script)."""
    event = EventFactory(kind="speed_meeting", table_size=6, rounds=4, capacity=None, current_round=1,
                         round_started_at=timezone.now(), round_minutes=7)
    NetworkRoleFactory(network=event.network, user=UserFactory(email="staff@example.org"))
    violations = _csp_violations(page)
    log_in(page, live_server, "staff@example.org")
    page.goto(f"{live_server.url}/events/{event.pk}/room/")
    expect(page.locator("#timer")).to_have_text(re.compile(r"0[67]:\d\d"))
    assert violations == []


def test_formation_run_page_polls_and_reloads(live_server, page):
    """A running formation page follows the progress and reloads when the run ends."""
    network = NetworkFactory()
    NetworkRoleFactory(network=network, user=UserFactory(email="staff@example.org"))
    run = FormationRun.objects.create(network=network, seed=1, status="running", progress=40)
    violations = _csp_violations(page)
    log_in(page, live_server, "staff@example.org")
    page.goto(f"{live_server.url}/formation/{run.pk}/")
    expect(page.locator("#progress")).to_have_text("40")
    FormationRun.objects.filter(pk=run.pk).update(progress=70)
    expect(page.locator("#progress")).to_have_text("70")
    FormationRun.objects.filter(pk=run.pk).update(status="failed", message="Pas assez de candidats")
    expect(page.locator("#run-failed")).to_contain_text("Pas assez de candidats")
    assert violations == []

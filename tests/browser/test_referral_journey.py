"""A referral at phone width: given from a suggestion, accepted and won by the receiver, the giver
thanked, and the network's figures showing it."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from meute.advisor import textmatch
from meute.advisor.vectors import rebuild_index, refresh_vectors
from meute.members.models import Leader
from meute.referrals.models import Referral
from tests.browser.helpers import log_in
from tests.browser.test_accessibility_journey import serious_violations
from tests.factories import (
    CompanyFactory,
    LeaderFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkRoleFactory,
    UserFactory,
)

SHOTS = os.environ.get("MEUTE_SHOTS")
PHONE = {"width": 390, "height": 844}


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        size = page.viewport_size
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size(size)


def _person(network, email, **company):
    return MembershipFactory(network=network, leader=LeaderFactory(
        user=UserFactory(email=email), company=CompanyFactory(**company))).leader


@pytest.mark.django_db(transaction=True)
def test_a_referral_from_a_suggestion_to_the_networks_figures(live_server, browser, monkeypatch):
    """Giver picks a suggested receiver, receiver accepts and wins 4 200 €, giver is thanked, staff see the sum."""
    monkeypatch.setenv("MEUTE_TEXT_MODEL", "lexical")
    textmatch.reset_backend()
    network = NetworkFactory(name="Club Affaires")
    _person(network, "giver@example.org", offers="conseil en stratégie", naf_code="70.22Z")
    prospect = _person(network, "prospect@example.org", needs="refaire notre site web", naf_code="47.11A")
    receiver = _person(network, "receiver@example.org", offers="création de site web et référencement",
                       naf_code="62.01Z")
    NetworkRoleFactory(network=network, user=UserFactory(email="staff@example.org"))
    refresh_vectors(Leader.objects.select_related("company"), force=True)
    rebuild_index(buckets=2)
    errors = []

    def phone_page(email):
        context = browser.new_context(locale="fr-FR", viewport=PHONE, bypass_csp=True)  # axe is injected
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text)
                if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
                if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
        log_in(page, live_server, email)
        return context, page

    giver_context, page = phone_page("giver@example.org")
    page.goto(f"{live_server.url}/referrals/suggestions/?for={prospect.pk}")
    shot(page, "referral-suggestions")
    page.get_by_role("link", name=f"Recommander à {receiver.full_name}", exact=True).click()
    expect(page.locator("#id_prospect_name")).to_have_value(prospect.full_name)
    page.fill("#id_prospect_email", "prospect@example.org")
    page.check("#id_prospect_agreed")
    page.check("input[name=warmth][value=introduced]")
    assert serious_violations(page) == []
    shot(page, "referral-new")
    page.get_by_role("button", name="Donner cette recommandation", exact=True).click()
    expect(page.locator("#referral-status")).to_have_text("donnée")
    referral = Referral.objects.get()

    receiver_context, other = phone_page("receiver@example.org")
    other.goto(f"{live_server.url}/referrals/{referral.pk}/")
    other.get_by_role("button", name="Accepter", exact=True).click()
    expect(other.locator("#referral-status")).to_have_text("acceptée")
    other.fill("#id_amount", "4 200")
    other.get_by_role("button", name="Marquer gagnée", exact=True).click()
    expect(other.locator("#referral-status")).to_have_text("gagnée")
    assert serious_violations(other) == []
    shot(other, "referral-won")
    receiver_context.close()

    page.goto(f"{live_server.url}/notifications/")
    expect(page.get_by_text(f"Merci ! {receiver.full_name} a conclu l’affaire", exact=False)).to_be_visible()
    page.goto(f"{live_server.url}/referrals/{referral.pk}/")
    expect(page.locator("#referral-won")).not_to_contain_text("4")
    giver_context.close()

    staff_context, desk = phone_page("staff@example.org")
    desk.goto(f"{live_server.url}/networks/{network.slug}/referrals/")
    expect(desk.locator("#business-closed")).to_contain_text("4\u00a0200 €")
    assert serious_violations(desk) == []
    shot(desk, "referral-network-figures")
    staff_context.close()
    textmatch.reset_backend()
    assert errors == []

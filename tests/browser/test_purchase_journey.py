import datetime
import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from meute.purchases.models import Campaign
from meute.purchases.services import check_commit
from tests.browser.helpers import log_in
from tests.factories import (
    CompanyFactory,
    LeaderFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkRoleFactory,
    UserFactory,
)

SHOTS = os.environ.get("MEUTE_SHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        size = page.viewport_size
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size(size)


def _member(network, email):
    return MembershipFactory(network=network, leader=LeaderFactory(user=UserFactory(email=email),
                                                                   company=CompanyFactory())).leader


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.django_db(transaction=True)
def test_a_pooled_purchase_for_two_networks_from_creation_to_the_supplier_order(live_server, browser):
    """Staff open a campaign for two networks, four members commit, the bar moves, the deadline orders 50 units."""
    north, south = NetworkFactory(name="Club Nord"), NetworkFactory(name="Club Sud")
    staff = UserFactory(email="staff@example.org")
    for network in (north, south):
        NetworkRoleFactory(network=network, user=staff)
    members = [_member(north, "n1@example.org"), _member(north, "n2@example.org"),
               _member(south, "s1@example.org"), _member(south, "s2@example.org")]
    desk = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource") else None)
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
    log_in(page, live_server, "staff@example.org")
    page.goto(f"{live_server.url}/networks/{north.slug}/purchases/new/")
    page.fill("#id_title", "Masques FFP2")
    page.fill("#id_supplier_name", "Protec Ouest")
    page.fill("#id_opens_at", _local(timezone.now() - datetime.timedelta(hours=1)))
    page.fill("#id_closes_at", _local(timezone.now() + datetime.timedelta(days=2)))
    page.check(f"input[name=networks][value='{south.pk}']")
    page.click("main button[type=submit]")
    page.fill("#id_name", "Masque FFP2")
    page.fill("#id_pack_size", "10")
    page.fill("#id_base_price", "1.00")
    page.fill("#id_tier1_from", "50")
    page.fill("#id_tier1_price", "0.80")
    page.click("main button[type=submit]")
    campaign = Campaign.objects.get(title="Masques FFP2")
    expect(page.locator(".purchase-progress .committed")).to_have_text("0")

    phone = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    member_page = phone.new_page()
    log_in(member_page, live_server, "n1@example.org")
    member_page.goto(f"{live_server.url}/purchases/{campaign.pk}/")
    item = campaign.items.get()
    member_page.fill(f"#id_item{item.pk}-quantity", "12")
    member_page.fill(f"#id_item{item.pk}-tolerance", "3")
    member_page.click(".commit-form button[type=submit]")
    expect(member_page.locator(".purchase-progress .committed")).to_have_text("12")
    shot(member_page, "purchase-member")
    phone.close()

    # Write between two polls of the staff page: an in-memory SQLite database shared by threads refuses a
    # read that meets a write instead of waiting for it.
    with page.expect_response(lambda response: "/progress/" in response.url, timeout=15_000):
        pass
    for leader, quantity in zip(members[1:], (20, 9, 6), strict=True):
        check_commit(item, leader.user, quantity=quantity)
    expect(page.locator(".purchase-progress .committed")).to_have_text("47", timeout=15_000)  # htmx, no reload

    page.goto(f"{live_server.url}/purchases/")  # no page polls while the campaign closes
    Campaign.objects.filter(pk=campaign.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    call_command("close_campaigns")
    page.goto(f"{live_server.url}/purchases/{campaign.pk}/")
    with page.expect_download() as download:
        page.click("text=Commande au fournisseur (XLSX)")
    rows = list(load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active.iter_rows(values_only=True))
    assert rows[1][0] == "Masque FFP2" and rows[1][3:6] == ("5", "50", "0.80")
    shot(page, "purchase-staff-ordered")
    page.set_viewport_size({"width": 390, "height": 844})  # the orders' table scrolls in its box, not the page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    desk.close()
    assert errors == []

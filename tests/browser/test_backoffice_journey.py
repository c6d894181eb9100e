import os

import pytest

from meute.members.models import FeeStatus, Membership, Role
from tests.browser.helpers import log_in
from tests.factories import LeaderFactory, MembershipFactory, NetworkFactory, NetworkRoleFactory, UserFactory

SHOTS = os.environ.get("MEUTE_SHOTS_DIR")  # set it to keep screenshots of each page at 1280 and 390 px


def _shoot(page, name: str) -> None:
    if not SHOTS:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True)
def test_staff_mark_fees_paid_in_bulk_and_end_a_membership(live_server, page):
    """Staff filter their members, tick two, mark their fees paid, then end one member's membership."""
    network = NetworkFactory(name="Club des entrepreneurs", slug="club")
    staff = NetworkRoleFactory(network=network, role=Role.STAFF, user=UserFactory(email="staff@example.org")).user
    names = ["Vasseur", "Lemoine", "Garnier", "Roux"]
    members = [MembershipFactory(network=network, fee_status=FeeStatus.DUE,
                                 leader=LeaderFactory(user=UserFactory(first_name="Anne", last_name=name)))
               for name in names]
    MembershipFactory(network=NetworkFactory(name="Autre"), leader=members[0].leader)
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/networks/club/members/")
    page.select_option("#id_fee_status", "due")
    page.click("form.filters button[type=submit]")
    assert page.locator("#result-count").inner_text().startswith("4")
    _shoot(page, "members")
    page.check(f"input[name=selected][value='{members[1].pk}']")
    page.check(f"input[name=selected][value='{members[2].pk}']")
    page.select_option("#id_action", "fee:paid")
    page.click("#bulk button[type=submit]")
    page.wait_for_selector(".msg-success")
    paid = set(Membership.objects.filter(fee_status=FeeStatus.PAID).values_list("pk", flat=True))
    assert paid == {members[1].pk, members[2].pk}
    page.get_by_role("link", name="Anne Vasseur").click()
    assert "ne gérez pas" in page.locator("#person").inner_text()  # also in another network: read-only
    _shoot(page, "member")
    page.click("#end button[type=submit]")
    page.wait_for_selector(".msg-success")
    members[0].refresh_from_db()
    assert members[0].status == "left"
    page.goto(f"{live_server.url}/networks/club/roles/")
    _shoot(page, "roles")
    page.goto(f"{live_server.url}/networks/club/members/{members[3].pk}/")
    _shoot(page, "member-editable")
    page.context.clear_cookies()
    log_in(page, live_server, members[3].leader.user.email)
    for name, path in (("me", "/me/"), ("me-company", "/me/company/"), ("me-email", "/me/email/")):
        page.goto(f"{live_server.url}{path}")
        _shoot(page, name)


@pytest.mark.django_db(transaction=True)
def test_member_confirms_a_new_email_from_the_link(live_server, page):
    """A member asks for a new address, opens the link of the e-mail, confirms, and the account changes."""
    from django.core import mail

    member = MembershipFactory(leader=LeaderFactory(user=UserFactory(email="ancien@example.org"))).leader.user
    log_in(page, live_server, member.email)
    page.goto(f"{live_server.url}/me/email/")
    page.fill("#id_email", "nouveau@example.org")
    page.click("main button[type=submit]")
    page.wait_for_selector(".msg-success")
    link = next(m for m in mail.outbox if m.to == ["nouveau@example.org"]).body.split("\n\n")[2].strip()
    page.goto(live_server.url + link[link.index("/me/email/"):])
    _shoot(page, "email-confirm")
    page.click("#confirm")
    page.wait_for_selector(".msg-success")
    member.refresh_from_db()
    assert member.email == "nouveau@example.org"
    page.goto(live_server.url + link[link.index("/me/email/"):])
    assert page.locator("#email-change-error").is_visible()
    _shoot(page, "email-confirm-used")


@pytest.mark.django_db(transaction=True)
def test_staff_register_a_member_for_an_event(live_server, page):
    """Staff register one of their members from the registrations page."""
    from meute.events.models import Registration
    from tests.factories import EventFactory

    event = EventFactory()
    staff = NetworkRoleFactory(network=event.network, role=Role.STAFF).user
    member = MembershipFactory(network=event.network).leader.user
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/events/{event.pk}/registrations/")
    page.fill("#id_email", member.email)
    page.click("main form.stacked button[type=submit]")
    page.wait_for_selector(".msg-success")
    _shoot(page, "registrations")
    assert Registration.objects.filter(event=event, user=member).exists()

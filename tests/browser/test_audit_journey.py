import pytest

from meute.members.models import Role
from meute.members.services import check_update_profile
from tests.browser.helpers import log_in, log_out
from tests.factories import MembershipFactory, NetworkFactory, NetworkRoleFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_staff_edit_a_profile_and_the_member_reads_who_changed_what(live_server, page):
    """Staff change a member's function; the network's log and the member's history both show old and new."""
    network = NetworkFactory(name="Club Vienne", slug="club-vienne")
    staff = NetworkRoleFactory(network=network, role=Role.STAFF,
                               user=UserFactory(email="staff@example.org", first_name="Sophie", last_name="Girard")
                               ).user
    member = MembershipFactory(network=network, leader__function="Gérant",
                               leader__user=UserFactory(email="membre@example.org"))
    check_update_profile(member.leader, acting_user=staff, function="Présidente")
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/networks/club-vienne/")
    page.click("#network-audit")
    row = page.locator("table.audit tbody tr").first
    assert "Gérant" in row.inner_text() and "Présidente" in row.inner_text()
    log_out(page)
    page.wait_for_url(f"{live_server.url}/login/")  # logging out first clears the app's cache, then posts
    log_in(page, live_server, "membre@example.org")
    page.goto(f"{live_server.url}/members/{member.leader.pk}/")
    page.click("#my-history")
    page.set_viewport_size({"width": 390, "height": 800})
    text = page.locator("table.audit tbody tr").first.inner_text()
    assert "Sophie Girard" in text and "Gérant" in text and "Présidente" in text

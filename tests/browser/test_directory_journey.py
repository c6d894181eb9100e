import pytest

from tests.factories import LeaderFactory, MembershipFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_member_logs_in_and_finds_another_member(live_server, page):
    """A member logs in, searches the directory and opens another member's profile."""
    me = MembershipFactory(leader=LeaderFactory(user=UserFactory(email="moi@example.org")))
    other = MembershipFactory(
        network=me.network,
        leader=LeaderFactory(user=UserFactory(first_name="Hélène", last_name="Vasseur"), search_text="helene vasseur",
                             expertise="droit social"),
    )
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "moi@example.org")
    page.fill("#id_password", "pw")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Annuaire").click()
    page.fill("#id_q", "helene")
    page.click("form.filters button[type=submit]")
    page.get_by_role("link", name="Hélène Vasseur").click()
    assert page.locator("h1").inner_text() == "Hélène Vasseur"
    assert other.leader.user.email in page.content()

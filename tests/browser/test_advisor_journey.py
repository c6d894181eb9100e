import pytest

from meute.advisor import textmatch
from meute.advisor.vectors import rebuild_index, refresh_vectors
from meute.members.models import Leader
from meute.territory.models import Department
from tests.factories import CompanyFactory, LeaderFactory, MembershipFactory, NetworkFactory, UserFactory


def _login(page, live_server, email):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", "pw")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.django_db(transaction=True)
def test_leader_fills_the_questionnaire_and_sees_ranked_networks(live_server, page):
    """A leader answers the questionnaire and sees ranked networks, each with its reasons."""
    near = NetworkFactory(name="Club de Poitiers", family="geographic", home_commune_id="86194", hours_per_month=2)
    near.departments.set(Department.objects.filter(code="86"))
    women = NetworkFactory(name="Cheffes 86", family="thematic", home_commune_id="86194")
    women.departments.set(Department.objects.filter(code="86"))
    from meute.advisor.models import NetworkProfile

    NetworkProfile.objects.create(network=women, audience_tags="femme_dirigeante")
    UserFactory(email="dirigeant@example.org")
    _login(page, live_server, "dirigeant@example.org")
    page.goto(f"{live_server.url}/advisor/")
    page.check("input[name=goals][value=isolement]")
    page.check("input[name=goals][value=business]")
    page.fill("#id_naf", "62.01Z")
    page.fill("#id_commune", "86194")
    page.fill("#id_hours_per_month", "6")
    page.fill("#id_budget_eur", "1000")
    page.click("button[name=advise]")
    first = page.locator("li.ranked-network").first
    assert "Club de Poitiers" in first.inner_text()
    assert first.locator("li.fit").count() >= 2
    assert "Cheffes 86" in page.locator("#advice details").text_content()


@pytest.mark.django_db(transaction=True)
def test_member_asks_for_an_introduction_and_the_other_accepts(live_server, page, monkeypatch):
    """A member asks to meet a suggested member; that member logs in and accepts."""
    monkeypatch.setenv("MEUTE_TEXT_MODEL", "lexical")
    textmatch.reset_backend()
    a, b = NetworkFactory(), NetworkFactory()
    me = LeaderFactory(user=UserFactory(email="moi@example.org"), company=CompanyFactory(
        needs="un expert-comptable pour la trésorerie", offers="logiciels"))
    MembershipFactory(leader=me, network=a)
    other = LeaderFactory(user=UserFactory(email="compta@example.org", first_name="Hélène", last_name="Vasseur"),
                          company=CompanyFactory(offers="expert-comptable, trésorerie et fiscalité"))
    MembershipFactory(leader=other, network=b)
    refresh_vectors(Leader.objects.select_related("company"), force=True)
    rebuild_index(buckets=2)
    _login(page, live_server, "moi@example.org")
    page.goto(f"{live_server.url}/meetings/")
    card = page.locator(".suggestion").first
    assert "Hélène Vasseur" in card.inner_text()
    card.locator("textarea").fill("Bonjour, parlons trésorerie.")
    card.locator("button[type=submit]").click()
    assert "Hélène Vasseur" in page.locator("#introductions").inner_text()
    page.context.clear_cookies()
    _login(page, live_server, "compta@example.org")
    page.goto(f"{live_server.url}/meetings/")
    page.locator("#introductions button[value=accept]").click()
    assert "moi@example.org" in page.locator("#introductions").inner_text()
    textmatch.reset_backend()

import pytest
from playwright.sync_api import expect

from meute.accounts.models import User
from meute.engagement.queries import network_engagement
from meute.members.demo import PASSWORD, load_demo
from meute.members.models import Network
from meute.peergroups.demo import load_demo_programme
from meute.peergroups.models import MeetingReply, TopicVote
from tests.browser.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo():
    load_demo(seed=5, members=150)
    return load_demo_programme(seed=5)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_member_answers_the_next_meeting_and_votes_from_the_home(live_server, page, demo):
    """On a phone, a member answers « I'll come » for the next meeting and votes a topic, from the home."""
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "membre@demo.meute.example", PASSWORD)
    member = User.objects.get(email="membre@demo.meute.example")
    meetings = page.locator("#next-meetings .meeting-item")
    expect(meetings.first).to_be_visible()
    meetings.first.get_by_role("button", name="Je viendrai").click()
    expect(page.locator("#next-meetings button[aria-pressed=true]").first).to_have_text("Je viendrai")
    assert MeetingReply.objects.get(leader__user=member).answer == "coming"
    topics = page.locator("#topics-to-vote li")
    before = topics.count()
    assert before >= 1
    title = topics.first.locator("strong").inner_text()
    topics.first.get_by_role("button", name="voter").click()
    expect(page.locator(".msg-error")).to_have_count(0)
    assert TopicVote.objects.filter(user=member, topic__title=title).exists()
    assert page.locator("#topics-to-vote li").count() == before - 1
    assert no_horizontal_scroll(page)


def test_staff_open_the_cockpit_and_see_the_charts_and_who_is_at_risk(live_server, page, demo):
    """On a phone, staff open the programme's cockpit: charts with their tables, and the at-risk list from the demo."""
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "staff@demo.meute.example", PASSWORD)
    page.locator("#cockpit .tabs").get_by_role("link", name="Plato Vienne").click()
    expect(page.locator("#cockpit-title")).to_contain_text("Plato Vienne")
    assert page.locator("#cockpit figure.chart svg").count() >= 5
    assert page.locator("#chart-attendance-groups table.chart-numbers tbody tr").count() == 2
    staff = User.objects.get(email="staff@demo.meute.example")
    expected = network_engagement(staff, Network.objects.get(slug="plato-vienne")).at_risk
    assert expected, "the demo has members at risk"
    listed = page.locator("#at-risk-list li")
    expect(listed).to_have_count(len(expected))
    for row in expected:
        expect(page.locator("#at-risk-list")).to_contain_text(row.leader.full_name)
    assert no_horizontal_scroll(page)

import pytest

from meute.notifications.models import Kind, Notification
from meute.peergroups.meetings import check_propose_topic
from tests.browser.helpers import log_in
from tests.factories import peer_group


@pytest.mark.django_db(transaction=True)
def test_a_member_reads_a_notification_from_the_bell_at_phone_size(live_server, page):
    """At 390 px, the bell shows one unread; the member opens it, lands on the meeting, and it is marked read."""
    group = peer_group(members=2)
    reader, author = (m.leader.user for m in group.members.order_by("pk"))
    reader.email = "membre@example.org"
    reader.save()
    meeting = group.meetings.order_by("starts_at").last()
    check_propose_topic(meeting, acting_user=author, title="Recruter un premier salarié")
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, live_server, "membre@example.org")
    bell = page.get_by_test_id("bell")
    assert bell.locator(".bell-count").inner_text() == "1"
    bell.click()
    item = page.get_by_test_id("notification").first
    assert "Recruter un premier salarié" in item.inner_text() and "nouveau" in item.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    item.locator("a.notif-title").click()
    page.wait_for_url(f"{live_server.url}/meetings/{meeting.pk}/")
    assert Notification.objects.get(recipient=reader, kind=Kind.TOPIC_ADDED).read_at is not None
    assert page.get_by_test_id("bell").locator(".bell-count").count() == 0

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meute.members.demo import PASSWORD, load_demo
from meute.peergroups.demo import load_demo_programme
from meute.peergroups.models import PeerGroup
from tests.browser.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    load_demo(seed=5, members=150)
    return load_demo_programme(seed=5)


def test_staff_forms_moves_and_publishes(live_server, page, demo):
    """Staff form groups from the demo candidates, move a member, and publish."""
    log_in(page, live_server, "staff@demo.meute.example", PASSWORD)
    page.goto(f"{live_server.url}/programme/plato-vienne/")
    expect(page.locator("#pool")).to_contain_text("86")
    page.fill("#id_seconds", "2")
    page.click("#form-groups")
    expect(page.locator("#checks")).to_be_visible(timeout=30_000)
    groups = page.locator(".group-review").count()
    assert groups >= 2
    page.select_option("#move-group", str(groups))
    page.click("#move")
    expect(page.locator(".msg").first).to_be_visible()
    page.click("#publish")
    if page.locator("#id_reason").count():
        page.fill("#id_reason", "Choix validé avec les candidats")
        page.click("#publish")
    expect(page.locator(".msg-success")).to_contain_text("publié")
    assert PeerGroup.objects.count() >= 2 + groups


def test_member_proposes_votes_and_sees_the_agenda(live_server, page, demo):
    """A member proposes a topic for the next meeting, votes for another and sees the agenda."""
    group = PeerGroup.objects.get(members__leader__user__email="membre@demo.meute.example")
    meeting = group.meetings.filter(starts_at__gt=timezone.now()).first()
    log_in(page, live_server, "membre@demo.meute.example", PASSWORD)
    page.get_by_role("link", name="Mes groupes").click()
    page.get_by_role("link", name=group.name).click()
    page.locator("#upcoming a").first.click()
    page.fill("#id_title", "Recruter en alternance")
    page.click("#propose button[type=submit]")
    expect(page.locator("#agenda")).to_contain_text("Recruter en alternance")
    page.locator("#agenda .vote").first.click()
    expect(page.locator("#agenda")).to_contain_text("✓")
    assert page.url.endswith(f"/meetings/{meeting.pk}/")


def test_facilitator_records_attendance_and_minutes(live_server, page, demo):
    """The facilitator records attendance and writes the minutes of a past meeting."""
    group = PeerGroup.objects.order_by("cycle_start").first()
    meeting = group.meetings.filter(ends_at__lt=timezone.now()).last()
    log_in(page, live_server, "animateur@demo.meute.example", PASSWORD)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    for radio in page.locator("#attendance input[value=present]").all():
        radio.check()
    page.click("#attendance button[type=submit]")
    expect(page.locator(".msg-success")).to_be_visible()
    page.fill("#id_minutes", "Tour de table ; décision : mutualiser un juriste.")
    page.fill("#id_task", "Contacter le cabinet")
    page.click("#minutes-form button[type=submit]")
    expect(page.locator("#minutes")).to_contain_text(re.compile("mutualiser un juriste"))
    expect(page.locator("#actions")).to_contain_text("Contacter le cabinet")


def test_demo_defaults_publish_then_edit_and_replace(live_server, page, demo):
    """Defaults on the demo: a true "all rules" banner, local sponsored groups; then staff change a group's
    facilitator and slot and replace a member who leaves."""
    from meute.members.models import Network
    from meute.peergroups.formation import DEFAULT_MAX_KM, FormationParams, review
    from meute.peergroups.models import FormationRun, GroupMember

    log_in(page, live_server, "staff@demo.meute.example", PASSWORD)
    page.goto(f"{live_server.url}/programme/plato-vienne/")
    page.fill("#id_seconds", "2")
    page.click("#form-groups")
    expect(page.locator("#all-good")).to_be_visible(timeout=30_000)
    run = FormationRun.objects.latest("id")
    reviews, problems = review(Network.objects.get(slug="plato-vienne"), run.proposal,
                               FormationParams.from_json(run.params), run.locks)
    assert not problems and all(g.max_km <= DEFAULT_MAX_KM and 2 <= len(g.sponsors) <= 3 for g in reviews)
    page.click("#publish")
    expect(page.locator(".msg-success")).to_contain_text("publié")
    group = PeerGroup.objects.filter(formation_run=run).order_by("id").first()
    page.goto(f"{live_server.url}/groups/{group.pk}/")
    options = page.locator("#id_facilitator option")
    other = next(v for v in (options.nth(i).get_attribute("value") for i in range(options.count()))
                 if v and v != str(group.facilitator_id))
    page.select_option("#id_facilitator", other)
    page.select_option("#id_slot", "fri-2")
    page.click("#save-group")
    expect(page.locator(".msg-success")).to_be_visible()
    group.refresh_from_db()
    assert (str(group.facilitator_id), group.meeting_slot) == (other, "fri-2")
    leaving = group.members.filter(status="active").first()
    page.select_option("#id_member", str(leaving.pk))
    page.fill("#id_reason", "Déménagement")
    page.click("#member-leaves")
    expect(page.locator(".msg-success")).to_be_visible()
    page.locator("#replacements .invite").first.click()
    expect(page.locator(".msg-success")).to_contain_text("invité")
    assert GroupMember.objects.filter(group=group, status="active").count() == group.members.count() - 1

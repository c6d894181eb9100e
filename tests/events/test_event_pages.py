import subprocess

import pytest
from django.urls import reverse

from meute.events.models import RotationPlan
from meute.events.rotations import run_plan
from tests.factories import EventFactory, MembershipFactory, NetworkRoleFactory, UserFactory, speed_meeting

pytestmark = pytest.mark.django_db


def test_members_only_event_is_404_for_outsiders(client):
    """A members-only event is not shown to someone outside the network."""
    event = EventFactory(audience="members")
    client.force_login(UserFactory())
    assert client.get(reverse("web:event", args=[event.pk])).status_code == 404


def test_public_event_page_is_open_to_anonymous_visitors(client):
    """A public event has a public page."""
    event = EventFactory(audience="public")
    assert event.title in client.get(reverse("web:event", args=[event.pk])).content.decode()


def test_event_list_hides_other_networks_members_only_events(client):
    """The catalogue shows a member their network's events, not another network's private ones."""
    mine, theirs = EventFactory(), EventFactory()
    client.force_login(MembershipFactory(network=mine.network).leader.user)
    content = client.get(reverse("web:events")).content.decode()
    assert mine.title in content and theirs.title not in content


@pytest.mark.parametrize("name", ["web:event_registrations", "web:event_edit", "web:event_plan", "web:event_room",
                                  "web:event_plan_pdf"])
def test_staff_pages_are_404_for_staff_of_another_network(client, name):
    """Staff of network B cannot open network A's event staff pages."""
    event = EventFactory(kind="speed_meeting", audience="public")
    client.force_login(NetworkRoleFactory().user)
    assert client.get(reverse(name, args=[event.pk])).status_code == 404


def test_member_registers_through_the_page(client):
    """Posting the registration form registers the member."""
    event = EventFactory()
    user = MembershipFactory(network=event.network).leader.user
    client.force_login(user)
    client.post(reverse("web:event_register", args=[event.pk]))
    assert event.registrations.get().user == user


def test_pdf_without_plan_explains_and_redirects(client):
    """Asking for the table plan before computing it gives a message, not an error."""
    event = speed_meeting(6, table_size=3, rounds=2)
    client.force_login(NetworkRoleFactory(network=event.network).user)
    response = client.get(reverse("web:event_plan_pdf", args=[event.pk]), follow=True)
    assert response.status_code == 200 and "plan" in response.content.decode().lower()


def test_table_plan_pdf_renders_to_an_image(client, tmp_path):
    """The printable plan is a PDF that pdftoppm turns into page images."""
    event = speed_meeting(12, table_size=4, rounds=3)
    staff = NetworkRoleFactory(network=event.network).user
    run_plan(RotationPlan.objects.create(event=event, seed=1, seconds=1).pk)
    client.force_login(staff)
    response = client.get(reverse("web:event_plan_pdf", args=[event.pk]))
    (tmp_path / "plan.pdf").write_bytes(response.content)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(tmp_path / "plan.pdf"), str(tmp_path / "page")], check=True)
    assert response["Content-Type"] == "application/pdf" and len(list(tmp_path.glob("page*.png"))) == 3


def test_participant_sees_their_schedule_and_a_check_in_code(client):
    """A participant's schedule lists a table for each round and a QR code."""
    event = speed_meeting(12, table_size=4, rounds=3)
    run_plan(RotationPlan.objects.create(event=event, seed=1, seconds=1).pk)
    participant = event.registrations.first().user
    client.force_login(participant)
    content = client.get(reverse("web:event_schedule", args=[event.pk])).content.decode()
    assert content.count('class="table-number"') == 3 and "<svg" in content


def test_check_in_code_checks_the_participant_in(client):
    """Staff opening a participant's code and confirming checks them in."""
    from meute.events.checkin import checkin_code

    event = speed_meeting(4, table_size=2, rounds=1)
    registration = event.registrations.first()
    client.force_login(NetworkRoleFactory(network=event.network).user)
    client.post(reverse("web:event_checkin", args=[event.pk, checkin_code(registration.pk)]))
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_forged_check_in_code_is_refused(client):
    """A code that was not signed by the site checks nobody in."""
    event = speed_meeting(4, table_size=2, rounds=1)
    client.force_login(NetworkRoleFactory(network=event.network).user)
    client.post(reverse("web:event_checkin", args=[event.pk, "1:forged"]))
    assert not event.registrations.filter(checked_in_at__isnull=False).exists()


def test_staff_see_a_members_attendance_rate_on_the_profile(client):
    """The network's staff see past attendance on a member's profile; another member does not."""
    import datetime

    from django.utils import timezone

    from meute.events.services import do_register, do_set_presence

    event = EventFactory(starts_at=timezone.now() - datetime.timedelta(days=3))
    member = MembershipFactory(network=event.network)
    do_set_presence(do_register(event, member.leader.user, offers="", needs="", wishes=[]), present=True,
                    acting_user=None)
    url = reverse("web:profile", args=[member.leader_id])
    client.force_login(NetworkRoleFactory(network=event.network).user)
    staff_view = client.get(url).content.decode()
    client.force_login(MembershipFactory(network=event.network).leader.user)
    member_view = client.get(url).content.decode()
    assert 'id="attendance-rate"' in staff_view and 'id="attendance-rate"' not in member_view


def test_speed_meeting_registration_requires_offers_and_needs(client):
    """Registering for a speed meeting without saying what one offers and needs changes nothing."""
    event = speed_meeting(0)
    client.force_login(MembershipFactory(network=event.network).leader.user)
    client.post(reverse("web:event_register", args=[event.pk]), {"offers": "", "needs": ""})
    client.post(reverse("web:event_register", args=[event.pk]), {"offers": "Conseil RH", "needs": "Clients"})
    assert event.registrations.count() == 1 and event.registrations.get().needs == "Clients"


@pytest.mark.parametrize(("price", "shown"), [("12.50", "12,50 €"), ("1200.00", "1\u00a0200 €"), ("30.00", "30 €")])
def test_an_event_price_is_shown_to_the_cent_not_rounded(client, price, shown):
    """A price of 12.50 € reads 12,50 €, not 13 €; whole euros without decimals, thousands grouped."""
    event = EventFactory(audience="public", price_member=price, price_public="0")
    content = client.get(reverse("web:event", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f"{shown} membres" in content

"""Check-in at the door: scanned codes, names found by search, walk-ins for a free seat."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meute.core.models import AuditEntry
from meute.events.checkin import checkin_code
from meute.events.door import check_scan, check_walk_in, code_from
from meute.events.exceptions import RegistrationError
from meute.events.models import RegistrationStatus, RotationPlan
from meute.events.rotations import current_plan, plan_changes, run_plan
from meute.events.services import do_register
from tests.factories import EventFactory, MembershipFactory, NetworkRoleFactory, UserFactory, speed_meeting

pytestmark = pytest.mark.django_db


def workshop(capacity=3, registered=2):
    event = EventFactory(capacity=capacity)
    for _ in range(registered):
        do_register(event, MembershipFactory(network=event.network).leader.user, offers="", needs="", wishes=[])
    return event, NetworkRoleFactory(network=event.network).user


def url_of(registration):
    return f"https://reseau.example.org/events/{registration.event_id}/checkin/{checkin_code(registration.pk)}/"


def test_the_code_is_read_from_the_whole_check_in_link():
    """A scanned link and the bare code give the same code."""
    assert code_from("https://x.example/events/3/checkin/abc:def/") == code_from(" abc:def ") == "abc:def"


def test_scanning_a_participants_code_checks_them_in_with_an_audit_entry():
    """A valid code checks the person in once, and the audit log records it."""
    event, staff = workshop()
    registration = event.registrations.first()
    check_scan(event, url_of(registration), acting_user=staff)
    registration.refresh_from_db()
    entry = AuditEntry.objects.filter(action="events.registration.presence").latest("pk")
    assert registration.checked_in_at is not None and entry.data["door"] is True


def test_a_code_already_used_is_refused_and_changes_nothing():
    """Scanning the same badge twice: a clear message, the first check-in time kept."""
    event, staff = workshop()
    registration = event.registrations.first()
    check_scan(event, url_of(registration), acting_user=staff)
    registration.refresh_from_db()
    first = registration.checked_in_at
    with pytest.raises(RegistrationError, match="already checked in"):
        check_scan(event, url_of(registration), acting_user=staff)
    registration.refresh_from_db()
    assert registration.checked_in_at == first


def test_a_code_of_another_networks_event_is_refused_without_naming_it():
    """The badge of another network's event is refused without revealing that event's title; nobody checked in."""
    event, staff = workshop()
    other, _staff = workshop()
    with pytest.raises(RegistrationError) as refused:
        check_scan(event, url_of(other.registrations.first()), acting_user=staff)
    assert "another event" in refused.value.message and other.title not in refused.value.message
    assert not other.registrations.filter(checked_in_at__isnull=False).exists()


def test_a_code_of_another_event_is_refused_and_changes_nothing():
    """The badge of another event of the same network names that event and checks nobody in."""
    event, staff = workshop()
    other = EventFactory(capacity=3, network=event.network)
    do_register(other, MembershipFactory(network=event.network).leader.user, offers="", needs="", wishes=[])
    stranger = other.registrations.first()
    with pytest.raises(RegistrationError, match=other.title):
        check_scan(event, url_of(stranger), acting_user=staff)
    assert not other.registrations.filter(checked_in_at__isnull=False).exists()
    assert not event.registrations.filter(checked_in_at__isnull=False).exists()


def test_a_forged_code_is_refused():
    """A code that is not signed by the site is refused."""
    event, staff = workshop()
    with pytest.raises(RegistrationError, match="not a check-in code"):
        check_scan(event, f"https://x/events/{event.pk}/checkin/12:forged/", acting_user=staff)


def test_a_walk_in_takes_a_free_seat_and_is_checked_in():
    """A member who did not register gets a confirmed, checked-in registration and an audit entry."""
    event, staff = workshop(capacity=3, registered=2)
    member = MembershipFactory(network=event.network).leader.user
    registration = check_walk_in(event, member, acting_user=staff)
    entry = AuditEntry.objects.get(action="events.registration.walk_in")
    assert (registration.status, registration.checked_in_at is not None) == (RegistrationStatus.CONFIRMED, True)
    assert entry.changes["status"] == [None, "confirmed"]


def test_a_walk_in_when_full_is_refused_and_changes_nothing():
    """A full event refuses the walk-in with a message; no registration is created."""
    event, staff = workshop(capacity=2, registered=2)
    member = MembershipFactory(network=event.network).leader.user
    with pytest.raises(RegistrationError, match="full"):
        check_walk_in(event, member, acting_user=staff)
    assert not event.registrations.filter(user=member).exists()
    assert not AuditEntry.objects.filter(action="events.registration.walk_in").exists()


def test_a_walk_in_of_an_outsider_to_a_members_event_is_refused():
    """Someone outside the network cannot be seated at a members-only event."""
    event, staff = workshop()
    with pytest.raises(RegistrationError, match="not a member"):
        check_walk_in(event, UserFactory(), acting_user=staff)


def test_a_walk_in_after_the_plan_makes_it_stale():
    """A walk-in at a planned speed meeting is a newcomer the plan does not seat yet."""
    event = speed_meeting(8, table_size=4, rounds=2)
    run_plan(RotationPlan.objects.create(event=event, seed=1, seconds=1).pk)
    member = MembershipFactory(network=event.network).leader.user
    check_walk_in(event, member, acting_user=NetworkRoleFactory(network=event.network).user)
    assert [r.user_id for r in plan_changes(event, current_plan(event)).newcomers] == [member.pk]


def test_the_door_page_finds_registrations_and_walk_in_candidates(client):
    """Searching a name lists the registered person and a member who could walk in."""
    event, staff = workshop()
    registered = event.registrations.first().user
    walker = MembershipFactory(network=event.network, leader__user=UserFactory(last_name=registered.last_name))
    client.force_login(staff)
    html = client.get(reverse("web:event_door", args=[event.pk]), {"q": registered.last_name}).content.decode()
    assert registered.get_full_name() in html.split('id="door-registrations"')[1].split("</ul>")[0]
    assert walker.leader.user.get_full_name() in html.split('id="door-walk-ins"')[1]


def test_the_door_page_shows_a_bad_code_as_a_message(client):
    """Posting another event's code gives a message on the door page, not an error."""
    event, staff = workshop()
    other, _staff = workshop()
    client.force_login(staff)
    response = client.post(reverse("web:event_door_scan", args=[event.pk]),
                           {"code": url_of(other.registrations.first())}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "autre événement" in html and other.title not in html


def test_marking_present_from_the_search(client):
    """The "present" button checks the person in."""
    event, staff = workshop()
    registration = event.registrations.first()
    client.force_login(staff)
    client.post(reverse("web:event_door_present", args=[event.pk, registration.pk]))
    registration.refresh_from_db()
    assert registration.checked_in_at is not None and registration.checked_in_at <= timezone.now()


def test_walk_in_through_the_page_when_full_says_so(client):
    """The walk-in button on a full event shows the refusal and creates nothing."""
    event, staff = workshop(capacity=2, registered=2)
    member = MembershipFactory(network=event.network).leader.user
    client.force_login(staff)
    response = client.post(reverse("web:event_door_walk_in", args=[event.pk]), {"user": member.pk}, follow=True)
    assert response.status_code == 200 and not event.registrations.filter(user=member).exists()


@pytest.mark.parametrize("name", ["web:event_door"])
def test_the_door_is_404_for_staff_of_another_network(client, name):
    """Staff of network B cannot open network A's door page."""
    event = EventFactory(audience="public")
    client.force_login(NetworkRoleFactory().user)
    assert client.get(reverse(name, args=[event.pk])).status_code == 404


def test_the_door_search_matches_each_word_in_name_company_or_town():
    """"Dupont Lyon" finds Dupont whose company is in Lyon (each word in any field), not another Dupont."""
    from meute.events.door import search_door
    from meute.territory.models import Commune
    from tests.factories import CompanyFactory, LeaderFactory

    event, _staff = workshop(capacity=10, registered=0)
    lyon, poitiers = Commune.objects.get(name="Lyon"), Commune.objects.get(pk="86194")
    found, elsewhere, company = (LeaderFactory(user=UserFactory(last_name="Dupont"), company=CompanyFactory(commune=c))
                                 for c in (lyon, poitiers, lyon))
    for leader in (found, elsewhere):
        do_register(event, MembershipFactory(network=event.network, leader=leader).leader.user, offers="", needs="",
                    wishes=[])
    registrations, _walk_ins = search_door(event, "Dupont Lyon")
    assert [r.user for r in registrations] == [found.user]
    registrations, _walk_ins = search_door(event, f"{company.company.name.split()[0]} dupont poitiers")
    assert [r.user for r in registrations] == [elsewhere.user]

"""Pages of referrals: who sees what (outsiders get 404), giving from the form and in a meeting,
the lifecycle from the page, and the figures (sums only for staff)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from meute.notifications.models import Notification
from meute.referrals.models import Referral, Status
from meute.referrals.services import check_mark_won
from tests.factories import NetworkFactory, NetworkRoleFactory, UserFactory, peer_group
from tests.referrals.factories import give, member, one_to_one, pair
from tests.web.french import english_left

pytestmark = pytest.mark.django_db


def _urls(referral):
    return [reverse("web:referral", args=[referral.pk]), reverse("web:referral_action", args=[referral.pk])]


@pytest.mark.parametrize("who", ["anonymous", "account", "third_member", "staff", "administrator"])
def test_outsiders_get_404_on_a_referral(client, who):
    """Nobody but its giver and receiver learns a referral exists: not a fellow member, not staff."""
    network = NetworkFactory()
    giver, receiver = pair(network)
    referral = give(giver, receiver)
    people = {"account": UserFactory, "third_member": lambda: member(network),
              "staff": lambda: NetworkRoleFactory(network=network).user,
              "administrator": lambda: UserFactory(is_superuser=True)}
    if who != "anonymous":
        client.force_login(people[who]())
    for url in _urls(referral):
        response = client.post(url, {"action": "accept"}) if "action" in url else client.get(url)
        assert response.status_code in (302, 404) if who == "anonymous" else response.status_code == 404, url
    assert Referral.objects.get().status == Status.GIVEN


def test_giving_from_the_form_then_the_receiver_wins_it_from_the_page(client):
    """The giver fills the form; the receiver accepts and marks it won; the giver sees « won » only."""
    giver, receiver = pair()
    client.force_login(giver)
    page = client.get(reverse("web:referral_new"), {"receiver": receiver.leader.pk})
    assert page.status_code == 200 and english_left(page.content.decode()) == []
    token = page.context["form"].initial["submission"]
    data = {"receiver": receiver.leader.pk, "prospect_name": "Claire Martin", "prospect_email": "c@m.example",
            "prospect_agreed": "on", "need": "Un site web", "warmth": "introduced", "submission": token}
    response = client.post(reverse("web:referral_new"), data)
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert client.post(reverse("web:referral_new"), data).status_code == 400  # sent twice: one referral
    assert Referral.objects.count() == 1
    client.force_login(receiver)
    page = client.get(reverse("web:referral", args=[referral.pk]))
    assert english_left(page.content.decode()) == []
    client.post(reverse("web:referral_action", args=[referral.pk]), {"action": "accept"})
    client.post(reverse("web:referral_action", args=[referral.pk]),
                {"action": "won", "amount": "4 200", "business": "new"})
    referral.refresh_from_db()
    assert (referral.status, referral.amount) == (Status.WON, Decimal("4200.00"))
    client.force_login(giver)
    page = client.get(reverse("web:referral", args=[referral.pk])).content.decode()
    assert "4200" not in page and "4 200" not in page and 'id="referral-won"' in page


def test_a_bad_amount_from_the_page_is_a_message_and_changes_nothing(client):
    """A negative amount posted: the page says why, the referral stays open."""
    giver, receiver = pair()
    referral = give(giver, receiver)
    client.force_login(receiver)
    response = client.post(reverse("web:referral_action", args=[referral.pk]),
                           {"action": "won", "amount": "-10", "business": "new"}, follow=True)
    assert "négatif" in response.content.decode() or "negative" in response.content.decode()
    assert Referral.objects.get().status == Status.GIVEN


def test_the_giver_cannot_move_the_referral_from_the_page(client):
    """The giver posting « accept » gets a message; nothing changes."""
    giver, receiver = pair()
    referral = give(giver, receiver)
    client.force_login(giver)
    client.post(reverse("web:referral_action", args=[referral.pk]), {"action": "accept"})
    assert Referral.objects.get().status == Status.GIVEN


def test_a_meeting_logs_referrals_and_its_page_lists_them_without_amounts(client):
    """From the meeting page a member logs a referral to a fellow member; the page lists it, no amount."""
    group = peer_group(members=3)
    meeting = group.meetings.first()
    a, b = (m.leader.user for m in group.members.select_related("leader__user")[:2])
    client.force_login(a)
    page = client.get(reverse("web:meeting", args=[meeting.pk])).content.decode()
    assert 'id="log-referral"' in page
    form = client.get(reverse("web:referral_new"), {"meeting": meeting.pk})
    assert b.leader.pk in [value for value, _label in form.context["form"].fields["receiver"].choices]
    response = client.post(reverse("web:referral_new") + f"?meeting={meeting.pk}", {
        "receiver": b.leader.pk, "prospect_name": "P", "prospect_phone": "0600000000", "need": "n",
        "warmth": "call", "meeting": meeting.pk})
    assert response.status_code == 302
    referral = Referral.objects.get(meeting=meeting)
    check_mark_won(referral, acting_user=b, amount="777", share=True)
    page = client.get(reverse("web:meeting", args=[meeting.pk])).content.decode()
    assert 'id="meeting-referrals"' in page and "777" not in page


def test_a_meeting_outsider_cannot_log_a_referral_there(client):
    """Someone outside the group gets 404 on the meeting's referral form."""
    group = peer_group(members=2)
    client.force_login(member())
    response = client.get(reverse("web:referral_new"), {"meeting": group.meetings.first().pk})
    assert response.status_code == 404


def test_staff_see_their_networks_sums_and_members_get_404(client):
    """The network's staff see the sum closed; a member, and other staff, get 404."""
    network = NetworkFactory()
    giver, receiver = pair(network)
    referral = give(giver, receiver)
    check_mark_won(referral, acting_user=receiver, amount="1234")
    url = reverse("web:network_referral_figures", args=[network.slug])
    for outsider in (giver, NetworkRoleFactory().user):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(NetworkRoleFactory(network=network).user)
    page = client.get(url)
    assert page.status_code == 200 and "1\xa0234 €" in page.content.decode()
    assert english_left(page.content.decode()) == []


def test_staff_publish_from_the_figures_page(client):
    """Publishing the yearly figure from the page stores it; a member posting gets 404."""
    network = NetworkFactory()
    url = reverse("web:network_referral_figures", args=[network.slug])
    client.force_login(member(network))
    assert client.post(url, {"year": timezone.localdate().year, "advisor_consent": "on"}).status_code == 404
    client.force_login(NetworkRoleFactory(network=network).user)
    assert client.post(url, {"year": timezone.localdate().year, "advisor_consent": "on"}).status_code == 302
    assert network.published_figures.get().advisor_consent


def test_group_figures_are_for_staff_only(client):
    """A group member gets 404 on the group's figures; the programme's staff see them."""
    group = peer_group(members=2)
    url = reverse("web:group_referral_figures", args=[group.pk])
    client.force_login(group.members.first().leader.user)
    assert client.get(url).status_code == 404
    client.force_login(NetworkRoleFactory(network=group.network).user)
    assert client.get(url).status_code == 200


def test_my_pages_speak_french(client):
    """The list, suggestions, one-to-ones and my figures render in French."""
    a, b = pair()
    give(a, b)
    one_to_one(a.leader, b.leader)
    client.force_login(a)
    for name in ("web:referrals", "web:referral_suggestions", "web:one_to_ones", "web:referral_figures"):
        page = client.get(reverse(name))
        assert page.status_code == 200, name
        assert english_left(page.content.decode()) == [], name


def test_one_to_one_from_the_page_and_its_confirmation(client):
    """Schedule from the page; an outsider gets 404 on its action; both confirming makes it held."""
    a, b = pair()
    client.force_login(a)
    when = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(reverse("web:one_to_ones"), {"other": b.leader.pk, "starts_at": when,
                                                    "place": "Café"}).status_code == 302
    past = one_to_one(a.leader, b.leader)
    url = reverse("web:one_to_one_action", args=[past.pk])
    client.force_login(member())
    assert client.post(url, {"action": "held"}).status_code == 404
    for person in (a, b):
        client.force_login(person)
        client.post(url, {"action": "held"})
    past.refresh_from_db()
    assert past.status == "held"
    assert Notification.objects.filter(recipient=b, kind="one_to_one").exists()

"""Topics, plenaries, pooled purchases and their items sent twice (a double click, a reload): one object,
and the second sending lands where the first did."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meute.peergroups.models import Plenary, Topic
from meute.purchases.models import Campaign
from tests.factories import NetworkRoleFactory, peer_group
from tests.purchases.factories import open_campaign

pytestmark = pytest.mark.django_db


def form_key(client, url):
    """The one-time key the page put in its form (the only one on the page)."""
    page = client.get(url).content.decode()
    keys = re.findall(r'name="submission" value="([0-9a-f]+)"', page)
    assert len(keys) == 1, keys
    return keys[0]


def later(days: int, hours: int = 0) -> str:
    """A date as a datetime-local box sends it."""
    return (timezone.localtime() + datetime.timedelta(days=days, hours=hours)).strftime("%Y-%m-%dT%H:%M")


def test_the_topic_form_sent_twice_proposes_one_topic_and_goes_back_to_the_meeting_both_times(client):
    """Both sendings of the topic form land on the meeting's page, whose agenda has one topic."""
    group = peer_group()
    meeting = group.meetings.filter(starts_at__gt=timezone.now()).first()
    client.force_login(group.members.first().leader.user)
    page = reverse("web:meeting", args=[meeting.pk])
    url = reverse("web:meeting_action", args=[meeting.pk])
    data = {"action": "propose", "title": "Trésorerie", "details": "", "submission": form_key(client, page)}
    first, second = client.post(url, data), client.post(url, data)
    assert (Topic.objects.filter(meeting=meeting).count(), first["Location"], second["Location"]) == (1, page, page)


def test_the_plenary_form_sent_twice_creates_one_plenary_and_goes_back_to_the_list_both_times(client):
    """Both sendings of the new-plenary form land on the plenaries' list, which has one plenary."""
    group = peer_group()
    client.force_login(NetworkRoleFactory(network=group.network).user)
    url = reverse("web:programme_plenaries", args=[group.network.slug])
    data = {"level": "department", "title": "Plénière d'automne", "starts_at": later(20),
            "ends_at": later(20, 3), "place": "CCI", "groups": [group.pk], "submission": form_key(client, url)}
    first, second = client.post(url, data), client.post(url, data)
    assert (Plenary.objects.count(), first["Location"], second["Location"]) == (1, url, url)


def test_the_campaign_form_sent_twice_creates_one_campaign_and_goes_to_its_items_both_times(client):
    """Both sendings of the new-campaign form land on the same, single campaign's item page."""
    staff = NetworkRoleFactory()
    client.force_login(staff.user)
    url = reverse("web:purchase_create", args=[staff.network.slug])
    data = {"title": "Masques", "supplier_name": "Fournisseur", "opens_at": later(0), "closes_at": later(10),
            "policy": "cancel", "extension_days": "7", "networks": [staff.network.pk],
            "submission": form_key(client, url)}
    first, second = client.post(url, data), client.post(url, data)
    campaign = Campaign.objects.get()
    items = reverse("web:purchase_item_create", args=[campaign.pk])
    assert (first["Location"], second["Location"]) == (items, items)


def test_the_item_form_sent_twice_adds_one_item_and_goes_to_the_campaign_both_times(client):
    """Both sendings of the new-item form land on the campaign's page, which has one item more."""
    campaign, _item, staff = open_campaign()
    client.force_login(staff)
    url = reverse("web:purchase_item_create", args=[campaign.pk])
    data = {"name": "Gel", "unit": "flacon", "pack_size": "1", "minimum_total": "0", "base_price": "2.50",
            "submission": form_key(client, url)}
    first, second = client.post(url, data), client.post(url, data)
    page = reverse("web:purchase", args=[campaign.pk])
    assert (campaign.items.filter(name="Gel").count(), first["Location"], second["Location"]) == (1, page, page)

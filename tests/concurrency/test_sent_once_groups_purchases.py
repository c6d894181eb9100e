"""Topics, plenaries, pooled purchases and their items: one form sent four times at the same instant,
on PostgreSQL only: one object, one audit entry, and the other sendings are shown the first object."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from meute.core.models import AuditEntry
from meute.core.submissions import new_key
from meute.notifications.models import Notification
from meute.peergroups.meetings import check_propose_topic
from meute.peergroups.models import Plenary, Topic
from meute.peergroups.services import check_create_plenary
from meute.purchases.models import Campaign, CollectionPoint
from meute.purchases.services import check_add_item, check_create_campaign
from tests.concurrency.helpers import outcomes_of, race, sent_once
from tests.factories import NetworkRoleFactory, peer_group
from tests.purchases.factories import open_campaign

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]
SENDINGS = 4


def test_a_topic_form_sent_four_times_at_once_proposes_once_and_tells_each_person_once():
    """Four sendings of one topic form at the same instant: one topic, one audit entry, one notice a person."""
    group = peer_group(members=4)
    meeting = group.meetings.filter(starts_at__gt=timezone.now()).first()
    author, key = group.members.first().leader.user, new_key()
    results = race(*[sent_once(lambda: check_propose_topic(meeting, acting_user=author, title="Trésorerie",
                                                           submission=key)) for _ in range(SENDINGS)])
    topic = Topic.objects.get()
    notices = Notification.objects.filter(kind="topic_added")
    told = 3 + 1  # the three other members and the facilitator
    assert (outcomes_of(results), AuditEntry.objects.filter(action="peergroups.topic.proposed").count(),
            notices.count(), notices.values("recipient").distinct().count()) == (
        (["created", "repeat", "repeat", "repeat"], {topic.pk}), 1, told, told)


def test_a_plenary_form_sent_four_times_at_once_creates_one_plenary():
    """Four sendings of one new-plenary form at the same instant: one plenary, one audit entry."""
    group = peer_group()
    staff, key = NetworkRoleFactory(network=group.network).user, new_key()
    start = timezone.now() + datetime.timedelta(days=20)
    results = race(*[sent_once(lambda: check_create_plenary(
        group.network, acting_user=staff, level="department", title="Plénière", starts_at=start,
        ends_at=start + datetime.timedelta(hours=3), place="CCI", groups=[group], presented=[], submission=key))
        for _ in range(SENDINGS)])
    plenary = Plenary.objects.get()
    assert (outcomes_of(results), AuditEntry.objects.filter(action="peergroups.plenary.created").count(),
            list(plenary.groups.all())) == ((["created", "repeat", "repeat", "repeat"], {plenary.pk}), 1, [group])


def test_a_campaign_form_sent_four_times_at_once_creates_one_campaign():
    """Four sendings of one new-campaign form at the same instant: one campaign, its point, one audit entry."""
    staff, key = NetworkRoleFactory(), new_key()
    now = timezone.now()
    results = race(*[sent_once(lambda: check_create_campaign(
        staff.network, acting_user=staff.user, points=[{"network": staff.network}], title="Masques",
        supplier_name="Fournisseur", opens_at=now, closes_at=now + datetime.timedelta(days=10), policy="cancel",
        extension_days=7, submission=key)) for _ in range(SENDINGS)])
    campaign = Campaign.objects.get()
    assert (outcomes_of(results), CollectionPoint.objects.count(),
            AuditEntry.objects.filter(action="purchases.campaign.created").count()) == (
        (["created", "repeat", "repeat", "repeat"], {campaign.pk}), 1, 1)


def test_an_item_form_sent_four_times_at_once_adds_one_item():
    """Four sendings of one new-item form at the same instant: one item more, one audit entry more."""
    campaign, _first, staff = open_campaign()
    audited = AuditEntry.objects.filter(action="purchases.item.added")
    before, key = audited.count(), new_key()
    results = race(*[sent_once(lambda: check_add_item(
        campaign, acting_user=staff, tiers=[(0, Decimal("2.50"))], name="Gel", unit="flacon", pack_size=1,
        minimum_total=0, submission=key)) for _ in range(SENDINGS)])
    item = campaign.items.get(name="Gel")
    assert (outcomes_of(results), campaign.items.count(), item.tiers.count(), audited.count() - before) == (
        (["created", "repeat", "repeat", "repeat"], {item.pk}), 2, 1, 1)

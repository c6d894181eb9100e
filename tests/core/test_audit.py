import datetime
import decimal

import pytest

from meute.core.audit import diff, entries_for, log_action, network_ids_of, snapshot
from meute.core.models import AuditEntry
from tests.factories import (
    EventFactory,
    LeaderFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkRoleFactory,
    UserFactory,
    peer_group,
)

pytestmark = pytest.mark.django_db


def test_log_action_records_actor_object_and_data():
    """An audit entry says who did what, on which object, with details."""
    user, network = UserFactory(), NetworkFactory()
    log_action("members.network.updated", actor=user, obj=network, data={"x": 1})
    entry = entries_for(network).get()
    assert (entry.actor, entry.action, entry.object_repr, entry.data) == (user, "members.network.updated",
                                                                         network.name, {"x": 1})


def test_changes_keep_old_and_new_values_and_drop_unchanged_pairs():
    """``changes`` stores [old, new] per field, leaves out equal pairs and stores objects by name."""
    network = NetworkFactory(name="Avant")
    entry = log_action("x.updated", actor=None, obj=network, changes={
        "name": ["Avant", "Après"], "cadence": ["mensuelle", "mensuelle"],
        "fee_amount": [decimal.Decimal("10.00"), decimal.Decimal("12.50")], "home": [None, network],
    })
    entry.refresh_from_db()
    assert entry.changes == {"name": ["Avant", "Après"], "fee_amount": ["10.00", "12.50"], "home": [None, "Avant"]}


def test_snapshot_and_diff_give_the_changed_fields_only():
    """Two snapshots around a change diff into the fields that changed, with their old and new values."""
    network = NetworkFactory(name="Avant", cadence="mensuelle")
    before = snapshot(network, ["name", "cadence"])
    network.name = "Après"
    assert diff(before, snapshot(network, ["name", "cadence"])) == {"name": ["Avant", "Après"]}
    assert diff(snapshot(None, ["name"]), {"name": "Nouveau"}) == {"name": [None, "Nouveau"]}
    assert diff({"day": datetime.date(2026, 1, 1)}, {"day": datetime.date(2026, 1, 1)}) == {}


def test_actor_name_is_kept_even_after_the_account_is_deleted():
    """The entry keeps who acted (name and e-mail) after the account is gone."""
    user = UserFactory(first_name="Alice", last_name="Martin", email="alice@example.org")
    entry = log_action("x.done", actor=user)
    user.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor_repr == "Alice Martin <alice@example.org>"


def test_networks_are_derived_from_the_object():
    """A network, an object with a network, and an object whose parent has one, each give that network."""
    event = EventFactory()
    group = peer_group(members=2)
    meeting = group.meetings.first()
    role = NetworkRoleFactory()
    assert network_ids_of(event.network) == {event.network_id}
    assert network_ids_of(event) == {event.network_id}
    assert network_ids_of(role) == {role.network_id}
    assert network_ids_of(meeting) == {group.network_id}
    assert network_ids_of(group.members.first()) == {group.network_id}
    assert network_ids_of(LeaderFactory()) == set()


def test_log_action_links_the_entry_to_its_networks():
    """The entry is attached to the object's network, or to the networks given explicitly."""
    membership = MembershipFactory()
    other = NetworkFactory()
    derived = log_action("members.membership.created", actor=None, obj=membership)
    explicit = log_action("members.leader.updated", actor=None, obj=membership.leader,
                          network=[membership.network, other.pk])
    assert list(derived.networks.all()) == [membership.network]
    assert set(explicit.networks.all()) == {membership.network, other}


def test_backfill_attributes_old_entries_to_their_networks():
    """The data migration links entries written before networks were recorded, when the object tells."""
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    event, leader = EventFactory(), LeaderFactory()
    old_event = AuditEntry.objects.create(action="events.event.updated", object_id=str(event.pk),
                                          content_type=ContentType.objects.get_for_model(event))
    old_leader = AuditEntry.objects.create(action="members.leader.updated", object_id=str(leader.pk),
                                           content_type=ContentType.objects.get_for_model(leader))
    importlib.import_module("meute.core.migrations.0003_backfill_audit_networks").backfill(apps, None)
    assert list(old_event.networks.all()) == [event.network]
    assert not old_leader.networks.exists()


def test_network_given_as_text_is_refused():
    """``network=`` takes networks or ids; a slug by mistake is a clear error, not a silent misattribution."""
    with pytest.raises(TypeError):
        log_action("x.y", actor=None, network="reseau-1")
    assert not AuditEntry.objects.exists()

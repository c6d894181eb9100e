"""Audit entries are append-only: in Python everywhere, and in the database itself on PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from meute.core.audit import log_action
from meute.core.exceptions import AppendOnlyError
from meute.core.models import AuditEntry, AuditEntryNetwork
from tests.factories import NetworkFactory, UserFactory

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")


@pytest.fixture
def entry():
    return log_action("members.network.updated", actor=UserFactory(), obj=NetworkFactory(),
                      changes={"name": ["A", "B"]})


def test_saving_a_stored_entry_again_is_refused(entry):
    """A saved entry cannot be changed and saved again."""
    entry.action = "members.network.deleted"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).action == "members.network.updated"


def test_deleting_an_entry_is_refused(entry):
    """An entry cannot be deleted, one by one or in bulk, nor its network links."""
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntryNetwork.objects.filter(entry=entry).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists() and entry.network_links.count() == 1


def test_bulk_updates_are_refused(entry):
    """QuerySet.update, bulk_update and update_or_create are refused on the audit tables."""
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["action"])
    with pytest.raises(AppendOnlyError):
        AuditEntryNetwork.objects.filter(entry=entry).update(network_id=1)
    assert AuditEntry.objects.get(pk=entry.pk).action == "members.network.updated"


def test_deleting_the_actor_or_the_network_leaves_the_entry(entry):
    """Deleting the person who acted or the network leaves the entry and its attribution untouched."""
    network_id = entry.network_links.get().network_id
    entry.actor.delete()
    NetworkFactory._meta.model.objects.filter(pk=network_id).delete()
    kept = AuditEntry.objects.get(pk=entry.pk)
    assert (kept.actor_id is not None, kept.changes, kept.network_links.get().network_id) == (
        True, {"name": ["A", "B"]}, network_id)


@on_postgresql
def test_postgresql_refuses_raw_update_and_delete(entry):
    """On PostgreSQL a trigger refuses UPDATE and DELETE written in raw SQL on both audit tables."""
    statements = [
        ("UPDATE core_auditentry SET action = 'x' WHERE id = %s", [entry.pk]),
        ("DELETE FROM core_auditentry WHERE id = %s", [entry.pk]),
        ("UPDATE core_auditentrynetwork SET network_id = 0 WHERE entry_id = %s", [entry.pk]),
        ("DELETE FROM core_auditentrynetwork WHERE entry_id = %s", [entry.pk]),
    ]
    for sql, params in statements:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, params)
    with connection.cursor() as cur:
        cur.execute("SELECT action FROM core_auditentry WHERE id = %s", [entry.pk])
        assert cur.fetchone() == ("members.network.updated",)


@on_postgresql
def test_postgresql_still_lets_the_tables_be_truncated(entry):
    """TRUNCATE (how the test suite flushes tables) does not fire the trigger."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the rows above were inserted in this same transaction
        cur.execute("TRUNCATE core_auditentrynetwork, core_auditentry")
        assert AuditEntry.objects.count() == 0
        transaction.set_rollback(True)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()

"""The erasure of a person rewrites the text of audit entries that name them, and nothing else."""

import pytest
from django.db import DatabaseError, connection, transaction

from meute.core.audit import log_action, redact_entries
from meute.core.models import AuditEntry
from tests.factories import NetworkFactory, UserFactory

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")


@pytest.fixture
def entry():
    return log_action("members.network.updated", actor=UserFactory(first_name="Hélène", last_name="Vasseur"),
                      obj=NetworkFactory(), changes={"contact_name": ["Hélène Vasseur", "Paul Martin"]})


def test_redaction_rewrites_the_personal_text(entry):
    """The who, the data and the changes can be rewritten through redact_entries."""
    redact_entries([entry], lambda e: {"actor_repr": "anonyme", "changes": {"contact_name": ["***", "Paul Martin"]}})
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.actor_repr, stored.changes) == ("anonyme", {"contact_name": ["***", "Paul Martin"]})


def test_redaction_keeps_what_happened(entry):
    """Action, date, actor and object stay as they were written."""
    before = AuditEntry.objects.values("action", "created", "actor_id", "object_id").get(pk=entry.pk)
    redact_entries([entry], lambda e: {"actor_repr": "anonyme"})
    assert AuditEntry.objects.values("action", "created", "actor_id", "object_id").get(pk=entry.pk) == before


def test_redaction_refuses_other_columns(entry):
    """Asking redact_entries to change the action is refused and changes nothing."""
    with pytest.raises(ValueError):
        redact_entries([entry], lambda e: {"action": "members.network.deleted"})
    assert AuditEntry.objects.get(pk=entry.pk).action == "members.network.updated"


@on_postgresql
def test_the_database_refuses_a_redaction_of_what_happened(entry):
    """Even with the redaction setting on, the trigger refuses an UPDATE of the action."""
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('meute.audit_redaction', 'on', true)")
        cursor.execute("UPDATE core_auditentry SET action = 'x' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "members.network.updated"


@on_postgresql
def test_the_redaction_setting_ends_with_the_call(entry):
    """After redact_entries, a plain UPDATE of the text is refused again by the database."""
    redact_entries([entry], lambda e: {"actor_repr": "anonyme"})
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET actor_repr = 'y' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).actor_repr == "anonyme"

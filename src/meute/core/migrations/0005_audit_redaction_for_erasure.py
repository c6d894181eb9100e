"""The erasure of a person may rewrite the text of audit entries that name them, nothing else.

The append-only trigger of ``0004`` refused every UPDATE. Entries now accept one kind of
update, made by :func:`meute.core.audit.redact_entries` inside its own transaction (the
``meute.audit_redaction`` setting, local to that transaction): the personal text columns
change, what happened (id, date, action, actor, object, networks) does not. DELETE is still
refused on both tables.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND coalesce(current_setting('meute.audit_redaction', true), 'off') = 'on'
       AND NEW.id = OLD.id AND NEW.created = OLD.created AND NEW.action = OLD.action
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.content_type_id IS NOT DISTINCT FROM OLD.content_type_id
       AND NEW.object_id = OLD.object_id THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'meute audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();
DROP FUNCTION IF EXISTS core_auditentry_append_only();
"""


def _run(sql):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)
    return apply


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_append_only_trigger")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]

"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit tables.

``TRUNCATE`` does not fire row triggers, so the test suite can still flush the tables.
SQLite relies on the model and manager guards of :mod:`meute.core.models`.
"""

from django.db import migrations

TABLES = ("core_auditentry", "core_auditentrynetwork")

CREATE = """
CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'meute audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
    f"FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();\n"
    for table in TABLES
)

DROP = "".join(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS core_audit_append_only();"
)


def _run(sql):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)
    return apply


class Migration(migrations.Migration):
    dependencies = [("core", "0003_backfill_audit_networks")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]

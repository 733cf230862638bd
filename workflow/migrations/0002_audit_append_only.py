"""Refuse UPDATE and DELETE on the audit log at the database, on PostgreSQL.

The model guard covers the ORM; this covers raw SQL and other clients.
SQLite keeps only the model guard.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION workflow_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER workflow_auditentry_append_only
    BEFORE UPDATE OR DELETE ON workflow_auditentry
    FOR EACH ROW EXECUTE FUNCTION workflow_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS workflow_auditentry_append_only ON workflow_auditentry;
DROP FUNCTION IF EXISTS workflow_audit_append_only();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]

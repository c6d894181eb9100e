"""Attribute the entries written before networks were recorded, where the object tells.

The object's network is found as :mod:`meute.core.audit` finds it: the object is a network,
has a ``network`` (or ``programme``) foreign key, or a parent that has one. Only rows of
the link table are inserted: the entries themselves are never updated.
"""

from django.db import migrations

NETWORK_FIELDS = ("network", "programme")


def _path(model, network_model, depth=0):
    if model._meta.label_lower == network_model._meta.label_lower:
        return ()
    fields = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    for f in fields:
        if f.name in NETWORK_FIELDS and f.related_model._meta.label_lower == network_model._meta.label_lower:
            return (f.name,)
    if depth < 3:
        for f in fields:
            if f.primary_key or f.related_model._meta.label_lower == network_model._meta.label_lower:
                continue
            rest = _path(f.related_model, network_model, depth + 1)
            if rest:
                return (f.name, *rest)
    return None


def backfill(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditEntryNetwork = apps.get_model("core", "AuditEntryNetwork")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Network = apps.get_model("members", "Network")
    pending = AuditEntry.objects.exclude(content_type=None).filter(network_links=None)
    for ct_id in pending.values_list("content_type_id", flat=True).distinct():
        ct = ContentType.objects.filter(pk=ct_id).first()
        try:
            model = apps.get_model(ct.app_label, ct.model) if ct else None
        except LookupError:
            model = None
        path = _path(model, Network) if model is not None else None
        if path is None:
            continue
        column = "pk" if not path else "__".join(path)
        entries = list(pending.filter(content_type_id=ct_id).values_list("pk", "object_id"))
        by_object = dict(model.objects.filter(pk__in={o for _pk, o in entries if o.isdigit()})
                         .values_list("pk", column))
        links = [AuditEntryNetwork(entry_id=pk, network_id=by_object[int(o)]) for pk, o in entries
                 if o.isdigit() and by_object.get(int(o)) is not None]
        AuditEntryNetwork.objects.bulk_create(links, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_changes_and_networks")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

"""Bulk writes faster than ``QuerySet.bulk_update`` (whose ``CASE WHEN`` grows per row and per field).

:func:`bulk_set` writes the given fields of many rows in one ``UPDATE … FROM (VALUES …)``
statement per batch, on SQLite (3.33 or later) and PostgreSQL alike. Values go through
each field's ``get_db_prep_save``, so they are stored exactly as ``save()`` would store them.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router


def bulk_set(model: type[models.Model], objects: Sequence[models.Model], field_names: Sequence[str],
             *, batch_size: int = 500) -> int:
    """Write ``field_names`` of ``objects`` (which have a primary key); returns the rows updated."""
    if not objects or not field_names:
        return 0
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [meta.get_field(name) for name in field_names]
    columns = [meta.pk, *fields]
    names = ", ".join(f"c{i}" for i in range(len(columns)))

    def value(field: models.Field, i: int) -> str:
        if connection.vendor == "postgresql":
            return f"CAST(v.c{i} AS {field.cast_db_type(connection)})"
        return f"v.c{i}"

    assignments = ", ".join(f"{quote(field.column)} = {value(field, i)}" for i, field in enumerate(columns) if i)
    table = quote(meta.db_table)
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch_size):
            batch = objects[start:start + batch_size]
            row = "(" + ", ".join(["%s"] * len(columns)) + ")"
            params = []
            for obj in batch:
                params.append(obj.pk)
                params += [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
            sql = (f"WITH v({names}) AS (VALUES {', '.join([row] * len(batch))}) "
                   f"UPDATE {table} SET {assignments} FROM v "
                   f"WHERE {table}.{quote(meta.pk.column)} = {value(meta.pk, 0)}")
            cursor.execute(sql, params)
            if connection.vendor == "sqlite":  # sqlite3 reports no rowcount for a statement opening with WITH
                cursor.execute("SELECT changes()")
                updated += cursor.fetchone()[0]
            else:
                updated += cursor.rowcount
    return updated


_PLAIN = {"CharField", "TextField", "EmailField", "SlugField", "URLField", "IntegerField", "BigIntegerField",
          "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField", "BooleanField", "ForeignKey",
          "OneToOneField"}


def bulk_insert(model: type[models.Model], objects: Sequence[models.Model], *, batch_size: int = 500) -> None:
    """Insert ``objects`` with multi-row ``INSERT … RETURNING`` and set their primary keys.

    Lighter than ``bulk_create`` for tens of thousands of rows: plain values (text, numbers,
    booleans, foreign keys) are passed as they are, the others through ``get_db_prep_save``;
    ``auto_now``/``auto_now_add`` fields get the current time. No signals are sent.
    """
    if not objects:
        return
    from django.utils import timezone

    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    stamped = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    plain = [f.get_internal_type() in _PLAIN for f in fields]
    columns = ", ".join(quote(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    table = quote(meta.db_table)

    def values(obj: models.Model) -> list[object]:
        for name in stamped:
            setattr(obj, name, now)
        return [getattr(obj, f.attname) if is_plain else f.get_db_prep_save(getattr(obj, f.attname), connection)
                for f, is_plain in zip(fields, plain, strict=True)]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_postgresql(cursor, meta, objects, values, columns)
            return
        for start in range(0, len(objects), batch_size):
            batch = objects[start:start + batch_size]
            params = [value for obj in batch for value in values(obj)]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(batch))} "
                           f"RETURNING {quote(meta.pk.column)}", params)
            for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False


def _copy_postgresql(cursor, meta, objects, values, columns: str) -> None:
    """PostgreSQL: draw the ids from the table's sequence, then ``COPY`` the rows (no per-value quoting)."""
    from django.db import connection as default_connection

    quote = default_connection.ops.quote_name
    table, pk = quote(meta.db_table), meta.pk.column
    cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                   [meta.db_table, pk, len(objects)])
    ids = [row[0] for row in cursor.fetchall()]
    with cursor.cursor.copy(f"COPY {table} ({quote(pk)}, {columns}) FROM STDIN") as copy:
        for obj, pk_value in zip(objects, ids, strict=True):
            copy.write_row([pk_value, *values(obj)])
    for obj, pk_value in zip(objects, ids, strict=True):
        obj.pk = pk_value
        obj._state.adding = False

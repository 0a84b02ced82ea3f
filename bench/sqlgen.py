"""Set-based inserts for generated data: `INSERT … SELECT` whose unlisted columns take the
model's own defaults, so the generator keeps working as other apps add fields."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection, models
from django.utils import timezone


def _default_of(field: models.Field) -> tuple[bool, Any]:
    """(known, value) of a column the generator does not set."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return True, timezone.now()
    if field.has_default():
        value = field.get_default()
        if isinstance(field, models.JSONField):
            return True, json.dumps(value)
        if isinstance(value, models.Model):
            value = value.pk
        return True, value
    if field.null:
        return True, None
    if isinstance(field, models.CharField | models.TextField) and field.blank:
        return True, ""
    return False, None


def insert_select(
    model: type[models.Model],
    given: dict[str, str],
    from_sql: str,
    params: list | None = None,
    returning: str = "",
) -> int:
    """`INSERT INTO <model> (cols) SELECT <given exprs>, <defaults> FROM …`.

    `given` maps column names to SQL expressions over `from_sql`; every other concrete column
    (except the primary key) gets the field's default as a parameter. Returns the row count."""
    cols, exprs, defaults = [], [], []
    for field in model._meta.concrete_fields:
        column = field.column
        if column in given:
            cols.append(column)
            exprs.append(given[column])
            continue
        if field.primary_key:
            continue
        known, value = _default_of(field)
        if not known:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
        cols.append(column)
        cast = "::jsonb" if isinstance(field, models.JSONField) else ""
        exprs.append(f"%s{cast}")
        defaults.append(value)
    unknown = set(given) - set(cols)
    if unknown:
        raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
    # Parameters: the defaults appear in the select list, before those of the FROM clause.
    sql = (
        f'INSERT INTO "{model._meta.db_table}" ({", ".join(cols)}) '
        f"SELECT {', '.join(exprs)} {from_sql} {returning}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, defaults + list(params or []))
        return cursor.rowcount


def copy_rows(table: str, columns: list[str], rows) -> None:
    """COPY rows (tuples) into a table through psycopg 3."""
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)


def execute(sql: str, params: list | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.rowcount


def scalar(sql: str, params: list | None = None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        row = cursor.fetchone()
        return row[0] if row else None

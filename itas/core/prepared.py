"""A cursor for the few statements every respondent runs, prepared once per connection.

Django's PostgreSQL backend binds parameters on the client (psycopg's ClientCursor), so the
server parses and plans every statement again on every request. For the respondent's reads
planning costs more than running them: the enrolment lookup (six tables, one row per phase)
took 1.1 ms to plan and 0.13 ms to run, and a submission paid for it, for the
stored-submission read and for the arrival upsert, the thank-you page for its own read. On
PostgreSQL the cursor below binds on the server and asks psycopg to prepare the statement
(``prepare=True``): the first execution on a connection parses it, later ones skip that and,
once PostgreSQL judges a generic plan as good, the planning too. Django keeps a connection
for ``CONN_MAX_AGE`` seconds; psycopg keeps the last 100 statements of a connection and
drops them with it.

It serves statements written once per process, with ``%s`` parameters, whose best plan does
not depend on the values: lookups by a unique key (surveys.lookup, the stored-submission
read in surveys.store), the arrival upsert and the submission's INSERT. After five
executions PostgreSQL may keep one generic plan for all values, so a statement must be
written so that such a plan is good for every value: the INSERT's plain ``EXISTS (...
token_hash = %s)`` became a scan of every response under a generic plan (most rows carried
an empty token hash, and the statistics said so); it now reads a partial index of carried
tokens only (tests/surveys/test_store_writes.py). Errors come out as Django's, and the
statement joins the connection's current transaction as any other. Elsewhere (SQLite) this
is Django's cursor.

A connection pooler in transaction mode (PgBouncer before 1.21) does not keep prepared
statements: deploy behind one in session mode, or set ``ITAS_PREPARED_STATEMENTS=0``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection

NEVER_BY_COUNT = 2**31


class _PreparedCursor:
    def __init__(self, cursor):
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        # Through the connection's execute_wrappers, as Django's own cursor does
        # (CursorWrapper._execute_with_wrappers): instrumentation, and the tests' database
        # faults, see these statements too.
        executor = self._execute
        for wrapper in reversed(connection.execute_wrappers):
            executor = functools.partial(wrapper, executor)
        executor(sql, params, False, {"connection": connection, "cursor": self})

    def _execute(self, sql: str, params: Sequence[Any], many: bool, context: dict) -> None:
        with connection.wrap_database_errors:
            self._cursor.execute(sql, params, prepare=True)

    def fetchone(self):
        return self._cursor.fetchone()

    def fetchall(self):
        return self._cursor.fetchall()


@contextmanager
def cursor() -> Iterator[Any]:
    """A cursor whose ``execute`` prepares its statement on PostgreSQL; Django's elsewhere."""
    with connection.cursor() as django_cursor:
        if connection.vendor != "postgresql" or not getattr(
            settings, "ITAS_PREPARED_STATEMENTS", True
        ):
            yield django_cursor
            return
        import psycopg

        # Django's cursor() has opened (or checked) the connection and refused a broken
        # transaction; a server-binding cursor on the same connection runs inside it.
        raw_connection = django_cursor.cursor.connection
        if raw_connection.prepare_threshold is None:
            # Django turns psycopg's preparing off (prepare_threshold None), which refuses
            # prepare=True too. Its own cursors bind on the client and are never prepared
            # whatever the threshold; a threshold out of reach keeps it that way for any
            # other server-binding cursor, and lets this one prepare when it asks.
            raw_connection.prepare_threshold = NEVER_BY_COUNT
        with psycopg.Cursor(raw_connection) as raw:
            yield _PreparedCursor(raw)

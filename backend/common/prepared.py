"""The hot path's fixed statements as prepared statements on PostgreSQL.

Django binds parameters on the client (the statement text carries the values), so
PostgreSQL parses and plans every statement anew. A checkout's few long statements (its
reads, its inserts into four tables, the stock take, the events) have fixed texts: through
`prepared_cursor()` they bind on the server and are prepared on each pooled connection the
first time, then only executed. Everything else keeps Django's client-side binding. The
statements still go through Django's cursor wrapper (its error translation, query logging
and execute wrappers see them).

Behind a connection pooler in transaction mode, prepared statements need PgBouncer 1.21 or
later (psycopg names them per connection; decision 0003)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from types import SimpleNamespace
from typing import Any

from django.db import connection

_ONLY_WHEN_ASKED = 2**31 - 1


def quoted(name: str) -> str:
    """A table or column name as the hand-written statements put it."""
    return str(connection.ops.quote_name(name))


def table(model: Any) -> str:
    """A model's table, quoted."""
    return quoted(model._meta.db_table)


@contextmanager
def prepared_cursor() -> Iterator[Any]:
    """A cursor whose statements are prepared (PostgreSQL), or Django's usual cursor."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    pg = connection.connection
    if pg.prepare_threshold is None:
        # Django turns preparing off for the connection; this cursor asks for it on each
        # statement, and Django's client-side cursors never prepare, so no other statement
        # is prepared on any threshold.
        pg.prepare_threshold = _ONLY_WHEN_ASKED
    with connection.wrap_database_errors:
        raw = _cursor_class()(pg)
    cursor = connection._prepare_cursor(raw)  # type: ignore[attr-defined]
    try:
        yield cursor
    finally:
        cursor.close()


@cache
def _cursor_class() -> type:
    from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]
        ServerBindingCursor,
    )

    class PreparingCursor(ServerBindingCursor):  # type: ignore[misc]
        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            result = super().execute(query, params, prepare=True, **kwargs)
            if self._query is None:  # type: ignore[has-type]
                # psycopg keeps no text for a prepared execution; Django's query log (and
                # a test that counts statements) reads it from here.
                self._query = SimpleNamespace(query=str(query).encode())
            return result

    return PreparingCursor

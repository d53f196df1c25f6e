"""New rows of several models written at once, parents before children (a checkout, its
orders, their lines and timelines).

On PostgreSQL it is two statements whatever the number of models and rows: the ids are drawn
from the tables' sequences first, so the children can point at their parents, then one
statement inserts every table, each from arrays (`unnest`), so its text depends only on the
models and is built once per process. Foreign keys are checked at commit (Django declares
them deferred), so the order inside the statement does not matter. Elsewhere (the embedded
SQLite) it is one `bulk_create` per model, in the order given.

The rows are what the ORM would write: each field's `pre_save` (auto_now_add) and
`get_db_prep_save`, with foreign keys taken from the parents given with them. No signals are
sent (as with `bulk_create`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Field, Model

from backend.common.prepared import prepared_cursor, quoted, table


def instances_insert(*groups: Sequence[Model]) -> None:
    """Insert each group (unsaved instances of one model), parents first, and set their
    primary keys. Use it inside `transaction.atomic()`."""
    groups = tuple(group for group in groups if group)
    if not groups:
        return
    if connection.vendor != "postgresql":
        for group in groups:
            type(group[0])._default_manager.bulk_create(group)
        return
    models = tuple(type(group[0]) for group in groups)
    with prepared_cursor() as cursor:
        cursor.execute(_ids_sql(models), [len(group) for group in groups])
        drawn = cursor.fetchone()
        for group, ids in zip(groups, drawn, strict=True):
            for obj, pk in zip(group, ids, strict=True):
                obj.pk = pk
        params: list[Any] = []
        for group in groups:
            params.extend(_columns(group))
        cursor.execute(_insert_sql(models), params)
    for group in groups:
        _stored(group)


def instance_insert(obj: Model) -> None:
    """Insert one row with no children by one prepared statement (`INSERT … RETURNING` its
    key): what `Model.objects.create` writes, without the ORM compiling it each time."""
    if connection.vendor != "postgresql":
        type(obj)._default_manager.bulk_create([obj])
        return
    fields = _fields(type(obj), with_key=False)
    with prepared_cursor() as cursor:
        cursor.execute(_one_sql(type(obj)), [_value(f, obj) for f in fields])
        obj.pk = cursor.fetchone()[0]
    _stored([obj])


def _stored(objs: Sequence[Model]) -> None:
    """Mark instances as saved, as the ORM does after an insert."""
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


@cache
def _one_sql(model: type[Model]) -> str:
    fields = _fields(model, with_key=False)
    values = ", ".join("%s::jsonb" if _is_json(f) else "%s" for f in fields)
    pk = quoted(model._meta.pk.column)
    return f"{_insert_into(model, fields)} VALUES ({values}) RETURNING {pk}"


def _fields(model: type[Model], *, with_key: bool = True) -> list[Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if not f.generated and (with_key or not f.primary_key)
    ]


def _insert_into(model: type[Model], fields: list[Field[Any, Any]]) -> str:
    columns = ", ".join(quoted(f.column) for f in fields)
    return f"INSERT INTO {table(model)} ({columns})"


def _columns(group: Sequence[Model]) -> list[list[Any]]:
    """One array per column, each value prepared as the ORM's insert would."""
    for obj in group:
        obj._prepare_related_fields_for_save(operation_name="instances_insert")  # type: ignore[attr-defined]
    fields = _fields(type(group[0]))
    return [[_value(f, obj) for obj in group] for f in fields]


@cache
def _ids_sql(models: tuple[type[Model], ...]) -> str:
    # Names from the models, counts bound.
    sequences = [f"'{m._meta.db_table}', '{m._meta.pk.column}'" for m in models]
    parts = [
        f"ARRAY(SELECT nextval(pg_get_serial_sequence({seq})) FROM generate_series(1, %s))"  # noqa: S608
        for seq in sequences
    ]
    return "SELECT " + ", ".join(parts)


def _is_json(field: Field[Any, Any]) -> bool:
    return field.get_internal_type() == "JSONField"


def _value(field: Field[Any, Any], obj: Model) -> Any:
    value = field.pre_save(obj, True)
    if _is_json(field):
        # As text, cast in the statement (an array of jsonb adapters does not bind).
        return None if value is None else json.dumps(value, cls=field.encoder)  # type: ignore[attr-defined]
    return field.get_db_prep_save(value, connection=connection)


def _array_type(field: Field[Any, Any]) -> str:
    return "text[]" if _is_json(field) else f"{field.db_type(connection)}[]"


@cache
def _insert_sql(models: tuple[type[Model], ...]) -> str:
    parts = []
    for n, model in enumerate(models):
        fields = _fields(model)
        arrays = ", ".join(f"%s::{_array_type(f)}" for f in fields)
        names = ", ".join(f"c{i}" for i in range(len(fields)))
        values = ", ".join(f"c{i}::jsonb" if _is_json(f) else f"c{i}" for i, f in enumerate(fields))
        parts.append(
            f"i{n} AS ({_insert_into(model, fields)} "  # noqa: S608 (names from the models)
            f"SELECT {values} FROM unnest({arrays}) AS t({names}))"
        )
    return "WITH " + ", ".join(parts) + " SELECT 1"

"""Plain INSERT, DELETE and SELECT statements for a hot path, still typed by the models' fields.

Saving a check-in is five small statements. Through the ORM, building each
one (``bulk_create``'s batching, ``Model.save``'s signals and field walks,
the query compiler) cost several times what SQLite or PostgreSQL took to run
it, and made the save the slowest thing people do every day. These helpers
write the same SQL the ORM would, with every value prepared by its model
field (``get_db_prep_save``: dates, decimals, JSON, aware datetimes), table
and column names taken from the model's meta, and ``%s`` placeholders that
Django's cursor adapts for each database.

They skip what the ORM adds on top: no signals, no ``auto_now`` (pass those
values yourself), no validation. Use them only where a measurement asked for
it, and keep the ORM everywhere else.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)


# Names are quoted once per model and field: quoting is the same for every
# statement of a process, and a check-in's statement names twenty columns.
@functools.cache
def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def quoted(model: type[Model], name: str | None = None) -> str:
    """The quoted table of ``model``, or the quoted column of its field ``name``: for hand-written SQL."""
    return _table(model) if name is None else _column(model, name)


def prepared(model: type[Model], name: str, value: Any) -> Any:
    """``value`` as a query parameter for the column of field ``name``."""
    return _field(model, name).get_db_prep_value(value, connection)


def saved(model: type[Model], name: str, value: Any) -> Any:
    """``value`` as a parameter written to the column of field ``name`` (as ``Model.save`` prepares it)."""
    return _field(model, name).get_db_prep_save(value, connection)


@functools.cache
def converter(model: type[Model], name: str) -> Callable[[Any], Any]:
    """What the ORM does to a value read from the column of field ``name`` (dates, decimals, JSON); made once."""
    col = _field(model, name).get_col(model._meta.db_table)
    steps = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]

    def convert(value: Any) -> Any:
        for step in steps:
            value = step(value, col, connection)
        return value

    return convert


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if not isinstance(field, Field):  # a reverse relation has no column
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


@functools.cache
def _column(model: type[Model], name: str) -> str:
    return connection.ops.quote_name(str(_field(model, name).column))


@functools.cache
def _select(model: type[Model], equal: tuple[str, ...]) -> tuple[str, list[str], list[Callable[[Any], Any]]]:
    """The SELECT of every column of ``model`` WHERE ``equal``, the fields' attnames, and their converters."""
    fields = model._meta.concrete_fields
    columns = ", ".join(_column(model, f.name) for f in fields)
    where = " AND ".join(f"{_column(model, name)} = %s" for name in equal)
    # Identifiers come from the model's meta, every value is a parameter.
    sql = f"SELECT {columns} FROM {_table(model)} WHERE {where}"  # noqa: S608
    return sql, [f.attname for f in fields], [converter(model, f.name) for f in fields]


def get(model: type[M], **equal: Any) -> M | None:
    """The row whose columns equal ``equal`` (a unique key), as ``Model.objects.get`` returns it; None if none.

    The statement is built once per model and set of columns. The instance is
    made by ``Model.from_db``, as the ORM makes it, so ``post_init`` still runs.
    """
    sql, attnames, converters = _select(model, tuple(equal))
    db = connections[DEFAULT_DB_ALIAS]
    params = [_field(model, name).get_db_prep_value(value, db) for name, value in equal.items()]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchmany(2)
    if not found:
        return None
    if len(found) > 1:
        raise model.MultipleObjectsReturned(  # type: ignore[attr-defined]  # each model makes its own
            f"{model.__name__}: more than one row where {equal}"
        )
    values = [convert(value) for convert, value in zip(converters, found[0], strict=True)]
    return model.from_db(DEFAULT_DB_ALIAS, attnames, values)


def insert(
    model: type[Model], names: Sequence[str], rows: Sequence[Sequence[Any]], *, return_pk: bool = False
) -> list[int]:
    """INSERT ``rows`` (values in the order of ``names``) in one statement; the new key of a single row if asked."""
    if not rows:
        return []
    fields = [_field(model, name) for name in names]
    db = connections[DEFAULT_DB_ALIAS]  # once: each use of the ``connection`` proxy looks it up again
    params = [field.get_db_prep_save(value, db) for row in rows for field, value in zip(fields, row, strict=True)]
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    columns = ", ".join(_column(model, name) for name in names)
    # Identifiers come from the model's meta, every value is a parameter.
    sql = f"INSERT INTO {_table(model)} ({columns}) VALUES {', '.join([one] * len(rows))}"  # noqa: S608
    if return_pk:
        # One row only: SQLite returns several rows' keys in no promised order.
        if len(rows) != 1:
            raise ValueError("return_pk needs exactly one row")
        sql += f" RETURNING {_column(model, str(model._meta.pk.name))}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()] if return_pk else []


def update(model: type[Model], values: dict[str, Any], **equal: Any) -> int:
    """UPDATE ``values`` on the rows whose columns equal ``equal``; how many rows matched."""
    db = connections[DEFAULT_DB_ALIAS]
    sets = ", ".join(f"{_column(model, name)} = %s" for name in values)
    where = " AND ".join(f"{_column(model, name)} = %s" for name in equal)
    params = [_field(model, name).get_db_prep_save(value, db) for name, value in values.items()]
    params += [_field(model, name).get_db_prep_value(value, db) for name, value in equal.items()]
    with connection.cursor() as cursor:
        # Identifiers come from the model's meta, every value is a parameter.
        cursor.execute(f"UPDATE {_table(model)} SET {sets} WHERE {where}", params)  # noqa: S608
        return int(cursor.rowcount)


def delete(model: type[Model], name: str, values: Iterable[Any], **equal: Any) -> None:
    """DELETE the rows whose ``name`` is one of ``values`` (and whose other columns equal ``equal``)."""
    values = list(values)
    if not values:
        return
    field = _field(model, name)
    where = [f"{_column(model, name)} IN ({', '.join(['%s'] * len(values))})"]
    params = [field.get_db_prep_value(v, connection) for v in values]
    for other, value in equal.items():
        where.append(f"{_column(model, other)} = %s")
        params.append(_field(model, other).get_db_prep_value(value, connection))
    with connection.cursor() as cursor:
        # Identifiers come from the model's meta, every value is a parameter.
        cursor.execute(f"DELETE FROM {_table(model)} WHERE {' AND '.join(where)}", params)  # noqa: S608

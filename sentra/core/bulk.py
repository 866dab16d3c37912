"""Insert many rows of plain values without building a model instance per row.

`bulk_create` spends most of its time preparing each value of each instance (an import of 100,000
SMEs called a field method 1.5 million times). Bulk writers that already hold clean values (the
spreadsheet import) use `insert_rows` instead: values are prepared only for the few column types the
database driver cannot take as they are (dates, decimals, JSON, UUIDs), defaults and auto_now columns
are filled as Django would fill them, and rows go in as multi-row INSERTs (or one prepared statement
run many times, where no ids are needed back).

Like `bulk_create`, it sends no signals and calls no `save()`: callers pass every value `save()`
would have set (a regency, a name key…).
"""

import sqlite3
from collections.abc import Callable, Iterable
from contextlib import closing
from functools import partial
from itertools import islice
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

# Column types whose Python values the database drivers take unchanged.
_AS_IS = frozenset({
    "AutoField", "BigAutoField", "SmallAutoField", "BooleanField", "CharField", "EmailField", "SlugField",
    "TextField", "URLField", "IntegerField", "BigIntegerField", "SmallIntegerField",
    "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField",
    "ForeignKey", "OneToOneField",
})  # fmt: skip
_MAX_ROWS_PER_STATEMENT = 200


class _Column:
    """How one column gets its value: from the row (prepared if its type needs it) or a default."""

    __slots__ = ("attname", "default", "prepare")

    def __init__(self, field: models.Field, connection, now) -> None:
        self.attname = field.attname
        prepare = None
        if field.get_internal_type() not in _AS_IS:
            prepare = partial(_prepare, field, connection)
        self.prepare = prepare
        # `default` gives a value ready for the database: fixed ones are prepared once, not per row.
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            fixed = prepare(now) if prepare else now
            self.default: Callable[[], Any] = lambda: fixed
        elif field.has_default() and callable(field.default):
            self.default = (lambda: prepare(field.get_default())) if prepare else field.get_default
        else:
            fixed = field.get_default()
            fixed = prepare(fixed) if prepare else fixed
            self.default = lambda: fixed


def _prepare(field: models.Field, connection, value: Any) -> Any:
    return None if value is None else field.get_db_prep_save(value, connection)


def insert_rows(
    model: type[models.Model], rows: Iterable[dict[str, Any]], *, returning: bool = False
) -> list[int]:
    """Insert `rows` (dicts keyed by column attname: "name", "owner_id") into `model`'s table.

    Columns a row leaves out get the field's default. Returns the new primary keys in row order when
    `returning` is true, else an empty list. Runs in the caller's transaction.
    """
    rows = list(rows)
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    now = timezone.now()
    pk = model._meta.pk
    columns = [
        _Column(f, connection, now)
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField))
    ]
    # Built as they are sent, not all at once: a batch of wide rows is memory that lingers.
    values = (_row_values(row, columns) for row in rows)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c.attname) for c in columns)
    # The driver's own placeholder: Django's cursor would rewrite "%s" in every (long) statement.
    mark = "?" if connection.vendor == "sqlite" else "%s"
    one = "(" + ", ".join([mark] * len(columns)) + ")"
    connection.ensure_connection()
    # Bypassing Django's cursor, keep its exceptions: callers catch django.db.IntegrityError.
    with connection.wrap_database_errors, closing(connection.connection.cursor()) as cursor:
        if connection.vendor == "postgresql":
            return _copy(cursor, model, columns, values, len(rows), returning=returning, quote=quote)
        if not returning and connection.vendor == "sqlite":
            # One prepared statement stepped once per row: SQLite's fastest way in.
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES {one}", values)  # noqa: S608
            return []
        per_statement = max(1, min(_MAX_ROWS_PER_STATEMENT, _max_params(connection) // len(columns)))
        suffix = f" RETURNING {quote(pk.column)}" if returning else ""
        ids: list[int] = []
        while chunk := list(islice(values, per_statement)):
            sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(chunk))}{suffix}"  # noqa: S608
            cursor.execute(sql, [v for row in chunk for v in row])
            if returning:
                ids.extend(r[0] for r in cursor.fetchall())
        return ids


def _copy(cursor, model, columns, values, count: int, *, returning: bool, quote) -> list[int]:
    """PostgreSQL's COPY, several times faster than INSERT for many rows.

    COPY returns nothing, so when ids are wanted they are drawn from the table's own sequence first
    (as INSERT would draw them) and written with the rows.
    """
    table = quote(model._meta.db_table)
    names = [quote(c.attname) for c in columns]
    ids: list[int] = []
    if returning:
        pk = model._meta.pk.column
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk, count],
        )
        ids = [r[0] for r in cursor.fetchall()]
        names.insert(0, quote(pk))
        values = ((i, *row) for i, row in zip(ids, values, strict=True))
    with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
        for row in values:
            copy.write_row(row)
    return ids


def _row_values(row: dict[str, Any], columns: list[_Column]) -> tuple:
    out = []
    append = out.append
    for c in columns:
        if c.attname in row:
            value = row[c.attname]
            append(value if c.prepare is None else c.prepare(value))
        else:
            append(c.default())
    return tuple(out)


def _max_params(connection) -> int:
    """How many parameters one statement may carry on this database."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        # Django assumes SQLite's old compile-time default of 999; the library in use says its own.
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 65_535


def values_by_pk(model: type[models.Model], pks: Iterable, field: str, *, using: str = "default") -> dict:
    """{pk: value of `field`} of the rows of `model` whose keys are in `pks`, in one query.

    For a list's worth of keys (a search's thousand matches): on PostgreSQL the keys go as one array
    parameter, where `pk__in` sends a parameter per key, which costs more to build, send and plan than
    the rows cost to read (9.6 against 3.8 ms for 853 products).
    """
    pks = list(pks)
    connection = connections[using]
    if connection.vendor != "postgresql":
        return dict(model._default_manager.using(using).filter(pk__in=pks).values_list("pk", field))
    meta, quote = model._meta, connection.ops.quote_name
    column = meta.get_field(field).column
    sql = f"SELECT {quote(meta.pk.column)}, {quote(column)} FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = ANY(%s)"
    with connection.cursor() as cursor:
        cursor.execute(sql, [pks])
        return dict(cursor.fetchall())

"""Many-row INSERT and UPDATE: ``executemany`` on SQLite, many rows per statement elsewhere.

What ``bulk_create``/``bulk_update`` do, without building a model instance and preparing
every field of every row: 50,000 targets plus their 50,000 audit records go in about ten
times faster (bench/bench_import.py). Values still pass through each field's own
``get_db_prep_save`` where the database needs a conversion (decimals, dates, datetimes),
so what is stored is what the ORM would store. Works on SQLite and PostgreSQL.

Kept because a bureau-sized import needs it: ``bench/bench_bulk.py`` (the import's commit,
10 indicators, SQLite, medians) measured the ORM 1.8–3.6 × slower at 50 units, 3.0–4.0 × at
500 and 4.3–4.8 × at 5,000 units, where its first import took 37 s at best against 4.7 s
(see BENCHMARKS.md, "Target import: executemany or the ORM").
"""

from decimal import Decimal
from itertools import islice

from django.db import connection, models

CHUNK = 5000
_CONVERTED = (models.DecimalField, models.DateField, models.DateTimeField, models.JSONField)


def _columns(model, names):
    fields = [model._meta.get_field(n) for n in names]
    prep = [_preparer(f) if isinstance(f, _CONVERTED) else None for f in fields]
    return fields, prep


def _preparer(field):
    """What the field's ``get_db_prep_save`` does to a value, as a function. A Decimal goes
    straight to the backend's adapter (it is a Decimal already: ``to_python`` would only
    copy it); dates and datetimes, mostly one ``now`` for every row, are prepared once each."""
    if isinstance(field, models.DecimalField):
        adapt = connection.ops.adapt_decimalfield_value
        digits, places = field.max_digits, field.decimal_places

        def decimal(value):
            if type(value) is not Decimal:
                return field.get_db_prep_save(value, connection)
            return adapt(value, digits, places)

        return decimal
    if isinstance(field, models.DateField):  # and DateTimeField
        memo: dict = {}

        def moment(value):
            prepared = memo.get(value, memo)
            if prepared is memo:
                prepared = memo[value] = field.get_db_prep_save(value, connection)
            return prepared

        return moment
    return lambda value: field.get_db_prep_save(value, connection)


def _prepared(fields, prep, row):
    return tuple(
        p(v) if p is not None and v is not None else v for p, v in zip(prep, row, strict=True)
    )


def _chunks(rows, size: int = CHUNK):
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def _one_statement_per_row() -> bool:
    """SQLite runs in the process: ``executemany`` of one statement is its fastest way.
    psycopg2's ``executemany`` is a loop of round trips (50,000 of them for 50,000 rows), so
    elsewhere a statement carries many rows (``_MANY_PARAMS`` parameters at most)."""
    return connection.vendor == "sqlite"


_MANY_PARAMS = 30_000  # under PostgreSQL's 65,535 parameters per statement
_MANY_ROWS = 2000


def _per_statement(width: int) -> int:
    return max(1, min(_MANY_ROWS, _MANY_PARAMS // max(1, width)))


def _flat(rows):
    return [value for row in rows for value in row]


def insert_rows(model, names: list[str], rows) -> int:
    """INSERT rows (tuples in the order of ``names``; foreign keys as ids). Returns the count."""
    qn = connection.ops.quote_name
    fields, prep = _columns(model, names)
    columns = ", ".join(qn(f.column) for f in fields)
    head = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES "
    one = f"({', '.join(['%s'] * len(fields))})"
    count = 0
    with connection.cursor() as cursor:
        if _one_statement_per_row():
            for chunk in _chunks(rows):
                cursor.executemany(head + one, [_prepared(fields, prep, r) for r in chunk])
                count += len(chunk)
            return count
        for chunk in _chunks(rows, _per_statement(len(fields))):
            values = _flat(_prepared(fields, prep, r) for r in chunk)
            cursor.execute(head + ", ".join([one] * len(chunk)), values)
            count += len(chunk)
    return count


def update_rows(model, names: list[str], rows) -> int:
    """UPDATE by primary key: rows are (pk, *values in the order of ``names``)."""
    qn = connection.ops.quote_name
    fields, prep = _columns(model, names)
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    count = 0
    with connection.cursor() as cursor:
        if _one_statement_per_row():
            sets = ", ".join(f"{qn(f.column)} = %s" for f in fields)
            sql = f"UPDATE {table} SET {sets} WHERE {pk} = %s"
            for chunk in _chunks(rows):
                cursor.executemany(sql, [(*_prepared(fields, prep, r[1:]), r[0]) for r in chunk])
                count += len(chunk)
            return count
        # UPDATE … FROM (VALUES …): every placeholder cast to its column's type, so a NULL
        # or a number is read as the column reads it.
        typed = [model._meta.pk, *fields]
        one = "(" + ", ".join(f"%s::{f.db_type(connection)}" for f in typed) + ")"
        names_v = ", ".join(qn(f"v_{f.column}") for f in typed)
        sets = ", ".join(f"{qn(f.column)} = v.{qn(f'v_{f.column}')}" for f in fields)
        for chunk in _chunks(rows, _per_statement(len(typed))):
            values = _flat((r[0], *_prepared(fields, prep, r[1:])) for r in chunk)
            sql = (
                f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([one] * len(chunk))}) "
                f"AS v ({names_v}) WHERE {table}.{pk} = v.{qn(f'v_{model._meta.pk.column}')}"
            )
            cursor.execute(sql, values)
            count += len(chunk)
    return count

"""Queries whose SQL is compiled once per process and shape, then run with each request's
values: what Django spends building a query of several filtered sums (resolving its
expressions, joins and lookups; a few milliseconds for the period's figures) is spent
once, not on every page.

``rows(name, build, **values)`` is ``list(build(**values))`` for a ``values()`` query:
the same SQL, the same parameters and the same rows (converted by Django's own
converters); ``statement`` gives the SQL and parameters alone, for a query run inside
another. The first call of a shape (``name``, the database, and which values are
lists of how many) builds the query with stand-in values, finds them among the
compiled parameters and keeps the SQL; later calls put their values in the stand-ins'
places. Only what the code makes is kept, never a value from the database.

The values are whole numbers, lists of whole numbers and dates. A query whose stand-ins
are not all found among its parameters (a value changed on its way to the SQL), or that
is empty whatever its values, is not kept: it is built and run as usual every time.
"""

import datetime
import itertools
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import DEFAULT_DB_ALIAS, connections

# Stand-ins: small whole numbers (Django refuses a value out of an integer column's range
# as matching nothing) and early dates, two sets: a parameter that is one set's stand-in
# in the first build and the other's in the second is that value's place.
_WHOLE = (20_001, 20_002)
_DAY = (datetime.date(1001, 1, 1), datetime.date(1501, 1, 1))
_UNKEPT = object()  # a shape whose query is built every time

_kept: dict = {}


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple  # as compiled: constants, and the stand-ins' places
    places: tuple  # per parameter: (value name, list index or None, date?) or None
    names: tuple  # the columns' names, as values() gives them
    converters: dict  # column position → (converters, expression), Django's own


def rows(name: str, build, **values) -> list[dict]:
    """``list(build(**values))``, ``build`` returning a ``values()`` queryset whose SQL is
    kept per process for the shape of ``values`` (see the module)."""
    connection, compiled = _kept_for(name, build, values)
    if compiled is _UNKEPT:
        return list(build(**values))
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, _params(compiled, values, connection))
        fetched = cursor.fetchall()
    result = []
    for row in fetched:
        row = list(row)
        for position, (converters, expression) in compiled.converters.items():
            value = row[position]
            for converter in converters:
                value = converter(value, expression, connection)
            row[position] = value
        result.append(dict(zip(compiled.names, row, strict=True)))
    return result


def statement(name: str, build, **values) -> tuple[str, list]:
    """The SQL and parameters of ``build(**values)`` (``query.sql_with_params()``), kept per
    process and shape as ``rows`` keeps them: for a query that is run inside another."""
    connection, compiled = _kept_for(name, build, values)
    if compiled is _UNKEPT:
        return build(**values).query.sql_with_params()
    return compiled.sql, _params(compiled, values, connection)


def _kept_for(name, build, values):
    connection = connections[DEFAULT_DB_ALIAS]
    shape = tuple(
        (key, len(value) if isinstance(value, list | tuple) else None)
        for key, value in sorted(values.items())
    )
    key = (name, connection.alias, connection.vendor, shape)
    compiled = _kept.get(key)
    if compiled is None:
        compiled = _kept[key] = _compile(build, values, connection)
    return connection, compiled


def _params(compiled, values, connection) -> list:
    params = []
    for param, place in zip(compiled.params, compiled.places, strict=True):
        if place is None:
            params.append(param)
            continue
        value_name, index, adapted = place
        value = values[value_name] if index is None else values[value_name][index]
        params.append(connection.ops.adapt_datefield_value(value) if adapted else value)
    return params


def _compile(build, values, connection):
    """The query of ``build`` compiled with stand-ins for ``values``; ``_UNKEPT`` when the
    two sets of stand-ins do not give the same SQL with each value's places found."""
    builds, stand_ins = [], []
    for one in (0, 1):
        counter = itertools.count()
        mine = {}

        def stand_in(value, counter=counter, one=one):
            if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                return _DAY[one] + datetime.timedelta(days=next(counter))
            if isinstance(value, int) and not isinstance(value, bool):
                return _WHOLE[one] + 2 * next(counter)
            raise TypeError(f"compiled.rows takes whole numbers and dates, not {value!r}")

        for value_name, value in values.items():
            if isinstance(value, list | tuple):
                for index, item in enumerate(value):
                    mine[value_name, index] = stand_in(item)
            else:
                mine[value_name, None] = stand_in(value)
        arguments = {
            value_name: (
                [mine[value_name, i] for i in range(len(value))]
                if isinstance(value, list | tuple)
                else mine[value_name, None]
            )
            for value_name, value in values.items()
        }
        queryset = build(**arguments)
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except (EmptyResultSet, FullResultSet):
            return _UNKEPT
        builds.append((queryset, compiler, sql, list(params)))
        stand_ins.append(mine)
    (queryset, compiler, sql, params), (_, _, other_sql, other_params) = builds
    if sql != other_sql or len(params) != len(other_params):
        return _UNKEPT
    by_pair = {}
    for place, first in stand_ins[0].items():
        second = stand_ins[1][place]
        adapted = isinstance(first, datetime.date)
        if adapted:
            first, second = (connection.ops.adapt_datefield_value(d) for d in (first, second))
        by_pair[_hashable(first), _hashable(second)] = (*place, adapted)
    places = []
    for first, second in zip(params, other_params, strict=True):
        if first == second:
            places.append(None)  # a constant of the query
        elif (_hashable(first), _hashable(second)) in by_pair:
            places.append(by_pair[_hashable(first), _hashable(second)])
        else:
            return _UNKEPT
    if {place[:2] for place in places if place} != set(stand_ins[0]):
        return _UNKEPT
    query = queryset.query
    fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
    return _Compiled(
        sql=sql,
        params=tuple(params),
        places=tuple(places),
        names=(*query.extra_select, *query.values_select, *query.annotation_select),
        converters=compiler.get_converters(fields),
    )


def _hashable(param):
    return param if isinstance(param, int | str | datetime.date) else repr(param)

"""Querysets compiled to SQL once per process, for the few that every request runs.

Building and compiling a queryset costs more Python than the query itself costs the database
(about 0.3 ms for a user by id, 0.4 ms for the memberships with their firms). A CompiledQuery
compiles its queryset once per database, then runs the same SQL with the new parameter and builds
the same model instances the queryset would, select_related objects included. CompiledRows does
the same for a queryset of values read as rows, whose integer parameters may each appear in
several places.
"""

from collections.abc import Callable
from typing import NamedTuple

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

# A parameter value no real query carries; the one place the caller's value goes.
SENTINEL = -7_319_204_553


class _Compiled(NamedTuple):
    """A queryset's SQL and what turns its rows into the queryset's instances."""

    compiler: object
    sql: str
    params: tuple
    spot: int  # where the caller's value goes among params
    columns: slice  # the model's own columns in a row
    fields: list[str]
    converters: dict
    populators: list


def _sql_of(queryset: QuerySet, alias: str, sentinels: dict[str, int]) -> tuple:
    """Return the queryset's compiler, SQL and parameters, and where each sentinel sits in them."""
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    spots = {
        name: [n for n, value in enumerate(params) if value == sentinel]
        for name, sentinel in sentinels.items()
    }
    return compiler, sql, tuple(params), spots


def _rows(alias: str, compiler, sql: str, params, converters) -> list:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return list(compiler.apply_converters(rows, converters)) if converters else rows


class CompiledQuery:
    """A queryset of one parameter, compiled once per database and run with a new value."""

    def __init__(self, build: Callable[[object], QuerySet]) -> None:
        self.build = build
        self.model = None
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, alias: str) -> _Compiled:
        compiler, sql, params, spots = _sql_of(self.build(SENTINEL), alias, {"value": SENTINEL})
        if len(spots["value"]) != 1:
            raise ValueError("A compiled query takes its parameter exactly once.")
        klass_info, select = compiler.klass_info, compiler.select
        columns = slice(klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1)
        return _Compiled(
            compiler, sql, params, spots["value"][0], columns,
            fields=[column[0].target.attname for column in select[columns]],
            converters=compiler.get_converters([c[0] for c in select[: compiler.col_count]]),
            populators=get_related_populators(klass_info, select, alias),
        )  # fmt: skip

    def __call__(self, value) -> list:
        """Return the instances the queryset built with this value would give, in its order."""
        if self.model is None:
            self.model = self.build(SENTINEL).model
        alias = router.db_for_read(self.model)
        if alias not in self._compiled:
            self._compiled[alias] = self._compile(alias)
        query = self._compiled[alias]
        params = (*query.params[: query.spot], value, *query.params[query.spot + 1 :])
        rows = _rows(alias, query.compiler, query.sql, params, query.converters)
        objects = []
        for row in rows:
            obj = self.model.from_db(alias, query.fields, row[query.columns])
            for populator in query.populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects


class CompiledRows:
    """A values_list queryset of named integer parameters, compiled once per database and names.

    build takes the parameters as keyword arguments; one it may go without is left out of the
    call, and each set of names given is compiled once. A parameter may sit in several places.
    """

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self.build = build
        self.model = None
        self._compiled: dict[tuple, tuple] = {}

    def _compile(self, alias: str, sentinels: dict[str, int]) -> tuple:
        compiler, sql, params, spots = _sql_of(self.build(**sentinels), alias, sentinels)
        if not all(spots.values()):
            raise ValueError("A compiled query takes each of its parameters.")
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        return compiler, sql, params, spots, compiler.get_converters(columns)

    def __call__(self, **values: int) -> list[tuple]:
        """Return the rows the queryset built with these values would give, in its order."""
        names = tuple(sorted(values))
        sentinels = {name: SENTINEL - n for n, name in enumerate(names)}
        if self.model is None:
            self.model = self.build(**sentinels).model
        alias = router.db_for_read(self.model)
        if (alias, names) not in self._compiled:
            self._compiled[alias, names] = self._compile(alias, sentinels)
        compiler, sql, params, spots, converters = self._compiled[alias, names]
        params = list(params)
        for name, places in spots.items():
            for place in places:
                params[place] = values[name]
        return _rows(alias, compiler, sql, params, converters)

"""Match a column against thousands of ids: one array parameter on PostgreSQL, not one each."""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Lookup

from vault.lookups import AnyOf


class AmongIds(Lookup):
    """`column IN (%s, …)` as Django's `__in` writes it, without preparing each id in Python."""

    lookup_name = "among_ids"
    prepare_rhs = False

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        lhs, params = self.process_lhs(compiler, connection)
        ids = list(dict.fromkeys(int(i) for i in self.rhs))
        if not ids:
            raise EmptyResultSet  # as `__in=[]`: no firm, no query
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*params, *ids]


def id_in(field: str, ids: list[int]) -> AnyOf | AmongIds:
    """Return a filter on field among ids, bound once on PostgreSQL and as a list elsewhere."""
    if connection.vendor == "postgresql":
        return AnyOf(F(field), [int(i) for i in ids])
    return AmongIds(F(field), list(ids))


def among_sql(column: str, ids: list[int]) -> tuple[str, dict]:
    """The same for hand-written SQL: the condition and its named parameters.

    On PostgreSQL the array goes as its text, which costs less to make than an array parameter.
    """
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%(ids)s::bigint[])", {
            "ids": f"{{{','.join(map(str, map(int, ids)))}}}"
        }
    params = {f"id_{n}": int(firm_id) for n, firm_id in enumerate(ids)}
    return f"{column} IN ({', '.join(f'%({name})s' for name in params)})", params

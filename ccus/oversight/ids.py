"""Match a column against thousands of ids: one array parameter on PostgreSQL, not one each."""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Lookup


class AnyOf(Lookup):
    """`column = ANY(%s)` with the ids bound as one array."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, [int(i) for i in self.rhs]]


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
    lookup = AnyOf if connection.vendor == "postgresql" else AmongIds
    return lookup(F(field), list(ids))

"""Match a column against thousands of ids: one array parameter on PostgreSQL, not one each."""

from django.db import connection
from django.db.models import F, Lookup, Q


class AnyOf(Lookup):
    """`column = ANY(%s)` with the ids bound as one array."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, [int(i) for i in self.rhs]]


def id_in(field: str, ids: list[int]) -> Q | AnyOf:
    """Return a filter on field among ids, bound once on PostgreSQL and as a list elsewhere."""
    if connection.vendor == "postgresql":
        return AnyOf(F(field), list(ids))
    return Q(**{f"{field}__in": ids})

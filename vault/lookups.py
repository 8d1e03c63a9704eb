"""A column matched against a long list of values, bound as one parameter however many they are."""

import json

from django.db.models import Lookup


class AnyOf(Lookup):
    """PostgreSQL: `column = ANY(array)`; SQLite: `column IN` the list read from JSON.

    Both spare building and parsing an IN-list with a placeholder per value.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]

    def as_sqlite(self, compiler, connection) -> tuple[str, list]:
        lhs, params = self.process_lhs(compiler, connection)
        sql = f"{lhs} IN (SELECT value FROM json_each(%s))"  # noqa: S608 (a column, quoted)
        return sql, [*params, json.dumps(list(self.rhs))]

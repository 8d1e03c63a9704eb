"""Blind-index values for CCUS IDs and registered emails, and exact lookups through them."""

import json
from collections.abc import Iterable

from django.db.models import F, Lookup, Q, QuerySet

from ccus.accounts.addresses import email_index_value
from ccus.accounts.validators import normalize_ccus_id
from vault.crypto.blind_index import blind_index, blind_indexes, every_index, switching
from vault.firms.models import Organization

# One purpose for both kinds of ID, so the same digits saved as a business and a worker ID match.
ID_PURPOSE = "ccus-id"
EMAIL_PURPOSE = "registered-email"


def ccus_id_index(organization: Organization, ccus_id: str) -> str:
    """Return the blind index of a normalised 14-digit ID under the newest key."""
    return blind_index(organization.uuid, ID_PURPOSE, ccus_id)


def ccus_id_indexes(organization: Organization, ccus_id: str) -> tuple[str, str]:
    """Return what an account stores for its ID: (ccus_id_index, ccus_id_index_new)."""
    return blind_indexes(organization.uuid, ID_PURPOSE, ccus_id)


def email_indexes(organization: Organization, email: str) -> tuple[str, str]:
    """Return what an account stores for its registered email: (email_index, email_index_new)."""
    return blind_indexes(organization.uuid, EMAIL_PURPOSE, email_index_value(email))


def index_fields(
    organization: Organization, *, ccus_id: str | None, email: str | None
) -> dict[str, str | None]:
    """Return the blind-index columns of an account with this ID and registered email."""
    ids = ccus_id_indexes(organization, ccus_id) if ccus_id else (None, None)
    emails = email_indexes(organization, email) if email else (None, None)
    return {"ccus_id_index": ids[0], "ccus_id_index_new": ids[1],
            "email_index": emails[0], "email_index_new": emails[1]}  # fmt: skip


def index_in(name: str, values: Iterable[str]) -> Q:
    """Match accounts holding one of these values in either column of index name.

    Both, always: while processes restart from one key setting to the next, an account written
    by the other kind holds the value the reader knows in the column it does not expect.
    """
    values = {value for value in values if value}
    return Q(**{f"{name}__in": values}) | Q(**{f"{name}_new__in": values})


def grouping_column(name: str) -> str:
    """Return the column of index name that every account holds under one same key.

    While the key is changed that is the oldest key's (the newest one is still being written);
    afterwards the newest key's (the oldest column may still hold the old key's until dropped).
    """
    return name if switching() else f"{name}_new"


def id_match(organization: Organization, ccus_id: str) -> Q:
    """Match the accounts of organization whose ID is ccus_id (normalised), under any key."""
    values = every_index(organization.uuid, ID_PURPOSE, ccus_id)
    return Q(organization=organization) & index_in("ccus_id_index", values)


def filter_by_ccus_id(queryset: QuerySet, organization: Organization, raw_id: str) -> QuerySet:
    """Narrow queryset to the accounts of organization whose ID equals raw_id."""
    return queryset.filter(id_match(organization, normalize_ccus_id(raw_id)))


class _AnyOf(Lookup):
    """The column holds one of a list of values, passed as one parameter however many they are.

    PostgreSQL: = ANY(array); SQLite: IN the list read from JSON. Both spare building and
    parsing an IN-list of a placeholder per value.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]

    def as_sqlite(self, compiler, connection) -> tuple[str, list]:
        lhs, params = self.process_lhs(compiler, connection)
        sql = f"{lhs} IN (SELECT value FROM json_each(%s))"  # noqa: S608 (a column, quoted)
        return sql, [*params, json.dumps(self.rhs)]


def _index_any(name: str, values: list[str]) -> Q:
    """Match as index_in does, with one parameter per column instead of one per value."""
    return Q(_AnyOf(F(name), values)) | Q(_AnyOf(F(f"{name}_new"), values))


def id_indexes_by_id(organization: Organization, ccus_ids: Iterable[str]) -> dict[str, list[str]]:
    """Return {normalised ID: its index under every listed key, newest first}."""
    return {
        ccus_id: every_index(organization.uuid, ID_PURPOSE, ccus_id) for ccus_id in set(ccus_ids)
    }


def stored_id_indexes(every: list[str]) -> tuple[str, str]:
    """Return (ccus_id_index, ccus_id_index_new) of an ID from its indexes under every key."""
    return every[-1], every[0]  # as ccus_id_indexes: under the oldest and the newest key


def accounts_by_id(
    queryset: QuerySet,
    organization: Organization,
    ccus_ids: Iterable[str],
    indexes: dict[str, list[str]] | None = None,
) -> dict[str, int]:
    """Return {normalised ID: account id} for the accounts of organization with those IDs.

    indexes may carry id_indexes_by_id() of those IDs, computed once for the caller's use too.
    """
    if indexes is None:
        indexes = id_indexes_by_id(organization, ccus_ids)
    owner = {value: ccus_id for ccus_id, values in indexes.items() for value in values}
    rows = queryset.filter(Q(organization=organization) & _index_any("ccus_id_index", list(owner)))
    found = {}
    for pk, oldest, newest in rows.values_list("id", "ccus_id_index", "ccus_id_index_new"):
        found[owner.get(newest) or owner[oldest]] = pk
    return found

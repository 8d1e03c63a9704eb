"""Blind-index values for CCUS IDs and registered emails, and exact lookups through them."""

from collections.abc import Iterable

from django.db.models import F, Q, QuerySet

from ccus.accounts.addresses import email_index_value
from ccus.accounts.validators import normalize_ccus_id
from vault.crypto.blind_index import blind_index, blind_indexes, every_index, switching
from vault.firms.models import Organization
from vault.lookups import AnyOf

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


def _index_any(name: str, values: list[str]) -> Q:
    """Match as index_in does, with one parameter per column instead of one per value."""
    return Q(AnyOf(F(name), values)) | Q(AnyOf(F(f"{name}_new"), values))


def id_indexes_by_id(organization: Organization, ccus_ids: Iterable[str]) -> dict[str, list[str]]:
    """Return {normalised ID: its index under every listed key, newest first}."""
    return {
        ccus_id: every_index(organization.uuid, ID_PURPOSE, ccus_id) for ccus_id in set(ccus_ids)
    }


def stored_id_indexes(every: list[str]) -> tuple[str, str]:
    """Return (ccus_id_index, ccus_id_index_new) of an ID from its indexes under every key."""
    return every[-1], every[0]  # as ccus_id_indexes: under the oldest and the newest key


def accounts_by_id(
    queryset: QuerySet, organization: Organization, ccus_ids: Iterable[str]
) -> dict[str, int]:
    """Return {normalised ID: account id} for the accounts of organization with those IDs."""
    return accounts_by_indexes(queryset, organization, id_indexes_by_id(organization, ccus_ids))


def accounts_by_indexes(
    queryset: QuerySet, organization: Organization, indexes: dict[str, list[str]]
) -> dict[str, int]:
    """Return accounts_by_id of the IDs whose indexes the caller already has (id_indexes_by_id)."""
    owner = {value: ccus_id for ccus_id, values in indexes.items() for value in values}
    rows = queryset.filter(Q(organization=organization) & _index_any("ccus_id_index", list(owner)))
    found = {}
    for pk, oldest, newest in rows.values_list("id", "ccus_id_index", "ccus_id_index_new"):
        found[owner.get(newest) or owner[oldest]] = pk
    return found

"""Write a roster's new accounts in one pass: indexes and sealing per row, COPY on PostgreSQL."""

import datetime
import re
import uuid

from django.db import connection, models

from ccus.accounts.lookup import ccus_id_indexes, email_indexes
from ccus.accounts.services import hint_looks_like_code
from ccus.accounts.text import search_key
from ccus.rosters.rows import RowResult
from vault.crypto.envelope import binding, seal_with_key
from vault.crypto.fields import EncryptedMixin
from vault.crypto.firm_keys import current_key_entry
from vault.firms.models import Organization

_SPACES = re.compile(r"\s+")
_AS_TEXT = {"UUIDField", "DateField", "DateTimeField"}


def _columns(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _derived(organization: Organization, values: dict, id_indexes: tuple | None) -> dict:
    """Return the plain columns kept in step with a new account's values (see refresh_derived).

    id_indexes: the ID and its blind indexes as the row was checked (computed once per ID).
    """
    ccus_id, email = values.get("ccus_id"), values.get("registered_email")
    hint = values.get("security_code_hint")
    # The reading is normalised already (normalize_kana settles): only spaces and case remain.
    kana = _SPACES.sub("", values.get("name_kana", "")).lower()
    derived = {"search_text": f"{search_key(values['name'])}|{kana}"}
    if ccus_id:
        if id_indexes and id_indexes[0] == ccus_id:
            derived["ccus_id_index"], derived["ccus_id_index_new"] = id_indexes[1:]
        else:
            indexes = ccus_id_indexes(organization, ccus_id)
            derived["ccus_id_index"], derived["ccus_id_index_new"] = indexes
        derived["ccus_id_last4"] = ccus_id[-4:]
    if email:
        derived["email_index"], derived["email_index_new"] = email_indexes(organization, email)
    if hint:
        derived["hint_is_code"] = hint_looks_like_code(hint, values.get("security_code"))
    return derived


def new_account_rows(
    organization: Organization, results: list[RowResult], actor, model: type[models.Model],
    now: datetime.datetime,
) -> tuple[list[models.Field], list[list]]:  # fmt: skip
    """Return the columns and, per new row, the values as stored: sealed, indexed, confirmed."""
    fields = _columns(model)
    sealed = {f.attname: f.place for f in fields if isinstance(f, EncryptedMixin)}
    defaults = {f.attname: f.get_default() for f in fields}
    defaults.update(
        organization_id=organization.id, created_at=now, updated_at=now, last_confirmed_at=now,
        last_confirmed_by_id=getattr(actor, "pk", None),
    )  # fmt: skip
    # Asked once per chunk: a firm key rotation reaches a long import at its next chunk.
    version, aead, _until, _hold = current_key_entry(organization.uuid)
    organization_uuid = organization.uuid
    position = {f.attname: i for i, f in enumerate(fields)}
    template = [defaults[f.attname] for f in fields]
    uuid_at = position["uuid"]
    rows = []
    for result in results:
        values = {name: value for name, value in result.values.items() if value not in (None, "")}
        record_uuid = uuid.uuid4()
        row = template.copy()
        for name, value in _derived(organization, values, result.id_indexes).items():
            row[position[name]] = value
        row[uuid_at] = record_uuid
        bound = binding(record_uuid, organization_uuid)
        for name, value in values.items():
            at = position.get(name)
            if at is None:  # not a column of this model
                continue
            place = sealed.get(name)
            row[at] = value if place is None else seal_with_key(place, bound, version, aead, value)
        rows.append(row)
    return fields, rows


def write_new_accounts(
    organization: Organization, results: list[RowResult], actor, model: type[models.Model],
    now: datetime.datetime,
) -> int:  # fmt: skip
    """Insert the new accounts of a chunk (COPY on PostgreSQL); return how many."""
    if not results:
        return 0
    fields, rows = new_account_rows(organization, results, actor, model, now)
    insert_rows(model, fields, rows)
    return len(rows)


def insert_rows(model: type[models.Model], fields: list[models.Field], rows: list[list]) -> None:
    """Write rows as new_account_rows returns them: COPY on PostgreSQL, else a prepared INSERT.

    On SQLite the values it stores as text are converted in the rows themselves.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with (
            connection.wrap_database_errors,
            connection.cursor() as cursor,
            cursor.cursor.copy(sql) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    # One prepared INSERT for every row; the types SQLite stores as text are converted first,
    # each distinct value once: most are the chunk's one timestamp, or empty.
    for i in [i for i, f in enumerate(fields) if f.get_internal_type() in _AS_TEXT]:
        prepare, converted = fields[i].get_db_prep_save, {}
        for row in rows:
            value = row[i]
            if value not in converted:
                converted[value] = prepare(value, connection)
            row[i] = converted[value]
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)

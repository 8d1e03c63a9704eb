"""Rewrite stored values in place, in batches of locked rows: compare-and-set, then verify."""

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator

from django.apps import apps
from django.db import connections, models, router, transaction

from vault.crypto.envelope import open_sealed, place_of, seal
from vault.crypto.fields import encrypted_fields
from vault.crypto.keyring import UndecryptableValue

log = logging.getLogger(__name__)


def owner_path(model: type[models.Model]) -> str:
    """Return the ORM path from a record to its firm (historical models ask the live one)."""
    live = apps.get_model(model._meta.label)
    return getattr(live, "encryption_owner", "organization").replace(".", "__")


def encrypted_models() -> list[type[models.Model]]:
    """Return every installed model that has encrypted fields."""
    return [model for model in apps.get_models() if encrypted_fields(model)]


def firm_records(model, alias: str, organization_uuid):
    """Return the model's records of one firm (of every firm if None)."""
    rows = model._base_manager.using(alias)
    if organization_uuid is None:
        return rows
    return rows.filter(**{f"{owner_path(model)}__uuid": organization_uuid})


def rows_of(
    model, alias: str, batch_size: int, organization_uuid=None, columns=None
) -> Iterator[list[tuple]]:
    """Yield (pk, uuid, firm uuid, *tokens) of the model's rows (or pk and the given columns),
    keyset-paginated."""
    if columns is None:
        tokens = [field.attname for field in encrypted_fields(model)]
        columns = ["uuid", f"{owner_path(model)}__uuid", *tokens]
    rows = firm_records(model, alias, organization_uuid).order_by("pk")
    last = None
    while True:
        page = rows if last is None else rows.filter(pk__gt=last)
        batch = list(page.values_list("pk", *columns)[:batch_size])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def _locked_rows(model, alias: str, pks: list, lock: bool) -> list[tuple]:
    """Return (pk, uuid, firm uuid, *tokens) of the rows, locked unless a writer holds them.

    A row a writer is saving is skipped, not waited for: the rewrite never queues behind a
    writer, and it reads each token under the lock it writes under.
    """
    columns = [field.attname for field in encrypted_fields(model)]
    rows = model._base_manager.using(alias).filter(pk__in=pks).order_by("pk")
    if lock:
        rows = rows.select_for_update(skip_locked=True, no_key=True, of=("self",))
    return list(rows.values_list("pk", "uuid", f"{owner_path(model)}__uuid", *columns))


def _compare_and_set(model, alias: str, columns: list[str], changes: dict) -> set:
    """Write new tokens where the stored one is still the old one, every column of a row in
    one update; return the (pk, column) written.

    changes: {pk: {column: (old token, new token)}}.
    """
    connection = connections[alias]
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    columns = [c for c in columns if any(c in row for row in changes.values())]
    # A column left as it is where its stored token is not the one read (a writer's).
    sets = ", ".join(
        f"{quote(c)} = CASE WHEN {table}.{quote(c)} = v.old{n} THEN v.new{n} "
        f"ELSE {table}.{quote(c)} END"
        for n, c in enumerate(columns)
    )
    stored = ", ".join(f"{table}.{quote(c)}" for c in columns)
    rows = [
        [pk_value, *(token for c in columns for token in row.get(c, (None, None)))]
        for pk_value, row in changes.items()
    ]
    names = ", ".join(["id", *(f"old{n}, new{n}" for n in range(len(columns)))])
    if connection.vendor == "postgresql":
        # One array parameter per column, not thousands: much less for the driver to quote.
        arrays = ", ".join(["%s::bigint[]", *["%s::bytea[]"] * (2 * len(columns))])
        sql = (
            f"UPDATE {table} SET {sets} FROM unnest({arrays}) AS v({names}) "  # noqa: S608
            f"WHERE {table}.{pk} = v.id RETURNING {table}.{pk}, {stored}"
        )
        params = [list(column_values) for column_values in zip(*rows, strict=True)]
        returned = _server_bound(connection, sql, params)
    else:
        returned = []
        per_statement = max(1, 30_000 // len(rows[0]))  # SQLite's limit of parameters
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = ", ".join(["(" + ", ".join(["%s"] * len(rows[0])) + ")"] * len(chunk))
            sql = (
                f"WITH v({names}) AS (VALUES {values}) "  # noqa: S608
                f"UPDATE {table} SET {sets} FROM v "
                f"WHERE {table}.{pk} = v.id RETURNING {table}.{pk}, {stored}"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [item for row in chunk for item in row])
                returned += cursor.fetchall()
    # Written where the column now holds the new token (a nonce makes each token unique).
    return {
        (row[0], c)
        for row in returned
        for c, token in zip(columns, row[1:], strict=True)
        if c in changes[row[0]] and token is not None and bytes(token) == changes[row[0]][c][1]
    }


def _server_bound(connection, sql: str, params: list) -> list:
    """Run a statement with parameters bound by the server (binary), not quoted into text."""
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _verify(model, alias: str, fields: list, written: dict) -> int:
    """Read the rewritten rows back and open each value; return how many opened as expected.

    written: {(pk, column): (record uuid, firm uuid, value)}.
    """
    rows = model._base_manager.using(alias).filter(pk__in={pk for pk, _column in written})
    stored = {row[0]: row[1:] for row in rows.values_list("pk", *[f.attname for f in fields])}
    places = {field.column: (position, field) for position, field in enumerate(fields)}
    for (pk, column), (uuid, organization_uuid, plaintext) in written.items():
        position, field = places[column]
        value = open_sealed(field.place, uuid, organization_uuid, bytes(stored[pk][position]))
        if value != plaintext:
            raise UndecryptableValue(f"{model._meta.label} {uuid} {field.name} did not verify.")
    return len(written)


def _rewrite_batch(model, alias: str, pks: list, needs_rewrite, dry_run: bool, counts) -> list:
    """Re-seal the values of these rows that need it, in one short transaction; return the
    primary keys a writer held, left for later."""
    fields = encrypted_fields(model)
    places = {field.attname: place_of(model, field.name) for field in fields}
    with transaction.atomic(using=alias):
        batch = _locked_rows(model, alias, pks, lock=not dry_run)
        changes, written = {}, {}
        for pk, uuid, owner, *tokens in batch:
            for field, token in zip(fields, tokens, strict=True):
                if token is None:
                    continue
                token = bytes(token)
                if not needs_rewrite(token):
                    counts["current"] += 1
                    continue
                try:
                    value = open_sealed(places[field.attname], uuid, owner, token)
                except UndecryptableValue:
                    log.error(
                        "rewrite=unreadable model=%s record=%s field=%s",
                        model._meta.label, uuid, field.name,
                    )  # fmt: skip
                    counts["unreadable"] += 1
                    continue
                if dry_run:
                    counts["stale"] += 1
                    continue
                new = seal(places[field.attname], uuid, owner, value)
                changes.setdefault(pk, {})[field.column] = (token, new)
                written[(pk, field.column)] = (uuid, owner, value)
        if changes:
            done = _compare_and_set(model, alias, [f.column for f in fields], changes)
            counts["rewritten"] += len(done)
            counts["changed_meanwhile"] += len(written) - len(done)
            counts["verified"] += _verify(model, alias, fields, {k: written[k] for k in done})
    held = set(pks) - {row[0] for row in batch}
    if held:  # or deleted meanwhile
        rows = model._base_manager.using(alias).filter(pk__in=held)
        held = set(rows.values_list("pk", flat=True))
    return sorted(held)


# Pauses before taking again the rows writers held; what is still held after them stays
# under its old key for the next pass (or run) to take.
RETRY_PAUSES = (0.05, 0.2, 0.5, 1.0)


def rewrite_model(
    model: type[models.Model],
    *,
    needs_rewrite: Callable[[bytes], bool],
    organization_uuid=None,
    batch_size: int = 500,
    dry_run: bool = False,
    progress: Callable[[int], None] = lambda rows: None,
) -> Counter:
    """Re-seal every value of the model that needs_rewrite, batch by batch; return counts."""
    alias = router.db_for_write(model)
    counts: Counter = Counter()
    held: list = []
    for page in rows_of(model, alias, batch_size, organization_uuid, columns=()):
        pks = [row[0] for row in page]
        held += _rewrite_batch(model, alias, pks, needs_rewrite, dry_run, counts)
        counts["rows"] += len(pks)
        progress(len(pks))
    first_held = len(held)
    for pause in RETRY_PAUSES:
        if not held:
            break
        time.sleep(pause)
        held = _rewrite_batch(model, alias, held, needs_rewrite, dry_run, counts)
    counts["taken_later"] += first_held - len(held)
    counts["held_by_writers"] += len(held)
    return counts

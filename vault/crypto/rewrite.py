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


def rows_of(model, alias: str, batch_size: int, organization_uuid=None) -> Iterator[list[tuple]]:
    """Yield (pk, uuid, firm uuid, *tokens) of the model's rows, keyset-paginated."""
    owner = owner_path(model)
    columns = [field.attname for field in encrypted_fields(model)]
    rows = model._base_manager.using(alias).order_by("pk")
    if organization_uuid is not None:
        rows = rows.filter(**{f"{owner}__uuid": organization_uuid})
    last = None
    while True:
        page = rows if last is None else rows.filter(pk__gt=last)
        batch = list(page.values_list("pk", "uuid", f"{owner}__uuid", *columns)[:batch_size])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def _pages(model, alias: str, batch_size: int, organization_uuid=None) -> Iterator[list]:
    """Yield the model's primary keys (of one firm if given) in pages, keyset-paginated."""
    rows = model._base_manager.using(alias).order_by("pk")
    if organization_uuid is not None:
        rows = rows.filter(**{f"{owner_path(model)}__uuid": organization_uuid})
    last = None
    while True:
        page = rows if last is None else rows.filter(pk__gt=last)
        pks = list(page.values_list("pk", flat=True)[:batch_size])
        if not pks:
            return
        yield pks
        last = pks[-1]


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


def _compare_and_set(model, alias: str, column: str, changes: list[tuple]) -> set:
    """Write new tokens where the stored one is still the old one; return the pks written."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    target = f"{table}.{quote(column)}"
    if connection.vendor == "postgresql":
        # Three array parameters, not thousands: much less for the driver to quote.
        sql = (
            f"UPDATE {table} SET {quote(column)} = v.new "  # noqa: S608
            "FROM unnest(%s::bigint[], %s::bytea[], %s::bytea[]) AS v(id, old, new) "
            f"WHERE {table}.{pk} = v.id AND {target} = v.old RETURNING {table}.{pk}"
        )
        params = [list(column_values) for column_values in zip(*changes, strict=True)]
        return _server_bound(connection, sql, params)
    else:
        values = ", ".join(["(%s, %s, %s)"] * len(changes))
        params = [item for change in changes for item in change]
        sql = (
            f"UPDATE {table} SET {quote(column)} = v.column3 FROM (VALUES {values}) AS v "  # noqa: S608
            f"WHERE {table}.{pk} = v.column1 AND {target} = v.column2 RETURNING {table}.{pk}"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _server_bound(connection, sql: str, params: list) -> set:
    """Run a statement with parameters bound by the server (binary), not quoted into text."""
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _verify(model, alias: str, field, written: dict) -> int:
    """Read the rewritten rows back and open each value; return how many opened as expected."""
    stored = dict(
        model._base_manager.using(alias)
        .filter(pk__in=list(written))
        .values_list("pk", field.attname)
    )
    good = 0
    for pk, (uuid, organization_uuid, plaintext) in written.items():
        value = open_sealed(field.place, uuid, organization_uuid, bytes(stored[pk]))
        if value != plaintext:
            raise UndecryptableValue(f"{model._meta.label} {uuid} {field.name} did not verify.")
        good += 1
    return good


def _rewrite_batch(model, alias: str, pks: list, needs_rewrite, dry_run: bool, counts) -> list:
    """Re-seal the values of these rows that need it, in one short transaction; return the
    primary keys a writer held, left for later."""
    fields = encrypted_fields(model)
    places = {field.attname: place_of(model, field.name) for field in fields}
    with transaction.atomic(using=alias):
        batch = _locked_rows(model, alias, pks, lock=not dry_run)
        for position, field in enumerate(fields, start=3):
            changes, written = [], {}
            for row in batch:
                pk, uuid, owner, token = row[0], row[1], row[2], row[position]
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
                changes.append((pk, token, seal(places[field.attname], uuid, owner, value)))
                written[pk] = (uuid, owner, value)
            if not changes:
                continue
            done = _compare_and_set(model, alias, field.column, changes)
            counts["rewritten"] += len(done)
            counts["changed_meanwhile"] += len(changes) - len(done)
            counts["verified"] += _verify(model, alias, field, {pk: written[pk] for pk in done})
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
    for pks in _pages(model, alias, batch_size, organization_uuid):
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

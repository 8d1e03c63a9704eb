"""Re-encrypt stored values under the newest vault key, in batches, safe to re-run."""

import logging
from collections import Counter
from collections.abc import Iterator

from django.db import connections, models, router, transaction

from vault.crypto.fields import encrypted_fields
from vault.crypto.keyring import UndecryptableValue, key_ring

log = logging.getLogger(__name__)


def _batches(model: type[models.Model], alias: str, batch_size: int) -> Iterator[list[tuple]]:
    """Yield rows of (pk, raw token, ...) of the model's encrypted columns, keyset-paginated."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in encrypted_fields(model))
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    last_pk = None
    while True:
        where, params = (f"WHERE {pk} > %s", [last_pk]) if last_pk is not None else ("", [])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {columns} FROM {table} {where} ORDER BY {pk} LIMIT %s",  # noqa: S608
                [*params, batch_size],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last_pk = rows[-1][0]


def _rewrite(alias: str, model, column: str, pk, old: bytes, new: bytes) -> bool:
    """Replace one token, only if nobody changed it meanwhile (compare-and-set)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    table, pk_column = quote(model._meta.db_table), quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {quote(column)} = %s "  # noqa: S608
            f"WHERE {pk_column} = %s AND {quote(column)} = %s",
            [new, pk, old],
        )
        return cursor.rowcount == 1


def rotate_model(
    model: type[models.Model], *, batch_size: int = 500, dry_run: bool = False
) -> Counter:
    """Re-encrypt the model's encrypted values written under an older key; return counts."""
    alias = router.db_for_write(model)
    ring = key_ring()
    columns = [field.column for field in encrypted_fields(model)]
    counts: Counter = Counter()
    for rows in _batches(model, alias, batch_size):
        with transaction.atomic(using=alias):
            for pk, *tokens in rows:
                counts["rows"] += 1
                for column, token in zip(columns, tokens, strict=True):
                    if token is None:
                        continue
                    old = bytes(token)
                    try:
                        plaintext, position = ring.decrypt(old)
                    except UndecryptableValue:
                        log.error(
                            "rotate=unreadable model=%s pk=%s field=%s",
                            model._meta.label,
                            pk,
                            column,
                        )
                        counts["unreadable"] += 1
                        continue
                    if position == 0:
                        counts["current"] += 1
                    elif dry_run:
                        counts["stale"] += 1
                    elif _rewrite(alias, model, column, pk, old, ring.encrypt(plaintext)):
                        counts["rewritten"] += 1
                    else:
                        counts["changed_meanwhile"] += 1
    return counts

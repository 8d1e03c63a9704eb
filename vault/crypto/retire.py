"""Destroy a firm's older data keys once no stored value uses them, with writers held off."""

import uuid
from contextlib import ExitStack

from django.db import DatabaseError, connections, router, transaction
from django.db.models import BinaryField, Count, Q
from django.db.models.functions import Substr
from django.db.models.lookups import Exact

from vault.crypto import firm_keys
from vault.crypto.envelope import FORMAT, HEADER
from vault.crypto.fields import encrypted_fields
from vault.crypto.firm_keys import keys_alias
from vault.crypto.models import FirmKey
from vault.crypto.rewrite import encrypted_models, firm_records

# Passes over the firm after the wait, each followed by an attempt to destroy the old keys.
LAST_PASSES = 3
# How long the destroying step waits for writers' transactions before trying again later.
# Writers queue behind it meanwhile, so this stays short; and shorter than PostgreSQL's
# deadlock_timeout (1 s), so that if a writer waits on it while it waits on the writer, it is
# this step that gives way.
LOCK_TIMEOUT = "500ms"


def _firm_rows(model, organization_uuid: uuid.UUID):
    return firm_records(model, router.db_for_write(model), organization_uuid)


def firm_rows(organization_uuid: uuid.UUID) -> int:
    """Count the firm's rows that hold encrypted values (what one rotation pass goes over)."""
    return sum(_firm_rows(model, organization_uuid).count() for model in encrypted_models())


def stale_values(organization_uuid: uuid.UUID, newest: int) -> int:
    """Count the firm's stored values that are not under the given version of its key."""
    header = HEADER.pack(FORMAT, newest)
    total = 0
    for model in encrypted_models():
        rows, counts = _firm_rows(model, organization_uuid), {}
        for number, field in enumerate(encrypted_fields(model)):
            head = Substr(field.attname, 1, len(header), output_field=BinaryField())
            stale = Q(**{f"{field.attname}__isnull": False}) & ~Q(Exact(head, header))
            counts[f"column_{number}"] = Count("pk", filter=stale)
        total += sum(value or 0 for value in rows.aggregate(**counts).values())
    return total


def _lock_against_writes(alias: str, models: list) -> bool:
    """Lock the tables until the transaction ends: in-flight writes finish, new ones wait."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return True  # SQLite: one writer at a time, a single server
    quote = connection.ops.quote_name
    tables = ", ".join(quote(model._meta.db_table) for model in models)
    try:
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            cursor.execute(f"LOCK TABLE {tables} IN SHARE MODE")
    except DatabaseError:
        return False
    return True


def old_keys_destroy(*, organization_uuid: uuid.UUID, newest: int) -> int | None:
    """Destroy the firm's keys older than newest; None (all kept) while a value uses one.

    The count and the delete happen with the encrypted tables locked against writes: a writer
    that sealed a value with an old key just before its cache expired has committed by then
    (and is counted), or writes after, with the new key.
    """
    models = encrypted_models()
    by_alias: dict[str, list] = {}
    for model in models:
        by_alias.setdefault(router.db_for_write(model), []).append(model)
    with ExitStack() as held:
        for alias, tables in by_alias.items():
            held.enter_context(transaction.atomic(using=alias))
            if not _lock_against_writes(alias, tables):
                return None
        if stale_values(organization_uuid, newest):
            return None
        old = FirmKey.objects.using(keys_alias()).filter(
            organization_uuid=organization_uuid, version__lt=newest
        )
        deleted, _ = old.delete()
    firm_keys.forget(organization_uuid)
    return deleted

"""Each firm's data key: made once, wrapped by the master key, cached briefly, shreddable."""

import logging
import os
import time
import uuid

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import IntegrityError, connections, transaction

from vault.crypto.keyring import UndecryptableValue
from vault.crypto.models import FirmKey
from vault.crypto.providers import master_keys

log = logging.getLogger(__name__)
KEY_BYTES = 32

_cache: dict[
    tuple, tuple
] = {}  # (alias, organization, version|None) -> (version, aead, until, hold)
_pending: set[tuple] = set()  # keys this process made in a transaction not yet committed


def keys_alias() -> str:
    """Return the database alias of the key table (see vault.crypto.router)."""
    return "keys" if "keys" in connections.settings else "default"


def key_associated_data(organization_uuid: uuid.UUID, version: int) -> bytes:
    """Bind a wrapped data key to its firm and version: it cannot be copied to another firm."""
    return f"ccus-vault firm-key|{organization_uuid}|{version}".encode()


def _hold(alias: str):
    """Return what must stay open for a value read inside a transaction to stay true."""
    connection = connections[alias]
    if not connection.in_atomic_block:
        return None
    return connection.atomic_blocks[0], tuple(connection.savepoint_ids)


def _holds(alias: str, hold) -> bool:
    if hold is None:
        return True
    connection = connections[alias]
    outer, sids = hold
    return (
        connection.in_atomic_block
        and connection.atomic_blocks[0] is outer
        and tuple(connection.savepoint_ids[: len(sids)]) == sids
    )


def _unwrap(row: FirmKey) -> AESGCM:
    data_key = master_keys().unwrap(
        row.master_key_id,
        bytes(row.wrapped),
        key_associated_data(row.organization_uuid, row.version),
    )
    return AESGCM(data_key)


def _remember(alias: str, organization_uuid, wanted, row: FirmKey) -> tuple:
    aead = _unwrap(row)
    ours = (alias, row.organization_uuid, row.version) in _pending
    # How long a process trusts what it read (VAULT_KEY_CACHE_SECONDS): a firm key rotation
    # keeps the old key until every writer can have seen the new one.
    until = time.monotonic() + settings.VAULT_KEY_CACHE_SECONDS
    entry = (row.version, aead, until, _hold(alias) if ours else None)
    if ours and entry[3] is None:
        _pending.discard((alias, row.organization_uuid, row.version))
    _cache[(alias, organization_uuid.int, wanted)] = entry
    return entry


def _cached(alias: str, organization_uuid, wanted) -> tuple | None:
    """Return (version, aead, until, hold) if still to be trusted."""
    key = (alias, organization_uuid.int, wanted)  # an int hashes faster than a UUID
    entry = _cache.get(key)
    if entry is None:
        return None
    if entry[2] > time.monotonic() and (entry[3] is None or _holds(alias, entry[3])):
        return entry
    del _cache[key]
    return None


def data_key(organization_uuid: uuid.UUID, version: int) -> AESGCM:
    """Return one version of a firm's data key; raise UndecryptableValue if it is gone."""
    if organization_uuid.__class__ is not uuid.UUID:
        organization_uuid = uuid.UUID(str(organization_uuid))
    alias = keys_alias()
    found = _cached(alias, organization_uuid, version)
    if found is not None:
        return found[1]
    row = (
        FirmKey.objects.using(alias)
        .filter(organization_uuid=organization_uuid, version=version)
        .first()
    )
    if row is None:
        raise UndecryptableValue(f"Data key version {version} of this firm does not exist.")
    return _remember(alias, organization_uuid, version, row)[1]


def current_key_entry(organization_uuid: uuid.UUID) -> tuple:
    """Return (version, aead, trusted until, hold) of the firm's newest data key, made if none."""
    if organization_uuid.__class__ is not uuid.UUID:
        organization_uuid = uuid.UUID(str(organization_uuid))
    alias = keys_alias()
    found = _cached(alias, organization_uuid, None)
    if found is not None:
        return found
    row = FirmKey.objects.using(alias).filter(organization_uuid=organization_uuid)
    row = row.order_by("-version").first() or firm_key_create(organization_uuid=organization_uuid)
    return _remember(alias, organization_uuid, None, row)


def current_data_key(organization_uuid: uuid.UUID) -> tuple[int, AESGCM]:
    """Return the firm's newest data key (making the first one if it has none) and its version."""
    entry = current_key_entry(organization_uuid)
    return entry[0], entry[1]


def firm_key_create(*, organization_uuid: uuid.UUID, version: int = 1) -> FirmKey:
    """Make a new random data key version for a firm, wrapped by the current master key."""
    alias = keys_alias()
    master_key_id, wrapped = master_keys().wrap(
        os.urandom(KEY_BYTES), key_associated_data(organization_uuid, version)
    )
    try:
        with transaction.atomic(using=alias):
            row = FirmKey.objects.using(alias).create(
                organization_uuid=organization_uuid,
                version=version,
                master_key_id=master_key_id,
                wrapped=wrapped,
            )
    except IntegrityError:
        # Another process made this version first: use theirs.
        return FirmKey.objects.using(alias).get(
            organization_uuid=organization_uuid, version=version
        )
    if connections[alias].in_atomic_block:
        marker = (alias, organization_uuid, version)
        _pending.add(marker)
        transaction.on_commit(lambda: _pending.discard(marker), using=alias)
    log.info("firm_key=created organization=%s version=%s", organization_uuid, version)
    return row


def firm_keys_destroy(*, organization_uuid: uuid.UUID) -> int:
    """Delete every data key of a firm (crypto-shredding); return how many were deleted."""
    alias = keys_alias()
    deleted, _ = FirmKey.objects.using(alias).filter(organization_uuid=organization_uuid).delete()
    forget(organization_uuid)
    log.warning("firm_key=destroyed organization=%s versions=%s", organization_uuid, deleted)
    return deleted


def forget(organization_uuid: uuid.UUID | None = None) -> None:
    """Drop cached data keys (of one firm, or all)."""
    for key in [k for k in _cache if organization_uuid is None or k[1] == organization_uuid.int]:
        _cache.pop(key, None)

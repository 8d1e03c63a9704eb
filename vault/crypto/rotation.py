"""Rotate keys: re-wrap data keys under a new master key, or re-encrypt one firm under a new one."""

import datetime
import logging
import uuid
from collections import Counter
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.utils import timezone

from vault.crypto import firm_keys
from vault.crypto.envelope import token_version
from vault.crypto.firm_keys import firm_key_create, key_associated_data, keys_alias
from vault.crypto.keyring import UndecryptableValue
from vault.crypto.models import FirmKey
from vault.crypto.providers import master_keys
from vault.crypto.retire import LAST_PASSES, old_keys_destroy
from vault.crypto.rewrite import encrypted_models, rewrite_model

log = logging.getLogger(__name__)


def master_rewrap(*, dry_run: bool = False) -> Counter:
    """Re-wrap every data key not under the current master key; touch only the key table."""
    keys = master_keys()
    alias = keys_alias()
    counts: Counter = Counter()
    for row in FirmKey.objects.using(alias).order_by("pk").iterator(chunk_size=500):
        counts["keys"] += 1
        if row.master_key_id == keys.current_key_id:
            counts["current"] += 1
            continue
        aad = key_associated_data(row.organization_uuid, row.version)
        try:
            data_key = keys.unwrap(row.master_key_id, bytes(row.wrapped), aad)
        except UndecryptableValue:
            log.error(
                "rewrap=unreadable organization=%s version=%s", row.organization_uuid, row.version
            )
            counts["unreadable"] += 1
            continue
        if dry_run:
            counts["stale"] += 1
            continue
        key_id, wrapped = keys.wrap(data_key, aad)
        written = (
            FirmKey.objects.using(alias)
            .filter(pk=row.pk, master_key_id=row.master_key_id)
            .update(master_key_id=key_id, wrapped=wrapped)
        )
        counts["rewrapped" if written else "changed_meanwhile"] += 1
    firm_keys.forget()
    return counts


def _versions(organization_uuid: uuid.UUID) -> list[FirmKey]:
    rows = FirmKey.objects.using(keys_alias()).filter(organization_uuid=organization_uuid)
    return list(rows.order_by("-version"))


def firm_key_versions(organization_uuid: uuid.UUID) -> list[int]:
    """Return the versions of a firm's data key, newest first (two or more: mid-rotation)."""
    return [row.version for row in _versions(organization_uuid)]


def _rewrite_firm(organization_uuid, newest: int, batch_size: int, progress) -> Counter:
    counts: Counter = Counter()
    for model in encrypted_models():
        counts += rewrite_model(
            model,
            needs_rewrite=lambda token: token_version(token) != newest,
            organization_uuid=organization_uuid,
            batch_size=batch_size,
            progress=progress,
        )
    return counts


def _settle() -> datetime.timedelta:
    """Return how long after a new key every process has seen it.

    A process trusts a key it read for VAULT_KEY_CACHE_SECONDS; the new key is committed a
    moment after its created_at, so a second more.
    """
    seconds = settings.VAULT_KEY_CACHE_SECONDS
    return datetime.timedelta(seconds=seconds + 1 if seconds else 0)


def firm_key_rotate(
    *,
    organization_uuid: uuid.UUID,
    batch_size: int = 500,
    progress: Callable[[int, int], None] = lambda rotation_pass, rows: None,
    wait: Callable[[float], None] | None = None,
) -> Counter:
    """Re-encrypt one firm under a new data key, then destroy the old ones.

    Resumable: a run killed halfway is finished by the next run, which keeps the newest key.
    Safe with writers: each batch locks its rows (skipping those a writer holds, taken again
    later) and replaces values by compare-and-set; the old keys are destroyed only once every
    process has had time to see the new key and no value uses them.
    """
    versions = _versions(organization_uuid)
    newest = versions[0] if versions else None
    if newest is None or len(versions) == 1:
        # Not resuming: start a rotation with a new version.
        number = newest.version + 1 if newest else 1
        newest = firm_key_create(organization_uuid=organization_uuid, version=number)
    firm_keys.forget(organization_uuid)
    counts = _rewrite_firm(organization_uuid, newest.version, batch_size, partial(progress, 1))
    age = timezone.now() - newest.created_at
    old = [row.version for row in _versions(organization_uuid) if row.version != newest.version]
    if age < _settle():
        if wait is None:
            counts["old_keys_kept"] = len(old)
            return counts
        # Writers may still hold the old key in their cache: let it expire first.
        wait((_settle() - age).total_seconds())
    for rotation_pass in range(2, 2 + LAST_PASSES):
        # What writers wrote with the old key while their caches expired.
        counts += _rewrite_firm(
            organization_uuid, newest.version, batch_size, partial(progress, rotation_pass)
        )
        if counts["unreadable"]:
            break
        destroyed = old_keys_destroy(organization_uuid=organization_uuid, newest=newest.version)
        if destroyed is not None:
            counts["old_keys_destroyed"] = destroyed
            log.info(
                "firm_key=rotated organization=%s version=%s", organization_uuid, newest.version
            )
            return counts
    counts["old_keys_kept"] = len(old)
    return counts


def old_format_migrate(
    model,
    *,
    batch_size: int = 500,
    dry_run: bool = False,
    progress: Callable[[int], None] = lambda rows: None,
) -> Counter:
    """Rewrite a model's old-format values (one key for all, pickled) in the new format."""
    return rewrite_model(
        model,
        needs_rewrite=lambda token: token_version(token) is None,
        batch_size=batch_size,
        dry_run=dry_run,
        progress=progress,
    )

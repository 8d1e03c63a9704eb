"""Blind index: a keyed hash of a normalised value, for exact lookup without decrypting."""

import hashlib
import hmac
import re
import uuid
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from vault.crypto.keyring import derive_key

# Each value is prefixed by the version of its key (`v1|…`). While the key is being changed, two
# versioned keys are listed, newest first (VAULT_BLIND_INDEX_KEYS=v2:<new>,v1:<old>): a record keeps
# its index under the oldest and under the newest listed key, and a lookup tries each of them.
# VERSION is that of VAULT_BLIND_INDEX_KEY, the one key set when VAULT_BLIND_INDEX_KEYS is not.
VERSION = "v1"
MAX_LENGTH = 80
_VERSIONED = re.compile(r"(v[1-9][0-9]*):(.+)")


def index_keys() -> list[tuple[str, str]]:
    """Return the configured (version, key) pairs of the blind index, newest first."""
    listed = getattr(settings, "VAULT_BLIND_INDEX_KEYS", None) or []
    if not listed:
        return [(VERSION, settings.VAULT_BLIND_INDEX_KEY)]
    keys = []
    for entry in listed:
        match = _VERSIONED.fullmatch(entry.strip())
        if match is None:
            raise ImproperlyConfigured(
                "Each entry of VAULT_BLIND_INDEX_KEYS is <version>:<key>, e.g. v2:<key>."
            )
        keys.append((match.group(1), match.group(2)))
    return keys


def switching() -> bool:
    """Tell whether two blind-index keys are listed: the key is being changed."""
    return len(index_keys()) > 1


@lru_cache(maxsize=1024)
def _organization_key(secret: str, version: str, organization_uuid: uuid.UUID) -> bytes:
    return derive_key(secret, f"ccus-vault blind-index {version} organization {organization_uuid}")


def _index(keys: list, version: str, organization_uuid: uuid.UUID, purpose: str, value: str) -> str:
    key = _organization_key(dict(keys)[version], version, organization_uuid)
    message = f"{purpose}\x00{value}".encode()
    return f"{version}|{hmac.digest(key, message, hashlib.sha256).hex()}"


def blind_index(
    organization_uuid: uuid.UUID, purpose: str, value: str, version: str | None = None
) -> str:
    """Return the HMAC-SHA256 of a normalised value under one key version (default: newest)."""
    keys = index_keys()
    return _index(keys, version or keys[0][0], organization_uuid, purpose, value)


def blind_indexes(organization_uuid: uuid.UUID, purpose: str, value: str) -> tuple[str, str]:
    """Return what a record stores: the index under the oldest and under the newest listed key."""
    keys = index_keys()  # read once: the settings are asked for every value of an import
    oldest = _index(keys, keys[-1][0], organization_uuid, purpose, value)
    if keys[0][0] == keys[-1][0]:
        return oldest, oldest  # one key: the same value twice, computed once
    return oldest, _index(keys, keys[0][0], organization_uuid, purpose, value)


def every_index(organization_uuid: uuid.UUID, purpose: str, value: str) -> list[str]:
    """Return the value's index under every listed key, for a lookup during a change of key."""
    keys = index_keys()
    return [_index(keys, version, organization_uuid, purpose, value) for version, _key in keys]

"""Blind index: a keyed hash of a normalised value, for exact lookup without decrypting."""

import hashlib
import hmac
import uuid
from functools import lru_cache

from django.conf import settings

from vault.crypto.keyring import derive_key

VERSION = "v1"
MAX_LENGTH = 80


@lru_cache(maxsize=1024)
def _organization_key(secret: str, organization_uuid: uuid.UUID) -> bytes:
    return derive_key(secret, f"ccus-vault blind-index {VERSION} organization {organization_uuid}")


def blind_index(organization_uuid: uuid.UUID, purpose: str, value: str) -> str:
    """Return the versioned HMAC-SHA256 of an already normalised value, keyed per organization."""
    key = _organization_key(settings.VAULT_BLIND_INDEX_KEY, organization_uuid)
    message = f"{purpose}\x00{value}".encode()
    return f"{VERSION}|{hmac.new(key, message, hashlib.sha256).hexdigest()}"

"""Where the master key lives: the environment (default) or an HSM through PKCS#11."""

import hashlib
import hmac
import os
from functools import lru_cache
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from vault.crypto.keyring import UndecryptableValue, derive_key

NONCE = 12


class KeyProvider(Protocol):
    """Wraps and unwraps firm data keys with a master key it may never hand out."""

    def key_ids(self) -> list[str]:
        """Return the ids of the master keys it holds, newest first."""

    def wrap(self, data_key: bytes, associated_data: bytes) -> tuple[str, bytes]:
        """Wrap a data key under the newest master key; return (key id, wrapped key)."""

    def unwrap(self, key_id: str, wrapped: bytes, associated_data: bytes) -> bytes:
        """Unwrap a data key wrapped under the master key key_id."""


class EnvironmentKeyProvider:
    """Master keys derived from VAULT_ENCRYPTION_KEYS (newest first), used in this process."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        if not secrets:
            raise ImproperlyConfigured("Set the VAULT_ENCRYPTION_KEYS environment variable")
        self._keys: dict[str, AESGCM] = {}
        for secret in secrets:
            key = derive_key(secret, "ccus-vault master-key aes-256-gcm")
            fingerprint = hmac.new(key, b"ccus-vault master-key id", hashlib.sha256)
            self._keys[f"env:{fingerprint.hexdigest()[:16]}"] = AESGCM(key)

    def key_ids(self) -> list[str]:
        return list(self._keys)

    def wrap(self, data_key: bytes, associated_data: bytes) -> tuple[str, bytes]:
        key_id = next(iter(self._keys))
        nonce = os.urandom(NONCE)
        return key_id, nonce + self._keys[key_id].encrypt(nonce, data_key, associated_data)

    def unwrap(self, key_id: str, wrapped: bytes, associated_data: bytes) -> bytes:
        if key_id not in self._keys:
            raise UndecryptableValue(f"The master key {key_id} is not configured.")
        try:
            return self._keys[key_id].decrypt(wrapped[:NONCE], wrapped[NONCE:], associated_data)
        except InvalidTag:
            raise UndecryptableValue(f"A data key does not open with {key_id}.") from None


class MasterKeys:
    """The configured providers: wrap with the first, unwrap with whichever holds the key."""

    def __init__(self, providers: list[KeyProvider]) -> None:
        self.providers = providers

    @property
    def current_key_id(self) -> str:
        return self.providers[0].key_ids()[0]

    def wrap(self, data_key: bytes, associated_data: bytes) -> tuple[str, bytes]:
        return self.providers[0].wrap(data_key, associated_data)

    def unwrap(self, key_id: str, wrapped: bytes, associated_data: bytes) -> bytes:
        for provider in self.providers:
            if key_id in provider.key_ids():
                return provider.unwrap(key_id, wrapped, associated_data)
        raise UndecryptableValue(f"No configured key provider holds the master key {key_id}.")


@lru_cache(maxsize=4)
def _master_keys_for(provider: str, secrets: tuple[str, ...], pkcs11: tuple) -> MasterKeys:
    if provider == "environment":
        return MasterKeys([EnvironmentKeyProvider(secrets)])
    if provider == "pkcs11":
        from vault.crypto.pkcs11 import Pkcs11KeyProvider

        providers: list[KeyProvider] = [Pkcs11KeyProvider(*pkcs11)]
        if secrets:  # still read keys wrapped by the environment's keys, while moving
            providers.append(EnvironmentKeyProvider(secrets))
        return MasterKeys(providers)
    raise ImproperlyConfigured("VAULT_KEY_PROVIDER must be environment or pkcs11.")


def master_keys() -> MasterKeys:
    """Return the master keys as configured now."""
    return _master_keys_for(
        settings.VAULT_KEY_PROVIDER,
        tuple(settings.VAULT_ENCRYPTION_KEYS),
        (
            settings.VAULT_PKCS11_LIBRARY,
            settings.VAULT_PKCS11_TOKEN_LABEL,
            settings.VAULT_PKCS11_PIN,
            tuple(settings.VAULT_PKCS11_KEY_LABELS),
        ),
    )

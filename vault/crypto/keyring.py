"""The key ring: vault keys derived for one purpose each, newest writes, any configured reads."""

from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django_cryptography.core.signing import BadSignature, FernetSigner
from django_cryptography.utils.crypto import FernetBytes, InvalidToken


class UndecryptableValue(Exception):
    """Raised when no configured vault key can read a stored value."""


def derive_key(secret: str, purpose: str) -> bytes:
    """Derive a 32-byte key for one purpose from a configured vault secret (HKDF-SHA256)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode())
    return hkdf.derive(secret.encode())


class KeyRing:
    """Encrypt with the newest vault key; decrypt with whichever configured key matches."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        if not secrets:
            raise ImproperlyConfigured("Set the VAULT_ENCRYPTION_KEYS environment variable")
        self._fernets = [
            FernetBytes(
                derive_key(secret, "ccus-vault field-encryption aes-256-cbc"),
                FernetSigner(derive_key(secret, "ccus-vault field-signing hmac-sha256")),
            )
            for secret in secrets
        ]

    def encrypt(self, data: bytes) -> bytes:
        """Return the token of data under the newest key."""
        return self._fernets[0].encrypt(data)

    def decrypt(self, token: bytes) -> tuple[bytes, int]:
        """Return the plaintext and the position of the key that read it (0 = newest)."""
        for position, fernet in enumerate(self._fernets):
            try:
                return fernet.decrypt(token), position
            except (BadSignature, InvalidToken):
                continue
        raise UndecryptableValue(
            "No key in VAULT_ENCRYPTION_KEYS can read this value: a key that wrote it is missing."
        )


@lru_cache(maxsize=4)
def _key_ring_for(secrets: tuple[str, ...]) -> KeyRing:
    return KeyRing(secrets)


def key_ring() -> KeyRing:
    """Return the key ring for the keys configured now."""
    return _key_ring_for(tuple(settings.VAULT_ENCRYPTION_KEYS))

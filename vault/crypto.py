"""Field encryption: django-cryptography driven by the vault's own key ring, never SECRET_KEY."""

import pickle
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django_cryptography.core.signing import BadSignature, FernetSigner
from django_cryptography.fields import EncryptedMixin as LibraryEncryptedMixin
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


class EncryptedMixin(LibraryEncryptedMixin):
    """Store a field's value encrypted under the vault key ring; only `isnull` lookups work."""

    def __init__(self, *args, **kwargs) -> None:
        # Skip the library's constructor: it would build a cipher keyed from SECRET_KEY.
        self.key = None
        self.ttl = None
        super(LibraryEncryptedMixin, self).__init__(*args, **kwargs)

    def _dump(self, value) -> bytes:
        return key_ring().encrypt(pickle.dumps(value))

    def _load(self, value: bytes):
        data, _ = key_ring().decrypt(value)
        # The token is authenticated (HMAC-SHA256) before it is unpickled.
        return pickle.loads(data)  # noqa: S301

    def get_db_prep_value(self, value, connection, prepared=False):
        if value == "":
            value = None
        return super().get_db_prep_value(value, connection, prepared)

    def deconstruct(self):
        return super(LibraryEncryptedMixin, self).deconstruct()

    clone = models.Field.clone


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A CharField stored encrypted."""


class EncryptedTextField(EncryptedMixin, models.TextField):
    """A TextField stored encrypted."""


class EncryptedEmailField(EncryptedMixin, models.EmailField):
    """An EmailField stored encrypted."""


class EncryptedDateField(EncryptedMixin, models.DateField):
    """A DateField stored encrypted."""


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    """Return the model's encrypted concrete fields."""
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]

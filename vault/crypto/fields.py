"""Encrypted model fields: django-cryptography on the vault key ring, never SECRET_KEY."""

import pickle

from django.db import models
from django_cryptography.fields import EncryptedMixin as LibraryEncryptedMixin

from vault.crypto.keyring import key_ring


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

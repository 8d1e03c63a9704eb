"""Encrypted model fields: each value sealed for its table, column, record and firm.

django-cryptography's fields decrypt in `from_db_value`, which never sees the row, so they
cannot bind a value to its record; and they pickle. These fields keep the ciphertext as read
(`Sealed`) and open it on first access through the model attribute, which knows the record's
UUID and firm. Writes seal in `pre_save`, which sees the instance too.
"""

import logging
import time
import uuid
from functools import cached_property

from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext

from vault.crypto.envelope import binding, open_sealed, place_of, seal_with_key, token_version
from vault.crypto.firm_keys import current_key_entry
from vault.crypto.keyring import UndecryptableValue

log = logging.getLogger(__name__)


class Sealed(bytes):
    """A stored value as read from the database, opened on first access for its record."""


class Unreadable:
    """Stands for a value that did not open: shown as such, never as ciphertext."""

    unreadable = True

    def __str__(self) -> str:
        return gettext("Unreadable (possibly tampered)")


UNREADABLE = Unreadable()


_owners: dict[type, tuple[list[str], str | None]] = {}


def _owner_path(model: type) -> tuple[list[str], str | None]:
    """Return the path from a model to its firm, and the attribute that names it if direct."""
    if model not in _owners:
        path = getattr(model, "encryption_owner", "organization").split(".")
        _owners[model] = (path, f"{path[0]}_id" if len(path) == 1 else None)
    return _owners[model]


def owner_of(instance: models.Model) -> tuple[int, uuid.UUID]:
    """Return the id and UUID of the firm a record belongs to (`encryption_owner` path)."""
    holder = instance
    for name in _owner_path(instance.__class__)[0]:
        cached = holder._state.fields_cache
        # Django keeps each related object on its instance once loaded.
        holder = cached[name] if name in cached else getattr(holder, name)
    return holder.pk, holder.uuid


def context_of(instance: models.Model, marker_name: str | None) -> tuple:
    """Return (firm id, firm UUID, binding, key version, aead) to seal a record's values.

    Kept on the record while it stays true: same record UUID, same firm, and no longer than
    the process may trust the key (never for a key not yet committed).
    """
    record_uuid = instance.uuid
    marker = instance.__dict__.get(marker_name) if marker_name else None
    kept = instance._state.__dict__.get("vault_context")
    if (
        kept is not None
        and marker is not None
        and kept[0] is record_uuid
        and kept[1] == marker
        and kept[2] > time.monotonic()
    ):
        return kept[3]
    organization_id, organization_uuid = owner_of(instance)
    version, aead, until, hold = current_key_entry(organization_uuid)
    bound = binding(record_uuid, organization_uuid)
    context = (organization_id, organization_uuid, bound, version, aead)
    instance._state.vault_context = (record_uuid, marker, until if hold is None else 0.0, context)
    return context


def _load_stored(instance: models.Model, field: models.Field):
    """Read a deferred encrypted column as stored, without opening it."""
    manager = type(instance)._base_manager.db_manager(instance._state.db)
    return manager.filter(pk=instance.pk).values_list(field.attname, flat=True).get()


class EncryptedAttribute(DeferredAttribute):
    """The model attribute of an encrypted field: opens the stored value on first access."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        data = instance.__dict__
        if self.field.attname not in data:
            data[self.field.attname] = _load_stored(instance, self.field)
        value = data[self.field.attname]
        if isinstance(value, Sealed):
            value = self.field.open(instance, value)
            data[self.field.attname] = value
        return value

    def __set__(self, instance, value) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedMixin:
    """Store a field's value sealed for its record; only `isnull` lookups work."""

    descriptor_class = EncryptedAttribute

    def get_internal_type(self) -> str:
        return "BinaryField"

    @cached_property
    def place(self) -> bytes:
        return place_of(self.model, self.name)

    @cached_property
    def owner_marker(self) -> str | None:
        return _owner_path(self.model)[1]

    def from_db_value(self, value, expression, connection):
        return None if value is None else Sealed(value)

    def get_prep_value(self, value):
        return value

    def to_python(self, value):
        if value is None or isinstance(value, bytes):
            return value
        return super().to_python(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        if not value:
            return None
        if isinstance(value, bytes | memoryview):
            return value if value.__class__ is bytes else bytes(value)
        raise TypeError(
            f"{self.model._meta.label}.{self.name} is written only with its record "
            "(save, bulk_create, bulk_update) or as a value from encrypt_value()."
        )

    def pre_save(self, instance, add):
        value = instance.__dict__.get(self.attname)
        if not value:
            return None
        if isinstance(value, Sealed):
            return self._current(instance, value)
        if isinstance(value, bytes):
            return value  # already sealed for this record
        if isinstance(value, Unreadable):
            raise UndecryptableValue("An unreadable value cannot be saved.")
        context = context_of(instance, self.owner_marker)
        return seal_with_key(self.place, context[2], context[3], context[4], value)

    def _current(self, instance, token: Sealed) -> bytes:
        """Return a value unchanged since it was read, re-sealed if a newer firm key exists.

        Saved as read, it would put back a value under a key being rotated out, after the
        rotation took it: the old key could never be destroyed.
        """
        version = token_version(token)
        context = context_of(instance, self.owner_marker)
        if version is None or version >= context[3]:
            return token
        try:
            value = open_sealed(self.place, instance.uuid, context[1], token, context[2])
        except UndecryptableValue:
            return token  # kept as it is; reading it says what is wrong
        return seal_with_key(self.place, context[2], context[3], context[4], value)

    def open(self, instance, token: bytes):
        """Decrypt a stored value of this field for instance; log and record a refusal."""
        organization_id, organization_uuid, bound, version, aead = context_of(
            instance, self.owner_marker
        )
        try:
            key = (version, aead)
            return open_sealed(self.place, instance.uuid, organization_uuid, token, bound, key)
        except UndecryptableValue:
            log.warning(
                "encrypted_value=unreadable model=%s record=%s field=%s",
                self.model._meta.label,
                instance.uuid,
                self.name,
            )
            from vault.crypto.tamper import record_unreadable

            record_unreadable(instance, self.name, organization_id)
            raise

    def value_from_object(self, obj):
        return read_value(obj, self.attname, default=None)

    def get_lookup(self, lookup_name):
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def get_transform(self, lookup_name):
        return None


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A CharField stored sealed."""


class EncryptedTextField(EncryptedMixin, models.TextField):
    """A TextField stored sealed."""


class EncryptedEmailField(EncryptedMixin, models.EmailField):
    """An EmailField stored sealed."""


class EncryptedDateField(EncryptedMixin, models.DateField):
    """A DateField stored sealed."""


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    """Return the model's encrypted concrete fields."""
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]


def read_value(instance: models.Model, name: str, default=UNREADABLE):
    """Return a field's value, or default (UNREADABLE) when it does not open."""
    try:
        return getattr(instance, name)
    except UndecryptableValue:
        return default


def has_value(instance: models.Model, name: str) -> bool:
    """Tell whether a value is stored, without decrypting it."""
    if name not in instance.__dict__:
        field = instance._meta.get_field(name)
        instance.__dict__[name] = _load_stored(instance, field)
    return instance.__dict__[name] not in (None, "", b"")


def unreadable_fields(instance: models.Model) -> list[str]:
    """Return the names of the instance's loaded encrypted fields that do not open."""
    return [
        f.name
        for f in encrypted_fields(type(instance))
        if f.attname in instance.__dict__ and read_value(instance, f.name) is UNREADABLE
    ]


class EncryptedQuerySet(models.QuerySet):
    """A queryset whose bulk_update seals encrypted values for their records first."""

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        sealing = [f for f in encrypted_fields(self.model) if f.name in fields]
        kept = []
        for obj in objs:
            kept.append({f.attname: obj.__dict__.get(f.attname) for f in sealing})
            for field in sealing:
                token = field.pre_save(obj, False)
                # Plain bytes (not Sealed): Django reads them back through the attribute as is.
                obj.__dict__[field.attname] = bytes(token) if token else None
        try:
            return super().bulk_update(objs, fields, batch_size=batch_size)
        finally:
            for obj, values in zip(objs, kept, strict=True):
                obj.__dict__.update(values)

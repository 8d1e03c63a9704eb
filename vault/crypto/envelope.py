"""Encrypt one value for its place: AES-256-GCM under the firm's data key, bound to its record.

A stored value is `0x02 | key version (4 bytes) | nonce (12) | ciphertext and tag`. The
associated data names the table and column, the record's UUID, the firm's UUID and the key
version, so a value copied into another
row, column or firm does not open. The plaintext is typed text (`s` + UTF-8, `d` + ISO date):
nothing is ever unpickled.
"""

import datetime
import os
import struct
import uuid

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.db import models

from vault.crypto.firm_keys import current_data_key, data_key
from vault.crypto.keyring import UndecryptableValue
from vault.crypto.legacy import LEGACY_MARK, read_legacy

FORMAT = 2
HEADER = struct.Struct(">BI")
NONCE = 12
PREFIX = HEADER.size + NONCE


def typed_text(value) -> bytes:
    """Serialise a value as typed text: a str or a date, nothing else."""
    if isinstance(value, str):
        return b"s" + value.encode()
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return b"d" + value.isoformat().encode()
    raise TypeError(f"An encrypted field holds text or a date, not {type(value).__name__}.")


def from_typed_text(data: bytes) -> str | datetime.date:
    """Read a value serialised by typed_text."""
    kind, body = data[:1], data[1:]
    if kind == b"s":
        return body.decode()
    if kind == b"d":
        return datetime.date.fromisoformat(body.decode())
    raise UndecryptableValue("A decrypted value has an unknown type.")


def _uuid_bytes(value) -> bytes:
    return value.bytes if value.__class__ is uuid.UUID else uuid.UUID(str(value)).bytes


def binding(record_uuid, organization_uuid) -> bytes:
    """Return the record's and the firm's part of the associated data."""
    return _uuid_bytes(record_uuid) + _uuid_bytes(organization_uuid)


def associated_data(place: bytes, bound: bytes, version: int) -> bytes:
    """Return the AEAD's associated data: table and column, record and firm, key version."""
    return place + bound + version.to_bytes(4, "big")


def place_of(model: type[models.Model], field_name: str) -> bytes:
    """Return the table and column of a model's field, as bound into its values."""
    column = model._meta.get_field(field_name).column
    return f"ccus-vault v2|{model._meta.db_table}|{column}|".encode()


def seal_with_key(place: bytes, bound: bytes, version: int, aead, value) -> bytes:
    """Encrypt a value for one place (bound: binding()) under a given version of the firm's key."""
    nonce = os.urandom(NONCE)
    data = b"s" + value.encode() if value.__class__ is str else typed_text(value)
    aad = place + bound + version.to_bytes(4, "big")
    return HEADER.pack(FORMAT, version) + nonce + aead.encrypt(nonce, data, aad)


def seal(place: bytes, record_uuid, organization_uuid: uuid.UUID, value, bound=None) -> bytes:
    """Encrypt a value for one place under the firm's current data key.

    bound may carry binding(record_uuid, organization_uuid), computed once per record.
    """
    version, aead = current_data_key(organization_uuid)
    return seal_with_key(
        place, bound or binding(record_uuid, organization_uuid), version, aead, value
    )


def token_version(token: bytes) -> int | None:
    """Return the firm key version of a stored value, or None for the old format."""
    if token[:1] != b"\x02":
        return None
    return HEADER.unpack_from(token)[1]


def open_sealed(
    place: bytes, record_uuid, organization_uuid: uuid.UUID, token: bytes, bound=None, key=None
):
    """Decrypt a stored value of one place; raise UndecryptableValue if it is not its own.

    key may carry a (version, aead) of the firm's data key already at hand.
    """
    if token[:1] != b"\x02" or len(token) < PREFIX + 16:
        if token[:1] == LEGACY_MARK and settings.VAULT_READ_OLD_FORMAT:
            return read_legacy(token)
        raise UndecryptableValue("This value is not in a format the vault reads.")
    version = int.from_bytes(token[1:5], "big")
    aad = associated_data(place, bound or binding(record_uuid, organization_uuid), version)
    try:
        aead = (
            key[1]
            if key is not None and key[0] == version
            else data_key(organization_uuid, version)
        )
        data = aead.decrypt(token[5:PREFIX], token[PREFIX:], aad)
    except InvalidTag:
        raise UndecryptableValue(
            "This value does not belong to this record, field and firm, or was altered."
        ) from None
    return data[1:].decode() if data[:1] == b"s" else from_typed_text(data)


def encrypt_value(
    model: type[models.Model], field_name: str, record_uuid, organization, value
) -> bytes | None:
    """Return the stored form of a value for (model, field, record uuid, organization).

    For code that writes rows itself (COPY, raw SQL); organization is a firm or its UUID.
    """
    if value is None or value == "":
        return None
    organization_uuid = getattr(organization, "uuid", organization)
    return seal(place_of(model, field_name), record_uuid, organization_uuid, value)


def decrypt_value(model: type[models.Model], field_name: str, record_uuid, organization, token):
    """Return the value stored for (model, field, record uuid, organization)."""
    if token is None:
        return None
    organization_uuid = getattr(organization, "uuid", organization)
    return open_sealed(place_of(model, field_name), record_uuid, organization_uuid, bytes(token))

"""Random tokens kept only as their hash: make one, hash one, note when one was last used."""

import datetime
import hashlib
import secrets

from django.db.models import Model
from django.utils import timezone


def new_token(prefix: str = "") -> str:
    """Return a fresh URL-safe token of 256 random bits, after an optional marker."""
    return prefix + secrets.token_urlsafe(32)


def token_hash(text: str) -> str:
    """Return the SHA-256 under which a token is kept (a 256-bit token needs no slow hash)."""
    return hashlib.sha256(text.encode()).hexdigest()


def note_use(record: Model, field: str, every: datetime.timedelta) -> None:
    """Write the time of use into field, at most once per every, not on every call."""
    now, last = timezone.now(), getattr(record, field)
    if last is None or now - last > every:
        type(record)._default_manager.filter(pk=record.pk).update(**{field: now})

"""Benchmark: the encrypted field against raw AES-GCM, and a list page that decrypts nothing.

Runs on SQLite, or on PostgreSQL when DATABASE_URL points there (the field's prepared value is
the driver's binary wrapper there, which the bench unwraps as the driver would).
"""

import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vault.test_settings")

import django

django.setup()

from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from ccus.accounts.models import Worker  # noqa: E402
from ccus.accounts.validators import normalize_ccus_id  # noqa: E402
from tests.console import sign_in  # noqa: E402
from tests.factories import make_member, make_organization, make_worker  # noqa: E402
from vault.crypto import fields  # noqa: E402
from vault.crypto.blind_index import blind_index  # noqa: E402
from vault.crypto.models import FirmKey  # noqa: E402

N = 20_000
VALUES = [f"{i:014d}" for i in range(N)]
FLOOR = 1.5  # the field may cost at most this much more than the raw AEAD round trip


def timed(function) -> float:
    """Return the best of three wall-clock runs of function, in seconds."""
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return min(runs)


def raw_round_trip(keys: dict, place: bytes, record: uuid.UUID, firm: uuid.UUID) -> None:
    """The same job by hand: the firm's key, a fresh nonce, encrypt bound to table, column,
    record and firm, decrypt, read the text back."""
    for value in VALUES:
        aead = keys[firm]
        aad = place + record.bytes + firm.bytes + b"\x00\x00\x00\x01"
        nonce = os.urandom(12)
        token = aead.encrypt(nonce, b"s" + value.encode(), aad)
        assert aead.decrypt(nonce, token, aad)[1:].decode() == value


def by_hand_through_the_orm(keys: dict, place: bytes, record: uuid.UUID, firm: uuid.UUID) -> None:
    """The same job by hand in a Django app: AES-GCM bytes kept in a plain BinaryField."""
    column = FirmKey._meta.get_field("wrapped")
    for value in VALUES:
        aead = keys[firm]
        aad = place + record.bytes + firm.bytes + b"\x00\x00\x00\x01"
        nonce = os.urandom(12)
        token = b"\x02\x00\x00\x00\x01" + nonce + aead.encrypt(nonce, b"s" + value.encode(), aad)
        stored = _unwrap(column.get_db_prep_value(token, connection))
        assert aead.decrypt(stored[5:17], stored[17:], aad)[1:].decode() == value


def _unwrap(prepared) -> bytes:
    # psycopg wraps bytes for the wire (psycopg.Binary); SQLite takes them as they are.
    return bytes(getattr(prepared, "obj", prepared))


def field_round_trip(worker: Worker) -> None:
    """The field's own path: seal in pre_save, prepare for the driver, read back, open."""
    field = Worker._meta.get_field("password")
    for value in VALUES:
        worker.password = value
        stored = _unwrap(field.get_db_prep_value(field.pre_save(worker, False), connection))
        worker.__dict__["password"] = field.from_db_value(stored, None, connection)
        assert worker.password == value


def index_values() -> None:
    organization = uuid.uuid4()
    for value in VALUES:
        blind_index(organization, "ccus-id", normalize_ccus_id(value))


def list_page_decrypts(organization) -> int:
    """Count the values opened while a page of 50 masked workers is shown."""
    for n in range(60):
        make_worker(organization, name=f"技能者{n:03d}", ccus_id=f"{n:014d}", password="pw")
    client = Client()
    sign_in(client, make_member(organization, "staff"))
    opened = []
    original = fields.open_sealed
    fields.open_sealed = lambda *args: opened.append(1) or original(*args)
    try:
        assert client.get("/workers/").status_code == 200
    finally:
        fields.open_sealed = original
    return len(opened)


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        organization = make_organization("ベンチ建設")
        worker = Worker(organization=organization, name="ベンチ")
        place = b"ccus-vault v2|ccus_worker|password|"
        keys = {organization.uuid: AESGCM(AESGCM.generate_key(256))}
        raw = timed(lambda: raw_round_trip(keys, place, worker.uuid, organization.uuid))
        by_hand = timed(
            lambda: by_hand_through_the_orm(keys, place, worker.uuid, organization.uuid)
        )
        rows = [
            ("raw AES-256-GCM encrypt+decrypt", raw),
            ("by hand, through a BinaryField", by_hand),
            ("vault field seal+open (password)", timed(lambda: field_round_trip(worker))),
            ("vault blind index (normalise + HMAC)", timed(index_values)),
        ]
        baseline = rows[0][1]
        print(
            f"{connection.vendor}: {N:,} values per run, best of 3, Python {sys.version.split()[0]}"
        )
        print(f"{'operation':40} {'seconds':>8} {'per second':>12} {'vs raw':>8}")
        for name, seconds in rows:
            print(f"{name:40} {seconds:8.3f} {N / seconds:12,.0f} {seconds / baseline:7.2f}x")
        for name, floor_seconds in (("the raw AEAD round trip", raw), ("AEAD by hand", by_hand)):
            ratio = rows[2][1] / floor_seconds
            verdict = "ok" if ratio <= FLOOR else "OVER"
            print(f"field overhead {ratio:.2f}x {name} (floor {FLOOR}x): {verdict}")
        print(
            f"values opened to show a page of 50 masked workers: {list_page_decrypts(organization)}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

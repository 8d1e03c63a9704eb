"""Benchmark: the vault's field encryption and blind index against raw Fernet, same run."""

import os
import pickle
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vault.test_settings")

import django

django.setup()

from cryptography.fernet import Fernet  # noqa: E402
from django.db import connection  # noqa: E402

from ccus.accounts.models import Worker  # noqa: E402
from ccus.accounts.validators import normalize_ccus_id  # noqa: E402
from vault.crypto.blind_index import blind_index  # noqa: E402

N = 20_000
VALUES = [f"{i:014d}" for i in range(N)]


def timed(function) -> float:
    """Return the best of three wall-clock runs of function, in seconds."""
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return min(runs)


def field_round_trip() -> None:
    field = Worker._meta.get_field("password")
    for value in VALUES:
        token = field.get_db_prep_value(value, connection)
        assert field.from_db_value(token, None, connection) == value


def fernet_round_trip(fernet: Fernet) -> None:
    for value in VALUES:
        assert pickle.loads(fernet.decrypt(fernet.encrypt(pickle.dumps(value)))) == value  # noqa: S301


def index_values() -> None:
    organization = uuid.uuid4()
    for value in VALUES:
        blind_index(organization, "ccus-id", normalize_ccus_id(value))


def main() -> None:
    fernet = Fernet(Fernet.generate_key())
    rows = [
        ("raw cryptography.fernet encrypt+decrypt", timed(lambda: fernet_round_trip(fernet))),
        ("vault field encrypt+decrypt (password)", timed(field_round_trip)),
        ("vault blind index (normalise + HMAC)", timed(index_values)),
    ]
    baseline = rows[0][1]
    print(f"{N:,} values per run, best of 3, Python {sys.version.split()[0]}")
    print(f"{'operation':44} {'seconds':>8} {'per second':>12} {'vs fernet':>10}")
    for name, seconds in rows:
        print(f"{name:44} {seconds:8.3f} {N / seconds:12,.0f} {seconds / baseline:9.2f}x")


if __name__ == "__main__":
    main()

"""Plaintexts never reach the database: raw SQLite file bytes and raw PostgreSQL rows."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

from ccus.accounts.models import Worker
from ccus.accounts.services import refresh_derived
from tests.factories import SECRETS, make_secret_worker
from vault.firms.models import Organization

ROUND_ABOUT = {"uuid", "created_at", "updated_at", "last_confirmed_at"}


def _needles() -> list[bytes]:
    needles = []
    for value in SECRETS.values():
        needles += [value.encode(), value.encode().hex().encode(), value.encode("utf-16-le")]
    return needles


@pytest.mark.django_db(databases=["sqlite_file", "default"], transaction=True)
def test_it_keeps_no_plaintext_in_the_sqlite_file():
    organization = Organization.objects.using("sqlite_file").create(name="ファイル建設")
    worker = Worker(organization=organization, name="秘密 太郎", **SECRETS)
    worker.birth_date = datetime.date(1981, 2, 3)
    refresh_derived(worker)
    worker.save(using="sqlite_file")
    connections["sqlite_file"].close()
    raw = Path(settings.DATABASES["sqlite_file"]["TEST"]["NAME"]).read_bytes()
    # Blind indexes are hex text: a 4-digit code can turn up inside one by chance.
    raw = re.sub(rb"v1\|[0-9a-f]{64}", b"", raw)
    # So are UUIDs, and timestamps have microseconds: drop both before looking for a code.
    raw = re.sub(rb"[0-9a-f]{32}|\d{4}-\d\d-\d\d[ T][\d:.]+", b"", raw)
    assert "秘密 太郎".encode() in raw  # names are plain: the file really holds the row
    for needle in _needles():
        assert needle not in raw
    assert Worker.objects.using("sqlite_file").get(pk=worker.pk).password == SECRETS["password"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_it_keeps_no_plaintext_in_postgresql_rows(organization):
    make_secret_worker(organization)
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(w)::text FROM ccus_worker w")
        rows = [json.loads(row[0]) for row in cursor.fetchall()]
    assert rows[0]["name"] == "秘密 太郎"
    for column, stored in rows[0].items():
        if not isinstance(stored, str) or stored.startswith("v1|") or column in ROUND_ABOUT:
            continue  # numbers, flags, blind indexes, UUIDs and times may hold any 4 digits
        raw = bytes.fromhex(stored[2:]) if stored.startswith("\\x") else stored.encode()
        for value in SECRETS.values():
            assert value.encode() not in raw, column

"""Old-format values stay readable, and migrate_encryption rewrites them bound and verified."""

import datetime
import io
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from ccus.accounts.models import Worker
from tests.factories import SECRETS, make_secret_worker
from vault.crypto.envelope import token_version
from vault.crypto.keyring import key_ring

ROOT = Path(__file__).resolve().parent.parent.parent.parent
OLD_FIELDS = {**SECRETS, "birth_date": datetime.date(1981, 2, 3)}


def old_token(value) -> bytes:
    """Encrypt a value as the vault did before: django-cryptography's Fernet over a pickle."""
    return key_ring().encrypt(pickle.dumps(value))


def make_old_format(worker: Worker) -> None:
    """Store every secret of a worker in the old format, as an older CCUS Vault left it."""
    columns = ", ".join(f"{name} = %s" for name in OLD_FIELDS)
    values = [old_token(value) for value in OLD_FIELDS.values()]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE ccus_worker SET {columns} WHERE id = %s", [*values, worker.pk])  # noqa: S608


def _tokens(worker: Worker) -> list[bytes]:
    row = Worker.objects.filter(pk=worker.pk).values_list(*OLD_FIELDS).get()
    return [bytes(token) for token in row]


def _migrate(**options) -> str:
    out = io.StringIO()
    call_command("migrate_encryption", stdout=out, no_progress=True, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_it_reads_old_format_values_until_they_are_migrated(organization):
    worker = make_secret_worker(organization)
    make_old_format(worker)
    assert all(token_version(token) is None for token in _tokens(worker))
    fresh = Worker.objects.get(pk=worker.pk)
    assert {name: getattr(fresh, name) for name in OLD_FIELDS} == OLD_FIELDS


@pytest.mark.django_db
def test_it_rewrites_old_values_bound_to_their_record_and_verifies_them(organization):
    worker = make_secret_worker(organization)
    make_old_format(worker)
    report = _migrate()
    assert "ccus.Worker: rows=1 current=0 rewritten=10 verified=10" in report
    assert all(token_version(token) == 1 for token in _tokens(worker))
    fresh = Worker.objects.get(pk=worker.pk)
    assert {name: getattr(fresh, name) for name in OLD_FIELDS} == OLD_FIELDS
    assert "ccus.Worker: rows=1 current=10 rewritten=0" in _migrate()


@pytest.mark.django_db
def test_it_counts_without_writing_on_a_dry_run(organization):
    worker = make_secret_worker(organization)
    make_old_format(worker)
    assert "stale=10" in _migrate(dry_run=True)
    assert all(token_version(token) is None for token in _tokens(worker))


@pytest.mark.django_db
def test_its_data_migration_rewrites_a_small_database(organization):
    migration = __import__("ccus.migrations.0012_encryption_v2", fromlist=["rewrite_old_format"])
    worker = make_secret_worker(organization)
    make_old_format(worker)

    class Editor:
        connection = connection

    migration.rewrite_old_format(apps, Editor())
    assert all(token_version(token) == 1 for token in _tokens(worker))


def test_it_never_unpickles_anything():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bandit",
            "-q",
            "-r",
            "vault",
            "ccus",
            "-t",
            "B301,B403",
            "-f",
            "txt",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
    assert "nosec" not in (ROOT / "vault" / "crypto" / "legacy.py").read_text()


def test_it_refuses_an_old_value_holding_anything_but_text_or_a_date():
    from vault.crypto.keyring import UndecryptableValue
    from vault.crypto.legacy import read_legacy

    class Payload:
        def __reduce__(self):
            return (print, ("never run",))

    with pytest.raises(UndecryptableValue):
        read_legacy(old_token(Payload()))
    with pytest.raises(UndecryptableValue):
        read_legacy(old_token(["a", "list"]))
    assert read_legacy(old_token(datetime.date(2001, 12, 31))) == datetime.date(2001, 12, 31)
    assert read_legacy(old_token("日本語")) == "日本語"

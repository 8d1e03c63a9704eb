"""deploy/backup-postgres.sh: a dump that restores to the same rows, checked, or a failure."""

import os
import subprocess
import uuid

import pytest
from django.conf import settings
from django.db import connection

from ccus.accounts.models import Worker
from tests.factories import SECRETS, make_organization, make_secret_worker
from tests.live import ROOT

pytestmark = pytest.mark.postgres
SCRIPT = ROOT / "deploy" / "backup-postgres.sh"


def _url(name: str) -> str:
    database = settings.DATABASES["default"]
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{name}"


def _backup(tmp_path, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "BACKUP_DIR": str(tmp_path / "backups"),
           "ENV_FILE": os.devnull}  # fmt: skip
    return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_it_writes_a_dump_that_restores_to_the_same_rows(tmp_path):
    worker = make_secret_worker(make_organization("控え建設"))
    result = _backup(tmp_path, _url(connection.settings_dict["NAME"]))
    assert result.returncode == 0, result.stderr
    [dump] = (tmp_path / "backups").glob("ccus-vault-*.dump")
    assert oct(dump.stat().st_mode & 0o777) == "0o600"
    check = subprocess.run(["sha256sum", "--check", f"{dump.name}.sha256"], cwd=dump.parent,
                           capture_output=True, text=True)  # fmt: skip
    assert check.returncode == 0, check.stdout
    assert SECRETS["password"].encode() not in dump.read_bytes()
    scratch = f"restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{scratch}"')
    try:
        restore = subprocess.run(
            ["pg_restore", "--no-owner", "--dbname", _url(scratch), str(dump)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert restore.returncode == 0, restore.stderr
        rows = subprocess.run(
            ["psql", _url(scratch), "--tuples-only", "--no-align", "--command",
             f"SELECT name, password FROM ccus_worker WHERE uuid = '{worker.uuid}'"],  # noqa: S608
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        name, ciphertext = rows.split("|")
        assert name == "秘密 太郎" and SECRETS["password"] not in ciphertext
        assert Worker.objects.get(uuid=worker.uuid).password == SECRETS["password"]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{scratch}" WITH (FORCE)')


@pytest.mark.django_db
def test_it_fails_and_leaves_no_dump_when_the_database_does_not_answer(tmp_path):
    result = _backup(tmp_path, _url("no_such_database_here"))
    assert result.returncode != 0
    assert not list((tmp_path / "backups").glob("*.dump"))

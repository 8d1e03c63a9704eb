"""The disaster drill: a PostgreSQL dump restored into a fresh database; a sample of it read."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from tests.ccus.rosters.backups import make_awkward_firm, make_many_workers
from tests.factories import leaked, make_member, make_organization
from tests.integration.conftest import ROOT

pytestmark = pytest.mark.postgres
DRILL = ROOT / "deploy" / "restore-drill.sh"
BACKUP = ROOT / "deploy" / "backup-postgres.sh"


def _server_url(name: str) -> str:
    database = settings.DATABASES["default"]
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{name}"


def _drill(*dumps, **env) -> subprocess.CompletedProcess:
    """Run the drill on the test database's server, into a drill database named after it."""
    base = {
        **os.environ,
        "DATABASE_URL": _server_url(connection.settings_dict["NAME"]),
        "DJANGO_SETTINGS_MODULE": "vault.test_settings",
        "DRILL_DATABASE": f"{connection.settings_dict['NAME']}_drill",
        "ENV_FILE": os.devnull,
        "PYTHON": sys.executable,
        "SAMPLE": "30",
    }
    return subprocess.run(
        ["bash", str(DRILL), *map(str, dumps)],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _drill_database_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s",
            [f"{connection.settings_dict['NAME']}_drill"],
        )
        return cursor.fetchone() is not None


def _nightly_backup(tmp_path, **env) -> None:
    """Run the nightly backup routine (deploy/backup-postgres.sh) into folders of tmp_path."""
    subprocess.run(
        ["bash", str(BACKUP)], cwd=ROOT, check=True, capture_output=True, timeout=120,
        env={**os.environ, "DATABASE_URL": _server_url(connection.settings_dict["NAME"]),
             "BACKUP_DIR": str(tmp_path / "backups"), "ENV_FILE": os.devnull,
             "KEYS_BACKUP_DIR": str(tmp_path / "key-backups"), "PYTHON": sys.executable, **env},
    )  # fmt: skip


@pytest.fixture
def nightly_dump(transactional_db, tmp_path):
    """The firm's database dumped by the nightly backup routine, with its checksum."""
    organization = make_organization("訓練建設")
    make_awkward_firm(organization, make_member(organization, "owner"))
    make_many_workers(organization, 200)
    _nightly_backup(tmp_path)
    [dump] = (tmp_path / "backups").glob("ccus-vault-*.dump")
    return dump


def test_it_restores_a_dump_into_a_fresh_database_and_reads_a_sample_of_secrets(nightly_dump):
    result = _drill(nightly_dump)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "ccus.Worker: records=30 values=" in result.stdout
    # The sample of 30 may hold the one worker without an ID or email, whose index is not checked.
    assert re.search(
        r"ccus\.Worker: .* unreadable=0 indexes=(29|30) index_mismatch=0", result.stdout
    )
    assert "drill=passed" in result.stdout
    assert leaked(result.stdout + result.stderr) == []
    assert not _drill_database_exists()


MAKE_FIRM = """
import django
django.setup()
from tests.ccus.rosters.backups import make_awkward_firm
from tests.factories import make_member, make_organization
firm = make_organization("鍵は別建設")
make_awkward_firm(firm, make_member(firm, "owner"))
"""


@pytest.mark.django_db(transaction=True)
def test_it_restores_the_key_table_kept_apart_and_refuses_to_go_on_without_it(tmp_path):
    # The firms' data keys in a database of their own, as the README asks of production.
    keys = tmp_path / "keys.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vault.test_settings",
           "DATABASE_URL": _server_url(connection.settings_dict["NAME"]),
           "VAULT_KEYS_DATABASE_URL": f"sqlite:///{keys}"}  # fmt: skip
    for args in (["manage.py", "migrate", "--database", "keys", "--verbosity", "0"],
                 ["-c", MAKE_FIRM]):  # fmt: skip
        subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, timeout=120)
    _nightly_backup(tmp_path, VAULT_KEYS_DATABASE_URL=env["VAULT_KEYS_DATABASE_URL"])
    [keys_dump] = (tmp_path / "key-backups").glob("ccus-vault-keys-*.sqlite3")
    assert keys_dump.with_name(f"{keys_dump.name}.sha256").exists()
    [dump] = (tmp_path / "backups").glob("ccus-vault-*.dump")
    missing = _drill(dump, VAULT_KEYS_DATABASE_URL=env["VAULT_KEYS_DATABASE_URL"],
                     KEYS_BACKUP_DIR=str(tmp_path / "nowhere"))  # fmt: skip
    assert missing.returncode != 0 and "drill=failed reason=no-keys-dump" in missing.stderr
    assert not _drill_database_exists()
    # With no dump named, the drill takes the newest of each folder of the backup routine.
    result = _drill(VAULT_KEYS_DATABASE_URL=env["VAULT_KEYS_DATABASE_URL"],
                    BACKUP_DIR=str(tmp_path / "backups"),
                    KEYS_BACKUP_DIR=str(tmp_path / "key-backups"))  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "ccus.Worker: records=3 values=" in result.stdout and "unreadable=0" in result.stdout
    assert "drill=passed" in result.stdout
    assert not _drill_database_exists()


def test_it_refuses_a_dump_that_does_not_match_its_checksum(nightly_dump):
    with nightly_dump.open("r+b") as dump:
        dump.seek(-200, os.SEEK_END)
        dump.write(b"\0" * 50)
    result = _drill(nightly_dump)
    assert result.returncode != 0 and "FAILED" in result.stdout + result.stderr
    assert not _drill_database_exists()

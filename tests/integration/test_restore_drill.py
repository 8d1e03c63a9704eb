"""The disaster drill: a PostgreSQL dump restored into a fresh database; a sample of it read."""

import hashlib
import os
import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from tests.ccus.rosters.backups import make_awkward_firm, make_many_workers
from tests.factories import SECRETS, make_member, make_organization
from tests.integration.conftest import ROOT

pytestmark = pytest.mark.postgres
DRILL = ROOT / "deploy" / "restore-drill.sh"


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


@pytest.fixture
def nightly_dump(transactional_db, tmp_path):
    """The firm's database dumped as the nightly backup routine does, with its checksum."""
    organization = make_organization("訓練建設")
    make_awkward_firm(organization, make_member(organization, "owner"))
    make_many_workers(organization, 200)
    dump = tmp_path / "ccus-vault-20261130T180000Z.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--compress=6", "--no-owner", "--no-privileges",
         f"--file={dump}", f"--dbname={_server_url(connection.settings_dict['NAME'])}"],
        check=True,
    )  # fmt: skip
    digest = hashlib.sha256(dump.read_bytes()).hexdigest()
    dump.with_name(f"{dump.name}.sha256").write_text(f"{digest}  {dump.name}\n")
    return dump


def test_it_restores_a_dump_into_a_fresh_database_and_reads_a_sample_of_secrets(nightly_dump):
    result = _drill(nightly_dump)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "ccus.Worker: records=30 values=" in result.stdout
    assert "unreadable=0 indexes=30 index_mismatch=0" in result.stdout
    assert "drill=passed" in result.stdout
    for value in SECRETS.values():
        assert value not in result.stdout + result.stderr
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
    dump = tmp_path / "ccus-vault-20261130T180000Z.dump"
    pg_dump = ["pg_dump", "--format=custom", f"--file={dump}", f"--dbname={env['DATABASE_URL']}"]
    subprocess.run(pg_dump, check=True)
    keys_dump = tmp_path / "ccus-vault-keys-20261130T180000Z.sqlite3"
    sqlite3.connect(keys).backup(sqlite3.connect(keys_dump))
    missing = _drill(dump, VAULT_KEYS_DATABASE_URL=env["VAULT_KEYS_DATABASE_URL"],
                     KEYS_BACKUP_DIR=str(tmp_path / "nowhere"))  # fmt: skip
    assert missing.returncode != 0 and "drill=failed reason=no-keys-dump" in missing.stderr
    assert not _drill_database_exists()
    result = _drill(dump, keys_dump, VAULT_KEYS_DATABASE_URL=env["VAULT_KEYS_DATABASE_URL"])
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

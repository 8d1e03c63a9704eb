"""The disaster drill: a PostgreSQL dump restored into a fresh database; a sample of it read."""

import hashlib
import os
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


def _drill(dump, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(DRILL), str(dump)],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": _server_url(connection.settings_dict["NAME"]),
            "DJANGO_SETTINGS_MODULE": "vault.test_settings",
            "DRILL_DATABASE": f"{connection.settings_dict['NAME']}_drill",
            "ENV_FILE": os.devnull,
            "PYTHON": sys.executable,
            "SAMPLE": "30",
            **env,
        },
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


def test_it_fails_and_says_why_without_the_keys_kept_apart(nightly_dump):
    result = _drill(nightly_dump, VAULT_ENCRYPTION_KEYS="a-key-that-never-wrote-anything-000000000")
    assert result.returncode != 0
    assert "cannot be read with VAULT_ENCRYPTION_KEYS" in result.stderr
    assert "drill=passed" not in result.stdout
    assert not _drill_database_exists()
    wrong_index = _drill(
        nightly_dump, VAULT_BLIND_INDEX_KEY="another-blind-index-key-0000000000000"
    )
    assert "searches by ID would not find them" in wrong_index.stderr


def test_it_refuses_a_dump_that_does_not_match_its_checksum(nightly_dump):
    with nightly_dump.open("r+b") as dump:
        dump.seek(-200, os.SEEK_END)
        dump.write(b"\0" * 50)
    result = _drill(nightly_dump)
    assert result.returncode != 0 and "FAILED" in result.stdout + result.stderr
    assert not _drill_database_exists()

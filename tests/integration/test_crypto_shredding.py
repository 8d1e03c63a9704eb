"""Deleting a firm destroys its data key: its rows in a dump taken before are unreadable."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from tests.integration.conftest import ROOT

pytestmark = pytest.mark.postgres

MAKE_FIRMS = """
import django
django.setup()
from tests.factories import make_organization, make_secret_worker
for name in ("消える建設", "残る建設"):
    firm = make_organization(name)
    make_secret_worker(firm)
    print(firm.uuid)
"""
READ_FIRMS = """
from ccus.accounts.models import Worker
from vault.crypto.fields import read_value
for worker in Worker.objects.select_related("organization").order_by("organization__name"):
    print(worker.organization.name, read_value(worker, "password"), read_value(worker, "notes"))
"""


def _run(env: dict, *args: str) -> str:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_it_makes_a_deleted_firm_unreadable_in_a_dump_taken_before(tmp_path):
    database = settings.DATABASES["default"]
    name = connection.settings_dict["NAME"]
    server = ["-h", database["HOST"], "-p", str(database["PORT"]), "-U", database["USER"]]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vault.test_settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{name}",
        # The key table in a database of its own, as the README asks of production.
        "VAULT_KEYS_DATABASE_URL": f"sqlite:///{tmp_path / 'keys.sqlite3'}",
    }
    python = sys.executable
    _run(env, python, "manage.py", "migrate", "--database", "keys", "--verbosity", "0")
    made = _run(env, python, "-c", MAKE_FIRMS + READ_FIRMS).splitlines()
    gone, before = made[0], "\n".join(made[2:])
    assert "消える建設 Pa55-secret-word 秘密のメモ" in before

    dump = tmp_path / "before-deletion.dump"
    _run(env, "pg_dump", *server, "--format", "custom", "--file", str(dump), name)
    assert "Deleted" in _run(env, python, "manage.py", "delete_firm", gone, "--yes")
    connection.close()
    # Restore last night's backup over the live database, as after a disaster.
    _run(env, "pg_restore", *server, "--clean", "--if-exists", "--dbname", name, str(dump))

    after = _run(env, python, "-c", "import django; django.setup()" + READ_FIRMS)
    assert "消える建設 読めません（改ざんの可能性） 読めません（改ざんの可能性）" in after
    assert "Pa55-secret-word" in after.split("残る建設", 1)[1]  # the other firm reads as before
    assert after.count("Pa55-secret-word") == 1 and "秘密のメモ" in after

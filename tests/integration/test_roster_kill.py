"""A roster import killed in the middle of its write leaves the database exactly as before."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from ccus.accounts.models import Worker
from tests.factories import make_organization, make_worker
from tests.integration.conftest import ROOT

pytestmark = pytest.mark.postgres

SCRIPT = """
import sys, time, django
django.setup()
from ccus.rosters import importer
from ccus.rosters.read import read_roster
from ccus.rosters.rows import check_rows, map_headers
from vault.firms.models import Organization

def stall(**kwargs):
    print("WRITTEN", flush=True)  # every row is written, the transaction is still open
    time.sleep(60)

importer.audit_record = stall
organization = Organization.objects.get(name="取込建設")
lines = ["氏名,技能者ID"] + [f"技能者{n},{n:014d}" for n in range(1, 3001)]
sheet = read_roster(("\\r\\n".join(lines)).encode(), "roster.csv")
rows = check_rows(organization, sheet, map_headers(sheet.header))
importer.roster_import(organization=organization, results=rows, actor=None, request=None)
"""


@pytest.mark.django_db(transaction=True)
def test_it_leaves_the_database_as_before_when_the_process_is_killed_mid_write():
    organization = make_organization("取込建設")
    make_worker(organization, name="既存", ccus_id="99999999999999")
    database = settings.DATABASES["default"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vault.test_settings",
           "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
                           f"{connection.settings_dict['NAME']}"}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    line = process.stdout.readline()
    assert line.strip() == "WRITTEN", process.stderr.read()[-2000:]
    assert time.monotonic() < deadline
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    for _ in range(50):  # the server notices the dead connection and rolls back
        if Worker.objects.count() == 1:
            break
        time.sleep(0.1)
    assert list(Worker.objects.values_list("name", flat=True)) == ["既存"]

"""migrate_encryption on 100,000 old-format rows, killed halfway and run again: nothing lost."""

import io
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from ccus.accounts.models import Worker
from tests.factories import make_organization
from tests.integration.conftest import ROOT
from tests.vault.crypto.test_migration import old_token
from vault.crypto import firm_keys
from vault.crypto.envelope import decrypt_value

pytestmark = pytest.mark.postgres
ROWS = 100_000


def _insert_old_rows(organization) -> None:
    """COPY 100,000 workers whose password is in the old format, as an older vault left them."""
    now = timezone.now()
    # Old values are bound to nothing, so one token may stand in many rows: 1,000 are enough.
    tokens = [old_token(f"pw-{n}") for n in range(1000)]
    columns = ("uuid", "organization_id", "name", "name_kana", "ccus_id_last4", "hint_is_code",
               "status", "created_at", "updated_at", "search_text", "password")  # fmt: skip
    with connection.cursor() as cursor:
        copy = f"COPY ccus_worker ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(copy) as writer:
            for n in range(ROWS):
                writer.write_row(
                    (uuid.uuid4(), organization.pk, f"技能者{n}", "", "", False, "active", now, now,
                     "", tokens[n % 1000])
                )  # fmt: skip


def _migrated() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ccus_worker WHERE get_byte(password, 0) = 2")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_it_resumes_after_a_kill_halfway_and_loses_nothing():
    organization = make_organization("移行建設")
    _insert_old_rows(organization)
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vault.test_settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{connection.settings_dict['NAME']}",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "migrate_encryption", "--batch-size", "1000"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while _migrated() < ROWS // 2:
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline, "the migration did not get halfway"
        time.sleep(0.5)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)
    progress_bar = process.stderr.read().decode()
    assert "rows/s" in progress_bar or "rows]" in progress_bar  # tqdm was drawing
    halfway = _migrated()
    assert ROWS // 2 <= halfway < ROWS
    firm_keys.forget()
    sample = Worker.objects.order_by("-id")[0]  # not migrated yet: still readable
    assert sample.password == f"pw-{(ROWS - 1) % 1000}"

    out = io.StringIO()
    call_command("migrate_encryption", stdout=out, no_progress=True, batch_size=2000)
    report = out.getvalue()
    assert f"rewritten={ROWS - halfway} verified={ROWS - halfway}" in report, report
    assert "unreadable=0" in report
    assert _migrated() == ROWS
    firm_keys.forget()
    rows = Worker.objects.values_list("name", "uuid", "password").iterator(5000)
    for name, record, token in rows:
        number = int(name.removeprefix("技能者"))
        value = decrypt_value(Worker, "password", record, organization.uuid, token)
        assert value == f"pw-{number % 1000}"

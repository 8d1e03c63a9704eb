"""Keys rotated on PostgreSQL while another process edits and adds the same firm's accounts:
no edit lost, every value opens with the new keys alone; a run killed halfway is finished; a
row a writer holds is left to the next run, the old key kept for it."""

import io
import json
import os
import signal
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from ccus.accounts.models import Worker
from tests.ccus.rosters.backups import make_many_workers
from tests.factories import make_organization
from tests.integration.conftest import ROOT
from vault.crypto import firm_keys
from vault.crypto.fields import encrypted_fields
from vault.crypto.models import FirmKey
from vault.crypto.retire import stale_values

pytestmark = pytest.mark.postgres

WORKERS = 400
OLD = os.environ.get("VAULT_ENCRYPTION_KEYS", "test-encryption-key-0000000000000000000000000")
NEW = "the-next-master-key-22222222222222222222222222"
WRITER = ROOT / "tests" / "integration" / "account_writer.py"


def _env() -> dict:
    database = settings.DATABASES["default"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vault.test_settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{connection.settings_dict['NAME']}",
        # Every process restarted with the new master key first and the old one after it.
        "VAULT_ENCRYPTION_KEYS": f"{NEW},{OLD}",
        "VAULT_KEY_CACHE_SECONDS": "1",
    }


def _start(*args: str, **options) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, env=_env(), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True, **options,
    )  # fmt: skip


def _firm_and_writer(stop) -> tuple:
    """Make the firm; return it, its values opened, and the writing process, under way."""
    organization = make_organization("鍵交換建設")
    make_many_workers(organization, WORKERS)
    before = _opened(organization)
    writer = _start(str(WRITER), organization.name, str(stop))
    assert writer.stdout.readline().strip() == "WRITING", writer.stderr.read()[-2000:]
    return organization, before, writer


def _stop(writer: subprocess.Popen, stop) -> dict:
    """Stop the writing process; return the last password and notes it wrote per account."""
    stop.touch()
    return json.loads(_finish(writer).strip().splitlines()[-1])


def _rotate(organization, *options: str) -> subprocess.Popen:
    return _start("manage.py", "rotate_keys", "--firm", str(organization.uuid), *options)


def _finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, (out + err)[-3000:]
    return out


def _opened(organization) -> dict:
    """Return every encrypted value of the firm's workers, opened, by worker UUID."""
    fields = [field.name for field in encrypted_fields(Worker)]
    workers = Worker.objects.filter(organization=organization).select_related("organization")
    return {str(w.uuid): {name: getattr(w, name) for name in fields} for w in workers}


def _expected(before: dict, last: dict) -> dict:
    expected = {record: dict(values) for record, values in before.items()}
    for record, (password, notes) in last.items():
        values = expected.setdefault(record, {})
        values.update(password=password, notes=notes)
    return expected


def _assert_only_the_new_keys_open_everything(organization, expected: dict) -> None:
    versions = list(FirmKey.objects.filter(organization_uuid=organization.uuid)
                    .values_list("version", flat=True))  # fmt: skip
    assert len(versions) == 1, versions
    assert stale_values(organization.uuid, versions[0]) == 0
    firm_keys.forget()
    with override_settings(VAULT_ENCRYPTION_KEYS=[NEW]):  # the old master key retired
        opened = _opened(organization)
    assert len(opened) == len(expected)
    for record, values in expected.items():
        for name, value in values.items():
            assert opened[record][name] == value, (record, name)


@pytest.mark.django_db(transaction=True)
def test_it_loses_no_edit_while_the_keys_rotate_under_a_writing_process(tmp_path):
    organization, before, writer = _firm_and_writer(tmp_path / "stop")
    assert "rewrapped=1" in _finish(_start("manage.py", "rotate_keys"))
    report = _finish(_rotate(organization, "--batch-size", "25"))
    last = _stop(writer, tmp_path / "stop")
    assert f"pass 1: {WORKERS:,} of" in report and "old keys destroyed=1" in report, report
    assert "unreadable=0" in report
    assert any(record not in before for record in last)  # accounts added meanwhile
    _assert_only_the_new_keys_open_everything(organization, _expected(before, last))


@pytest.mark.django_db(transaction=True)
def test_it_finishes_a_rotation_killed_halfway_while_a_process_writes(tmp_path):
    organization, before, writer = _firm_and_writer(tmp_path / "stop")
    rotation = _rotate(organization, "--batch-size", "10")
    for line in rotation.stdout:
        if line.startswith(f"pass 1: {WORKERS // 4} of"):
            break
    else:
        pytest.fail(rotation.stderr.read()[-2000:])
    os.killpg(rotation.pid, signal.SIGKILL)
    rotation.wait(10)
    versions = FirmKey.objects.filter(organization_uuid=organization.uuid)
    assert sorted(versions.values_list("version", flat=True)) == [1, 2]
    halfway = stale_values(organization.uuid, 2)
    assert 0 < halfway < WORKERS * 10

    report = _finish(_rotate(organization, "--batch-size", "50"))
    last = _stop(writer, tmp_path / "stop")
    assert "Finishing the rotation to key version 2:" in report, report
    assert "old keys destroyed=1" in report and "unreadable=0" in report, report
    _assert_only_the_new_keys_open_everything(organization, _expected(before, last))


@pytest.mark.django_db(transaction=True)
@override_settings(VAULT_KEY_CACHE_SECONDS=0)
def test_it_leaves_a_row_a_writer_holds_to_the_next_run_and_keeps_the_old_key_meanwhile():
    organization = make_organization("鍵交換建設")
    make_many_workers(organization, 30)
    before = _opened(organization)
    held = Worker.objects.filter(organization=organization).order_by("pk")[10]
    with psycopg.connect(_env()["DATABASE_URL"]) as writer:  # a save that takes its time
        writer.execute("SELECT 1 FROM ccus_worker WHERE id = %s FOR UPDATE", [held.pk])
        report = io.StringIO()
        call_command("rotate_keys", firm=organization.uuid, stdout=report)
    assert "held_by_writers=" in report.getvalue() and "held_by_writers=0" not in report.getvalue()
    assert "old keys destroyed=0 kept=1" in report.getvalue()
    assert "run the command again" in report.getvalue()
    assert stale_values(organization.uuid, 2) == 10  # the held row's values, and only those

    report = io.StringIO()
    call_command("rotate_keys", firm=organization.uuid, stdout=report)
    assert "to key version 2: 10 values still under an older key" in report.getvalue()
    assert "old keys destroyed=1" in report.getvalue()
    firm_keys.forget()
    assert stale_values(organization.uuid, 2) == 0 and _opened(organization) == before

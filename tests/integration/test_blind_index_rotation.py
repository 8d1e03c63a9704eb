"""A blind-index key changed under load on PostgreSQL: processes on either side of each restart
insert the same IDs while the rotation command runs; one account per ID, every one found after."""

import json
import os
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from ccus.accounts.lookup import filter_by_ccus_id
from ccus.accounts.models import Worker
from tests.factories import make_organization, make_worker
from tests.integration.conftest import ROOT

pytestmark = pytest.mark.postgres

OLD = "test-blind-index-key-000000000000000000000000"  # the key of the test settings (v1)
NEW = "the-next-blind-index-key-11111111111111111111"
# What each process is started with: before the change, during it, after it.
PHASES = {
    "before": {},
    "switch": {"VAULT_BLIND_INDEX_KEYS": f"v2:{NEW},v1:{OLD}"},
    "after": {"VAULT_BLIND_INDEX_KEYS": f"v2:{NEW}"},
}
INSERT = """
import json, sys, django
django.setup()
from django.core.exceptions import ValidationError
from django.db import transaction
from ccus.accounts.services import worker_create
from vault.firms.models import Organization

organization = Organization.objects.get(name=sys.argv[1])
ids, hold = json.loads(sys.argv[2]), sys.argv[3] == "hold"
print("READY", flush=True)
sys.stdin.readline()
outcome = {"saved": 0, "duplicate": 0}
for number, ccus_id in enumerate(ids):
    try:
        with transaction.atomic():
            name = f"{sys.argv[4]}-{number}"
            worker_create(organization=organization, name=name, ccus_id=ccus_id)
            if hold:  # keep the insert uncommitted until told to go on
                print("INSERTED", flush=True)
                sys.stdin.readline()
        outcome["saved"] += 1
    except ValidationError as error:
        outcome[error.error_dict["ccus_id"][0].code] += 1
print(json.dumps(outcome), flush=True)
"""


def _env(phase: str) -> dict:
    database = settings.DATABASES["default"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAULT_BLIND_INDEX_KEY")}
    return {
        **env, **PHASES[phase], "DJANGO_SETTINGS_MODULE": "vault.test_settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
                        f"{connection.settings_dict['NAME']}",
    }  # fmt: skip


def _inserters(*specs: tuple) -> list[subprocess.Popen]:
    """Start one inserting process per (phase, ids, hold), all at once; return them ready."""
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                INSERT,
                "回転建設",
                json.dumps(ids),
                "hold" if hold else "go",
                phase,
            ],
            cwd=ROOT,
            env=_env(phase),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for phase, ids, hold in specs
    ]
    for process in processes:
        assert process.stdout.readline().strip() == "READY", process.stderr.read()[-2000:]
    return processes


def _go(process: subprocess.Popen) -> None:
    process.stdin.write("\n")
    process.stdin.flush()


def _outcome(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err[-2000:]
    return json.loads(out.strip().splitlines()[-1])


def _rotation(phase: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "rotate_blind_index", "--batch-size", "20"],
        cwd=ROOT, env=_env(phase), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _held_race(first: str, second: str, ccus_id: str) -> tuple[dict, dict]:
    """Insert one ID from a process of each phase, the first held uncommitted meanwhile."""
    holder, other = _inserters((first, [ccus_id], True), (second, [ccus_id], False))
    _go(holder)
    assert holder.stdout.readline().strip() == "INSERTED"
    _go(other)
    time.sleep(0.5)
    # The second insert passed the check in Python (the first is not committed) and must
    # now wait on a unique index shared by the two phases.
    assert other.poll() is None, "the second insert should wait on a unique index"
    _go(holder)
    return _outcome(holder), _outcome(other)


def _race(first: str, second: str, ids: list[str], rotation: subprocess.Popen) -> int:
    """Two processes insert the same IDs (in opposite orders) while the rotation runs."""
    one, two = _inserters((first, ids, False), (second, ids[::-1], False))
    _go(one)
    _go(two)
    outcomes = [_outcome(one), _outcome(two)]
    _out, err = rotation.communicate(timeout=120)
    assert rotation.returncode in (0, 1), err[-2000:]
    assert sum(o["saved"] for o in outcomes) == len(ids)
    return sum(o["duplicate"] for o in outcomes)


@pytest.mark.django_db(transaction=True)
def test_it_keeps_one_account_per_id_while_the_key_changes_under_concurrent_inserts():
    organization = make_organization("回転建設")
    for n in range(40):
        make_worker(organization, name=f"既存{n}", ccus_id=f"{10000000000000 + n}")
    # Restart from "before" to "switch": the two kinds of process collide on the oldest column.
    assert _held_race("before", "switch", "20000000000000") == (
        {"saved": 1, "duplicate": 0}, {"saved": 0, "duplicate": 1}
    )  # fmt: skip
    batch = [f"{30000000000000 + n}" for n in range(60)]
    assert _race("before", "switch", batch, _rotation("switch")) == len(batch)
    with override_settings(VAULT_BLIND_INDEX_KEYS=PHASES["switch"]["VAULT_BLIND_INDEX_KEYS"]
                           .split(",")):  # fmt: skip
        call_command("rotate_blind_index", verbosity=0)  # what "before" wrote meanwhile
    assert not Worker.objects.exclude(ccus_id_index_new__startswith="v2|").exists()
    # Restart from "switch" to "after": the two collide on the newest column.
    assert _held_race("switch", "after", "40000000000000") == (
        {"saved": 1, "duplicate": 0}, {"saved": 0, "duplicate": 1}
    )  # fmt: skip
    batch = [f"{50000000000000 + n}" for n in range(60)]
    assert _race("switch", "after", batch, _rotation("after")) == len(batch)
    with override_settings(VAULT_BLIND_INDEX_KEYS=[f"v2:{NEW}"]):
        call_command("rotate_blind_index", verbosity=0)  # what "switch" wrote meanwhile
        ids = Counter(w.ccus_id for w in Worker.objects.only("ccus_id"))
        assert len(ids) == 40 + 1 + 60 + 1 + 60 and set(ids.values()) == {1}
        for ccus_id in ids:
            assert filter_by_ccus_id(Worker.objects, organization, ccus_id).count() == 1
    assert not Worker.objects.exclude(ccus_id_index__startswith="v2|").exists()
    assert not Worker.objects.exclude(ccus_id_index_new__startswith="v2|").exists()

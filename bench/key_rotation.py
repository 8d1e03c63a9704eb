"""Benchmark: a firm of 5,000 workers re-encrypted under a new data key, alone and while another
process edits and adds its accounts (PostgreSQL; on SQLite only the first)."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vault.test_settings")
# How long a process trusts a key it read: the rotation waits that long (and a second more)
# before its last pass. Production keeps 60 s; the figures below leave the wait out.
os.environ.setdefault("VAULT_KEY_CACHE_SECONDS", "1")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from ccus.accounts.models import Worker  # noqa: E402
from tests.ccus.rosters.backups import make_many_workers  # noqa: E402
from tests.factories import make_organization  # noqa: E402
from vault.crypto import firm_keys  # noqa: E402
from vault.crypto.retire import stale_values  # noqa: E402
from vault.crypto.rotation import firm_key_rotate, firm_key_versions  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORKERS = int(os.environ.get("BENCH_WORKERS", 5_000))
FIRM = "鍵交換建設"
WRITER = ROOT / "tests" / "integration" / "account_writer.py"


def rotate(organization) -> tuple:
    """Rotate the firm's key; return the counts, seconds spent working, of them on this
    process's CPU (the rest: the database, and other processes on a busy machine), and waited."""
    waited = []

    def wait(seconds: float) -> None:
        waited.append(seconds)
        time.sleep(seconds)

    start, cpu = time.perf_counter(), time.process_time()
    counts = firm_key_rotate(organization_uuid=organization.uuid, wait=wait)
    seconds, cpu = time.perf_counter() - start - sum(waited), time.process_time() - cpu
    newest = firm_key_versions(organization.uuid)
    assert len(newest) == 1 and stale_values(organization.uuid, newest[0]) == 0, counts
    return counts, seconds, cpu, sum(waited)


def report(label: str, counts, seconds: float, cpu: float, waited: float) -> None:
    values = counts["rewritten"]
    figures = " ".join(f"{name}={counts[name]}" for name in
                       ("changed_meanwhile", "taken_later", "held_by_writers"))  # fmt: skip
    print(f"{label}: {seconds:.2f} s ({values / seconds:,.0f} values/s; CPU {cpu:.2f} s), "
          f"waited {waited:.1f} s; "
          f"rewritten={values} {figures}")  # fmt: skip


def with_a_writer(organization, stop: Path):
    """Rotate while tests/integration/account_writer.py edits and adds the firm's accounts."""
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{connection.settings_dict['NAME']}",
    }
    stop.unlink(missing_ok=True)
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), FIRM, str(stop)], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert writer.stdout.readline().strip() == "WRITING"
        result = rotate(organization)
    finally:
        stop.touch()
        out, _ = writer.communicate(timeout=60)
    last = json.loads(out.strip().splitlines()[-1])
    firm_keys.forget()
    for record, (password, _notes) in last.items():
        assert Worker.objects.get(uuid=record).password == password, "an edit was lost"
    return result, len(last)


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        organization = make_organization(FIRM)
        make_many_workers(organization, WORKERS)
        print(f"{connection.vendor}: a firm of {WORKERS:,} workers, every secret filled")
        report("rotation alone", *rotate(organization))
        if connection.vendor != "postgresql":
            print("rotation with a writing process: needs PostgreSQL (DATABASE_URL)")
            return
        result, writes = with_a_writer(organization, ROOT / "var" / "stop")
        report("rotation with a writing process", *result)
        print(f"  the writer made {writes:,} edits and additions meanwhile, none lost (checked)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

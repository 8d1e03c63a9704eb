"""Benchmark: a firm of 5,000 workers backed up, deleted and restored, against raw AES-GCM."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vault.test_settings")

import django

django.setup()

from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from ccus.accounts.models import Worker  # noqa: E402
from ccus.rosters.backup import backup_archive, read_backup  # noqa: E402
from ccus.rosters.restore import backup_restore  # noqa: E402
from ccus.rosters.restore_plan import restore_plan  # noqa: E402
from tests.ccus.rosters.backups import delete_accounts, make_many_workers  # noqa: E402
from tests.factories import make_organization  # noqa: E402
from vault.crypto.envelope import typed_text  # noqa: E402
from vault.crypto.fields import encrypted_fields  # noqa: E402

WORKERS = int(os.environ.get("BENCH_WORKERS", 5_000))
PASSPHRASE = "bench-passphrase-0123"  # noqa: S105 (a benchmark's own)


def _timed(label: str, function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.2f} s")
    return result, seconds


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        organization = make_organization("復元建設")
        make_many_workers(organization, WORKERS)
        print(f"{connection.vendor}: a firm of {WORKERS:,} workers, every secret filled")
        (data, _counts), _ = _timed("backup (decrypt, CSV, AES zip)", backup_archive,
                                    organization, PASSPHRASE)  # fmt: skip
        print(f"  zip: {len(data) / 1024:.0f} KB")
        backup, opened = _timed("open the zip with its passphrase", read_backup, data, PASSPHRASE)
        delete_accounts(organization)
        _plans, planned = _timed("preview (compare every record)", restore_plan, organization,
                                 backup)  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            _counts, restored = _timed("restore (check, encrypt, write)", backup_restore,
                                       organization=organization, backup=backup)  # fmt: skip
        assert Worker.objects.count() == WORKERS
        print(f"  {len(queries)} queries")
        values = [[getattr(w, f.name) for f in encrypted_fields(Worker)]
                  for w in Worker.objects.select_related("organization")]  # fmt: skip
        aead = AESGCM(AESGCM.generate_key(256))
        start = time.perf_counter()
        for row in values:
            for value in row:
                if value is not None:
                    aead.encrypt(os.urandom(12), typed_text(value), b"ccus_worker")
        raw = time.perf_counter() - start
        total = opened + planned + restored
        print(f"upload to restored (open + preview + restore): {total:.2f} s (target <= 30 s)")
        print(f"raw AES-GCM of the same values: {raw:.2f} s (the restore took "
              f"{restored / raw:.1f}x that)")  # fmt: skip
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

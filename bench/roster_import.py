"""Benchmark: importing 5,000 workers from a CSV file, against the raw encryption of its values."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vault.test_settings")

import django
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from ccus.accounts.models import Worker  # noqa: E402
from ccus.rosters.importer import roster_import  # noqa: E402
from ccus.rosters.read import read_roster  # noqa: E402
from ccus.rosters.rows import check_rows, map_headers  # noqa: E402
from tests.factories import make_organization  # noqa: E402
from vault.crypto.envelope import typed_text  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", 5_000))
HEADER = "氏名,フリガナ,技能者ID,生年月日,メールアドレス,カード有効期限,電話番号,住所"


def roster_csv() -> bytes:
    lines = [HEADER]
    for n in range(ROWS):
        lines.append(
            f"技能者 {n:05d},ｷﾞﾉｳｼｬ {n:05d},{n:014d},昭和{40 + n % 20}年4月1日,"
            f"w{n}@example.jp,2030/03/31,090-0000-{n % 10000:04d},東京都千代田区{n}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        organization = make_organization("取込建設")
        data = roster_csv()
        start = time.perf_counter()
        sheet = read_roster(data, "roster.csv")
        results = check_rows(organization, sheet, map_headers(sheet.header))
        checked = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            counts = roster_import(
                organization=organization, results=results, actor=None, request=None
            )
        done = time.perf_counter()
        assert counts["new"] == ROWS and Worker.objects.count() == ROWS
        values = [r.values for r in results]
        aead = AESGCM(AESGCM.generate_key(256))
        start_raw = time.perf_counter()
        for v in values:
            for name in ("ccus_id", "birth_date", "registered_email", "phone", "address"):
                if v[name]:
                    aead.encrypt(os.urandom(12), typed_text(v[name]), b"ccus_worker")
        raw = time.perf_counter() - start_raw
        total = done - start
        print(f"{connection.vendor}: {ROWS:,} workers from a {len(data) / 1024:.0f} KB CP932 CSV")
        print(
            f"read + check: {checked - start:.2f} s; write: {done - checked:.2f} s "
            f"({len(queries)} queries)"
        )
        print(f"total: {total:.2f} s = {ROWS / total:,.0f} rows/s (target <= 15 s, all or nothing)")
        print(
            f"raw encryption of the same {ROWS * 5:,} values: {raw:.2f} s "
            f"(the import took {total / raw:.1f}x that)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

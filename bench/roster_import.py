"""Benchmark: importing workers from a CP932 CSV file, beside the raw encryption of its values.

--scale default: 5,000 rows; --scale large: 50,000 rows (a background import); or a number.
The import runs as the product runs it (the import job: read, check and write in one
transaction); the floor is AES-GCM over the same 5 values per row, in the same run. Beside it,
the database's own floor: the very rows the import writes, sealed and indexed before timing,
written alone (COPY on PostgreSQL, the prepared INSERT on SQLite) into the table with all its
indexes, in a transaction rolled back.
"""

import argparse
import datetime
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vault.test_settings")

import django
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

django.setup()

from django.db import connection, connections, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from ccus.accounts.models import Worker  # noqa: E402
from ccus.rosters.jobs import import_job_create, job_run  # noqa: E402
from ccus.rosters.read import stream_roster  # noqa: E402
from ccus.rosters.rows import check_chunks, map_headers  # noqa: E402
from ccus.rosters.writes import insert_rows, new_account_rows  # noqa: E402
from tests.factories import make_organization  # noqa: E402
from vault.crypto.envelope import typed_text  # noqa: E402

SCALES = {"default": 5_000, "large": 50_000}
HEADER = "氏名,フリガナ,技能者ID,生年月日,メールアドレス,カード有効期限,電話番号,住所"


def roster_csv(rows: int) -> bytes:
    lines = [HEADER]
    for n in range(rows):
        lines.append(
            f"技能者 {n:05d},ｷﾞﾉｳｼｬ {n:05d},{n:014d},昭和{40 + n % 20}年4月1日,"
            f"w{n}@example.jp,2030/03/31,090-0000-{n % 10000:04d},東京都千代田区{n}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


def stored_values(n: int) -> tuple:
    """Return the 5 values of row n that the vault stores encrypted, as the import reads them."""
    return (
        f"{n:014d}",
        datetime.date(1965 + n % 20, 4, 1),
        f"w{n}@example.jp",
        f"090-0000-{n % 10000:04d}",
        f"東京都千代田区{n}",
    )


def raw_encryption(rows: int) -> float:
    """Return the seconds AES-256-GCM takes over the same values, with a fresh nonce each."""
    aead = AESGCM(AESGCM.generate_key(256))
    start = time.perf_counter()
    for n in range(rows):
        for value in stored_values(n):
            aead.encrypt(os.urandom(12), typed_text(value), b"ccus_worker")
    return time.perf_counter() - start


def written_rows(organization, data: bytes) -> list[tuple]:
    """Return, per chunk, the columns and rows the import writes: checked, indexed and sealed."""
    stream = stream_roster(data, "roster.csv")
    now = timezone.now()
    chunks = []
    for chunk in check_chunks(organization, stream.rows, map_headers(stream.header)):
        new = [result for result in chunk if result.action == "new"]
        chunks.append(new_account_rows(organization, new, None, Worker, now))
    return chunks


def database_write(chunks: list[tuple]) -> float:
    """Return the seconds the database takes to store the rows alone; nothing is kept."""
    with transaction.atomic():
        start = time.perf_counter()
        for fields, rows in chunks:
            insert_rows(Worker, fields, rows)
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    if connection.vendor == "postgresql":
        # The rolled-back rows' index entries would slow the import's unique checks: clear them.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {connection.ops.quote_name(Worker._meta.db_table)}")
    return elapsed


def database_floor(organization, data: bytes) -> float:
    """Build the rows and time their write in a child process: the import's memory stays its own.

    On PostgreSQL the child opens its own connection; SQLite's in-memory test database is the
    child's own copy (the write is rolled back in any case).
    """
    if connection.vendor == "postgresql":
        connections.close_all()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report the seconds, or nothing if it failed
        os.close(read_end)
        try:
            os.write(write_end, repr(database_write(written_rows(organization, data))).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        reported = pipe.read()
    os.waitpid(pid, 0)
    return float(reported)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def reset_peak() -> bool:
    """Start Linux's count of the peak resident memory again (VmHWM), if allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_since_reset_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="default", help="default, large or a number of rows")
    scale = parser.parse_args().scale
    rows = SCALES[scale] if scale in SCALES else int(scale)
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        organization = make_organization("取込建設")
        data = roster_csv(rows)
        job = import_job_create(organization=organization, actor=None, filename="roster.csv",
                                data=data)  # fmt: skip
        # The floor before and after the import: the machine's load moves between the two.
        raw_before = raw_encryption(rows)
        database = database_floor(organization, data)
        start = time.perf_counter()
        stream = stream_roster(data, "roster.csv")
        for _chunk in check_chunks(organization, stream.rows, map_headers(stream.header)):
            pass
        checking = time.perf_counter() - start
        before = peak_mb()
        reset = reset_peak()
        start, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            counts = job_run(job.id)
        total, cpu = time.perf_counter() - start, time.process_time() - cpu
        # Linux counts the peak again from the reset: what the import itself held at most.
        peak = peak_since_reset_mb() if reset else peak_mb()
        assert counts == {"new": rows}, counts
        assert Worker.objects.filter(organization=organization).count() == rows
        raw = min(raw_before, raw_encryption(rows))
        load = os.getloadavg()[0]
        print(
            f"{connection.vendor}: {rows:,} workers from a {len(data) / 1024:,.0f} KB CP932 CSV "
            f"(load average {load:.1f})"
        )
        print(
            f"import (read, check, write; one transaction): {total:.2f} s = "
            f"{rows / total:,.0f} rows/s, {len(queries)} queries; CPU time of this process "
            f"{cpu:.2f} s (steadier than the clock on a loaded machine; the server's is apart)"
        )
        print(
            f"  of which reading and checking the cells (timed alone) {checking:.2f} s, "
            f"writing (indexes, sealing, COPY) about {total - checking:.2f} s"
        )
        print(
            f"floor: raw encryption of the same {rows * 5:,} values {raw:.2f} s (best of 2); "
            f"ratio {total / raw:.1f}x (goal <= 1.5x)"
        )
        write = "COPY" if connection.vendor == "postgresql" else "prepared INSERT"
        print(
            f"database write alone (the same rows built before timing, one {write} per chunk "
            f"into the table with its indexes, rolled back): {database:.2f} s = "
            f"{database / raw:.1f}x raw encryption; the import is {total / database:.1f}x it"
        )
        print(
            f"peak RSS during the import {peak:.0f} MB (goal <= 300 MB); "
            f"before it, making the file and the upload: {before:.0f} MB"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

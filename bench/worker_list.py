"""Benchmark: the worker list and the exact ID search of one firm with 5,000 workers."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vault.test_settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from ccus.accounts.lookup import filter_by_ccus_id  # noqa: E402
from ccus.accounts.models import Company, Worker  # noqa: E402
from ccus.accounts.services import company_create, refresh_derived  # noqa: E402
from tests.console import sign_in  # noqa: E402
from tests.factories import make_member, make_organization  # noqa: E402
from vault.crypto import fields  # noqa: E402

WORKERS = 5_000
RUNS = 30


def populate():
    organization = make_organization("ベンチ建設")
    company = company_create(organization=organization, name="ベンチ建設", ccus_id="9" * 14)
    batch = []
    for n in range(WORKERS):
        worker = Worker(
            organization=organization,
            company=company,
            name=f"技能者{n:05d}",
            name_kana=f"ギノウシャ{n:05d}",
            ccus_id=f"{n:014d}",
            password=f"pw-{n}",
            registered_email=f"w{n}@example.jp",
            security_code="1234",
        )
        refresh_derived(worker)
        batch.append(worker)
    Worker.objects.bulk_create(batch, batch_size=500)
    with connection.cursor() as cursor:
        # Statistics as a database in use has them (autovacuum), so the plan below is the real one.
        cursor.execute("ANALYZE")
    return organization, company


def measure(client: Client, url: str) -> tuple[float, int, int]:
    """Return the median server time in ms, the query count and the decrypt count of one GET."""
    decrypts = []
    original = fields.open_sealed

    def counting(*args):
        decrypts.append(1)
        return original(*args)

    fields.open_sealed = counting
    try:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        once = (len(queries), len(decrypts))
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
    finally:
        fields.open_sealed = original
    return statistics.median(times), *once


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        organization, _ = populate()
        client = Client()
        sign_in(client, make_member(organization, "staff"))
        rows = [
            ("worker list, page 1 of 100", "/workers/"),
            ("worker list, page 60", "/workers/?page=60"),
            ("exact ID search (blind index)", f"/workers/?q={4321:014d}"),
            ("name search", "/workers/?q=ギノウシャ0432"),
        ]
        print(
            f"{connection.vendor}: 1 firm, {Worker.objects.count():,} workers, "
            f"{Company.objects.count()} business, median of {RUNS} requests"
        )
        print(f"{'request':34} {'ms':>8} {'queries':>8} {'decrypts':>9}")
        for name, url in rows:
            ms, queries, decrypts = measure(client, url)
            print(f"{name:34} {ms:8.1f} {queries:8d} {decrypts:9d}")
        lookup = filter_by_ccus_id(Worker.objects.only("id"), organization, f"{4321:014d}")
        plan = lookup.explain().replace("\n", " | ")
        print("plan of the ID lookup (both index columns):", plan)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

"""Benchmark: the oversight page for 1 prime, 300 subcontractors and 30,000 workers."""

import datetime
import os
import random
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
from django.utils import timezone  # noqa: E402

from ccus.accounts.lookup import index_fields  # noqa: E402
from ccus.accounts.models import Company, Worker  # noqa: E402
from ccus.oversight.history import past_weeks  # noqa: E402
from ccus.oversight.models import Engagement, SubcontractorSnapshot  # noqa: E402
from tests.console import sign_in  # noqa: E402
from tests.factories import make_member, make_organization  # noqa: E402
from vault.firms.models import Organization  # noqa: E402

SUBCONTRACTORS = 300
WORKERS_EACH = 100
RUNS = 20


def populate() -> Organization:
    rng = random.Random(7)
    now, today = timezone.now(), timezone.localdate()
    prime = make_organization("元請建設")
    firms = Organization.objects.bulk_create(
        Organization(name=f"協力会社{n:03d}") for n in range(SUBCONTRACTORS)
    )
    Engagement.objects.bulk_create(
        Engagement(prime=prime, subcontractor=f, status="active") for f in firms
    )
    Company.objects.bulk_create(
        Company(organization=f, name=f.name, **index_fields(f, ccus_id=f"{n:014d}", email=None),
                last_confirmed_at=now, registration_expires_on=today
                + datetime.timedelta(days=rng.randint(-30, 1500)))
        for n, f in enumerate(firms)
    )  # fmt: skip
    Worker.objects.bulk_create(
        (Worker(organization=f, name=f"技能者{n}-{w}", name_kana="ギノウシャ",
                **index_fields(f, ccus_id=None if w % 20 == 0 else f"{n:07d}{w:07d}",
                               email=None if w % 9 == 0 else f"w{n}-{w}@bench.jp"),
                card_expires_on=today + datetime.timedelta(days=rng.randint(-90, 3000)),
                last_confirmed_at=now - datetime.timedelta(days=rng.randint(0, 400)))
         for n, f in enumerate(firms) for w in range(WORKERS_EACH)),
        batch_size=2000,
    )  # fmt: skip
    # Eleven past weeks of snapshots: the rollup draws each subcontractor's last 12 weeks.
    this_week, first = past_weeks()
    weeks = [first + datetime.timedelta(weeks=n) for n in range((this_week - first).days // 7)]
    SubcontractorSnapshot.objects.bulk_create(
        SubcontractorSnapshot(prime=prime, subcontractor=f, week=w, score=rng.randint(0, 100))
        for f in firms for w in weeks
    )  # fmt: skip
    return prime


def median_ms(function) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        prime = populate()
        client = Client()
        sign_in(client, make_member(prime, "owner"))
        assert client.get("/oversight/").status_code == 200  # warm up, writes the session
        with CaptureQueriesContext(connection) as captured:
            rows = client.get("/oversight/").context["rows"]
        query_count = len(captured)
        aggregates = [q["sql"] for q in captured if "COUNT(" in q["sql"]]

        def run_aggregates() -> None:
            with connection.cursor() as cursor:
                for sql in aggregates:
                    cursor.execute(sql)
                    cursor.fetchall()

        page_ms = median_ms(lambda: client.get("/oversight/"))
        sql_ms = median_ms(run_aggregates)
        print(
            f"{connection.vendor}: 1 prime, {len(rows)} subcontractors, "
            f"{Worker.objects.count():,} workers; median of {RUNS}"
        )
        print(f"oversight page: {page_ms:.1f} ms server time, {query_count} queries")
        print(f"its {len(aggregates)} aggregate queries alone: {sql_ms:.1f} ms")
        print(f"ratio page / aggregate SQL: {page_ms / sql_ms:.2f}x (target <= 3x)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

"""Benchmark: a prime's oversight page, its streamed downloads and its weekly digest.

Default scale: 1 prime, 300 subcontractors, 30,000 workers. `--scale large`: 3,000 subcontractors,
300,000 workers. Each figure is printed beside its floor from the same run, with peak memory;
`--profile` also prints where the page's time goes.
"""

import argparse
import datetime
import itertools
import os
import random
import resource
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
from ccus.oversight.digest import digest_context, plan_weekly  # noqa: E402
from ccus.oversight.history import past_weeks  # noqa: E402
from ccus.oversight.models import (  # noqa: E402
    Engagement,
    OversightDigest,
    Site,
    SubcontractorSnapshot,
)
from tests.console import sign_in  # noqa: E402
from tests.factories import make_member, make_organization  # noqa: E402
from vault.emails import make_message  # noqa: E402
from vault.firms.models import Organization  # noqa: E402

SCALES = {"default": (300, 100, 20), "large": (3000, 100, 7)}  # subcontractors, workers each, runs
FIRMS_PER_BATCH = 20  # workers are written 2,000 at a time, so building them stays small


def peak_rss_mb() -> float:
    """Return the peak resident memory of this process so far, in MB (ru_maxrss is KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def populate(subcontractors: int, workers_each: int) -> tuple[Organization, Site]:
    rng = random.Random(7)
    now, today = timezone.now(), timezone.localdate()
    prime = make_organization("元請建設")
    firms = Organization.objects.bulk_create(
        Organization(name=f"協力会社{n:04d}") for n in range(subcontractors)
    )
    engagements = Engagement.objects.bulk_create(
        Engagement(prime=prime, subcontractor=f, status="active") for f in firms
    )
    Company.objects.bulk_create(
        Company(organization=f, name=f.name, **index_fields(f, ccus_id=f"{n:014d}", email=None),
                last_confirmed_at=now, registration_expires_on=today
                + datetime.timedelta(days=rng.randint(-30, 1500)))
        for n, f in enumerate(firms)
    )  # fmt: skip
    for start in range(0, subcontractors, FIRMS_PER_BATCH):
        Worker.objects.bulk_create(
            (Worker(organization=f, name=f"技能者{n}-{w}", name_kana="ギノウシャ",
                    **index_fields(f, ccus_id=None if w % 20 == 0 else f"{n:07d}{w:07d}",
                                   email=None if w % 9 == 0 else f"w{n}-{w}@bench.jp"),
                    card_expires_on=today + datetime.timedelta(days=rng.randint(-90, 3000)),
                    last_confirmed_at=now - datetime.timedelta(days=rng.randint(0, 400)))
             for n, f in enumerate(firms[start : start + FIRMS_PER_BATCH], start=start)
             for w in range(workers_each)),
        )  # fmt: skip
    # Eleven past weeks of snapshots: the rollup draws each subcontractor's last 12 weeks.
    this_week, first = past_weeks()
    weeks = [first + datetime.timedelta(weeks=n) for n in range((this_week - first).days // 7)]
    SubcontractorSnapshot.objects.bulk_create(
        (SubcontractorSnapshot(prime=prime, subcontractor=f, week=w, score=rng.randint(0, 100))
         for f in firms for w in weeks),
        batch_size=5000,
    )  # fmt: skip
    site = Site.objects.create(organization=prime, name="本社ビル新築")
    site.engagements.set(engagements)
    # Every worker of every subcontractor is chosen for the site: the largest roster there is.
    chosen = Site.workers.through
    workers = Worker.objects.filter(organization__in=firms).values_list("id", flat=True)
    rows = (chosen(site_id=site.id, worker_id=pk) for pk in workers.iterator(10_000))
    while batch := list(itertools.islice(rows, 10_000)):  # bulk_create lists what it is given
        chosen.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        # Statistics as a database in use has them (autovacuum): the floor is the real plan's time.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return prime, site


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def bench_page(client: Client, runs: int) -> None:
    assert client.get("/oversight/").status_code == 200  # warm up, writes the session
    with CaptureQueriesContext(connection) as captured:
        rows = client.get("/oversight/").context["rows"]
    query_count = len(captured)  # read now: the next request empties the connection's log
    if "--profile" in sys.argv:
        for query in captured:
            print(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][:110]}")
    aggregates = [q["sql"] for q in captured if "COUNT(" in q["sql"]]

    def run_aggregates() -> None:
        with connection.cursor() as cursor:
            for sql in aggregates:
                cursor.execute(sql)
                cursor.fetchall()

    # Page and floor alternate, so that a change of load on the machine touches both alike.
    page, floor = [], []
    for _ in range(runs):
        page.append(timed(lambda: client.get("/oversight/")))
        floor.append(timed(run_aggregates))
    page_ms, sql_ms = median_ms(page), median_ms(floor)
    if "--profile" in sys.argv:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        with profiler:
            for _ in range(runs):
                client.get("/oversight/")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
    print(f"oversight page: {page_ms:.1f} ms server time, {query_count} queries, "
          f"{len(rows)} rows drawn; median of {runs}")  # fmt: skip
    print(f"  its {len(aggregates)} aggregate queries alone: {sql_ms:.1f} ms")
    print(f"  ratio page / aggregate SQL: {page_ms / sql_ms:.2f}x (target <= 1.5x)")


def bench_download(client: Client, label: str, url: str) -> None:
    before = peak_rss_mb()
    start = time.perf_counter()
    response = client.get(url)
    assert response.streaming
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    seconds = time.perf_counter() - start
    rows_text = f", {rows - 1:,} rows" if url.endswith("csv") else ""
    print(f"{label}: {seconds:.2f} s, {size / 1e6:.1f} MB streamed{rows_text}; "
          f"peak RSS {peak_rss_mb():.0f} MB (before: {before:.0f} MB)")  # fmt: skip


def bench_digest(prime: Organization, owner) -> None:
    plan_seconds = timed(plan_weekly)
    digest = OversightDigest.objects.get(prime=prime, recipient=owner)
    start = time.perf_counter()
    message = make_message("oversight-weekly", owner.email, digest_context(digest))
    length = len(message.body) + len(message.alternatives[0][0])
    seconds = time.perf_counter() - start
    print(f"weekly digest: renders in {seconds:.2f} s ({length / 1e3:.0f} kB of text and HTML; "
          f"target <= 5 s); planning the week's snapshots {plan_seconds:.2f} s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="default")
    parser.add_argument("--profile", action="store_true", help="print where the page's time goes")
    subcontractors, workers_each, runs = SCALES[parser.parse_args().scale]
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        start = time.perf_counter()
        prime, site = populate(subcontractors, workers_each)
        built, load = time.perf_counter() - start, os.getloadavg()[0]
        print(f"{connection.vendor}: 1 prime, {subcontractors:,} subcontractors, "
              f"{Worker.objects.count():,} workers (built in {built:.0f} s); "
              f"load average {load:.1f}; peak RSS {peak_rss_mb():.0f} MB")  # fmt: skip
        owner = make_member(prime, "owner")
        client = Client()
        sign_in(client, owner)
        bench_page(client, runs)
        bench_download(client, "rollup CSV", "/oversight/?format=csv")
        roster = f"/oversight/sites/{site.uuid}/roster/"
        bench_download(client, "site roster CSV", f"{roster}?format=csv")
        bench_download(client, "site roster Excel", f"{roster}?format=xlsx")
        bench_digest(prime, owner)
        print(f"peak RSS of the whole run: {peak_rss_mb():.0f} MB")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

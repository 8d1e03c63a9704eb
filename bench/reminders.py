"""Benchmark: reminder planning for 1,000 firms and 100,000 workers, then again with nothing new.

`--scale large`: 10,000 firms and 1,000,000 workers (meant for PostgreSQL). Each run is printed
beside its floor, measured in the same run: the query of what is due alone (nothing written) and,
for the first run on PostgreSQL, the bare insert of the same rows into an empty copy of the table.
Workers are seeded by one INSERT ... SELECT in the database: planning reads only their dates,
status and whether their blind indexes are set, so no value is encrypted.
"""

import argparse
import datetime
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vault.test_settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.backends.signals import connection_created  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from ccus.accounts.models import Company, Worker  # noqa: E402
from ccus.reminders import due_sql  # noqa: E402
from ccus.reminders.dues import all_dues  # noqa: E402
from ccus.reminders.models import ReminderDelivery  # noqa: E402
from ccus.reminders.planning import PLAN_SETTINGS, plan_reminders  # noqa: E402
from vault.auth.models import User  # noqa: E402
from vault.firms.models import Membership, Organization, Role  # noqa: E402

# (firms, workers per firm)
SCALES = {"default": (1_000, 100), "large": (10_000, 100)}
GOALS = {"first": 30.0, "second": 10.0, "queries": 30, "rss_mb": 300}
DELIVERY = ReminderDelivery._meta.db_table
ORGANIZATION = Organization._meta.db_table
USER = User._meta.db_table

# What differs between the two databases in the seeding statement.
DIALECT = {
    "postgresql": {
        "uuid": "gen_random_uuid()",
        "plus_days": "CAST(%s AS date) + CAST({days} AS integer)",
        "minus_days": "CAST(%s AS timestamptz) - ({days}) * interval '1 day'",
    },
    "sqlite": {
        "uuid": "lower(hex(randomblob(16)))",
        "plus_days": "date(%s, ({days}) || ' days')",
        "minus_days": "datetime(%s, -({days}) || ' days')",
    },
}

# n numbers the workers, w within their firm. As the bench always had it: one in 25 without an
# ID, one in 10 without an email, cards expiring from 60 days ago to 10 years on, confirmed from
# today to 57 weeks ago or never; and every 50th shares the email of the worker before.
WORKERS = """
INSERT INTO {worker} (uuid, organization_id, name, name_kana, search_text, ccus_id_index,
    ccus_id_index_new, ccus_id_last4, email_index, email_index_new, hint_is_code, card_expires_on,
    last_confirmed_at, status, created_at, updated_at)
WITH RECURSIVE g (n) AS (SELECT CAST(0 AS bigint) UNION ALL SELECT n + 1 FROM g WHERE n < %s),
firm (id, firm_no) AS (SELECT id, row_number() OVER (ORDER BY id) - 1 FROM {organization}),
s (n, w, firm_no, k) AS (SELECT n, n %% %s, n / %s, (n * 104729) %% 59 FROM g)
SELECT {uuid}, firm.id, '技能者' || s.n, 'ギノウシャ', '',
    CASE WHEN s.w %% 25 = 0 THEN NULL ELSE 'i' || s.n END,
    CASE WHEN s.w %% 25 = 0 THEN NULL ELSE 'i' || s.n END, '',
    CASE WHEN s.w %% 10 = 0 THEN NULL WHEN s.w %% 50 = 7 THEN 'e' || (s.n - 1) ELSE 'e' || s.n END,
    CASE WHEN s.w %% 10 = 0 THEN NULL WHEN s.w %% 50 = 7 THEN 'e' || (s.n - 1) ELSE 'e' || s.n END,
    1 = 0, {card}, CASE WHEN s.k = 0 THEN NULL ELSE {confirmed} END, 'active', %s, %s
FROM s JOIN firm ON firm.firm_no = s.firm_no
"""


def seed_workers(firms: int, per_firm: int, now: datetime.datetime, today: datetime.date) -> None:
    dialect = DIALECT[connection.vendor]
    sql = WORKERS.format(
        worker=Worker._meta.db_table,
        organization=ORGANIZATION,
        uuid=dialect["uuid"],
        card=dialect["plus_days"].format(days="(s.n * 7919) %% 3711 - 60"),
        confirmed=dialect["minus_days"].format(days="(s.k - 1) * 7"),
    )
    ops = connection.ops
    day, moment = ops.adapt_datefield_value(today), ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [firms * per_firm - 1, per_firm, per_firm, day, moment, moment, moment])


def populate(firms: int, per_firm: int) -> None:
    rng = random.Random(42)
    now, today = timezone.now(), timezone.localdate()
    with transaction.atomic():
        Organization.objects.bulk_create(
            (Organization(name=f"協力会社{n:05d}") for n in range(firms)), batch_size=2000
        )
        organizations = list(Organization.objects.order_by("id").only("id", "name"))
        users = User.objects.bulk_create(
            (User(email=f"{role}{n}@bench.example.jp", password="!")
             for n in range(firms) for role in ("owner", "admin")),
            batch_size=2000,
        )  # fmt: skip
        Membership.objects.bulk_create(
            (Membership(user=users[2 * n + i], organization=firm, role=role)
             for n, firm in enumerate(organizations)
             for i, role in enumerate((Role.OWNER, Role.ADMIN))),
            batch_size=2000,
        )  # fmt: skip
        Company.objects.bulk_create(
            (Company(organization=firm, name=firm.name, registration_expires_on=today
                     + datetime.timedelta(days=rng.randint(-30, 1800)),
                     ccus_id_index=f"c{n}", ccus_id_index_new=f"c{n}",
                     email_index=f"o{n}", email_index_new=f"o{n}", last_confirmed_at=now)
             for n, firm in enumerate(organizations)),
            batch_size=2000,
        )  # fmt: skip
        seed_workers(firms, per_firm, now, today)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def reuse_kept(workers: int) -> None:
    """Start again from the database an earlier run kept: its accounts, no deliveries."""
    if Worker.objects.count() != workers:
        sys.exit("The kept database was seeded at another scale: run once without --keep.")
    empty = "TRUNCATE {}" if connection.vendor == "postgresql" else "DELETE FROM {}"
    with connection.cursor() as cursor:
        cursor.execute(empty.format(DELIVERY))
    print("reusing the database kept by an earlier run (--keep)")


def timed(work) -> tuple[float, int, object]:
    """Run the work; return its seconds, its queries on every connection, and its result."""
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    def count_on(sender, connection, **kwargs):  # a connection opened by another thread
        connection.execute_wrappers.append(count)

    connection_created.connect(count_on)
    try:
        with connection.execute_wrapper(count):
            start = time.perf_counter()
            result = work()
            seconds = time.perf_counter() - start
    finally:
        connection_created.disconnect(count_on)
    return seconds, len(queries), result


def read_floor() -> float:
    """Seconds to find what is due without writing: one query on PostgreSQL, the dues in Python."""
    now = timezone.now()
    start = time.perf_counter()
    if connection.vendor == "postgresql":
        query, params = due_sql.deliveries(now)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(PLAN_SETTINGS)  # as planning does
            cursor.execute(f"SELECT count(*) FROM ({query}) AS c", params)
    else:
        sum(1 for _ in all_dues(now))
    return time.perf_counter() - start


def write_floor() -> float | None:
    """Seconds to insert the stored deliveries into an empty copy of their table.

    The copy has the same indexes and the same deferred foreign keys, checked at commit.
    """
    if connection.vendor != "postgresql":
        return None
    deferred = "DEFERRABLE INITIALLY DEFERRED"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_floor (LIKE {DELIVERY} INCLUDING ALL)")
        cursor.execute(
            f"ALTER TABLE bench_floor "
            f"ADD FOREIGN KEY (organization_id) REFERENCES {ORGANIZATION} (id) {deferred}, "
            f"ADD FOREIGN KEY (recipient_id) REFERENCES {USER} (id) {deferred}"
        )
        start = time.perf_counter()
        with transaction.atomic():
            cursor.execute(f"INSERT INTO bench_floor SELECT * FROM {DELIVERY}")
        seconds = time.perf_counter() - start
        cursor.execute("DROP TABLE bench_floor")
    return seconds


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report_run(name: str, seconds: float, floor: float, queries: int, planned: int, goal) -> None:
    print(f"{name:26} {seconds:8.2f} {floor:8.2f} {seconds / floor:6.2f}x {queries:8d} "
          f"{planned:10,d}   <= {goal:.0f} s, <= {GOALS['queries']} queries")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="default")
    parser.add_argument(
        "--keep", action="store_true", help="keep the seeded database and reuse it next time"
    )
    args = parser.parse_args()
    firms, per_firm = SCALES[args.scale]
    setup_test_environment()
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.keep
    )
    try:
        start = time.perf_counter()
        if Worker.objects.exists():
            reuse_kept(firms * per_firm)
        else:
            populate(firms, per_firm)
        print(
            f"{connection.vendor}: {Organization.objects.count():,} firms, "
            f"{Worker.objects.count():,} workers, {User.objects.count():,} recipients "
            f"(seeded in {time.perf_counter() - start:.1f} s); "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        print(f"{'run':26} {'seconds':>8} {'floor':>8} {'ratio':>7} {'queries':>8} "
              f"{'planned':>10}   goal")  # fmt: skip
        seconds, queries, result = timed(plan_reminders)
        reading, writing = read_floor(), write_floor()
        floor = reading + (writing or 0)
        report_run("first run (all new)", seconds, floor, queries, result.planned, GOALS["first"])
        seconds, queries, result = timed(plan_reminders)
        floor = read_floor()
        report_run("second run (nothing new)", seconds, floor, queries, result.planned,
                   GOALS["second"])  # fmt: skip
        print(
            f"floors: finding what is due, nothing written ({reading:.2f} s)"
            + (f" + inserting the same rows into an empty copy of the table with its indexes "
               f"and foreign keys ({writing:.2f} s)" if writing is not None else "")
        )  # fmt: skip
        print(
            f"deliveries stored: {ReminderDelivery.objects.count():,}; "
            f"peak memory of the process: {peak_rss_mb():.0f} MB (goal <= {GOALS['rss_mb']} MB)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)


if __name__ == "__main__":
    main()

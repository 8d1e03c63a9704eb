"""Benchmark: one planning run of reminders for 1,000 firms and 100,000 workers."""

import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vault.test_settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from ccus.accounts.lookup import index_fields  # noqa: E402
from ccus.accounts.models import Company, Worker  # noqa: E402
from ccus.reminders.models import ReminderDelivery  # noqa: E402
from ccus.reminders.planning import plan_reminders  # noqa: E402
from vault.auth.models import User  # noqa: E402
from vault.firms.models import Membership, Organization, Role  # noqa: E402

FIRMS = int(os.environ.get("BENCH_FIRMS", 1_000))
WORKERS_PER_FIRM = int(os.environ.get("BENCH_WORKERS_PER_FIRM", 100))


def populate() -> None:
    rng = random.Random(42)
    now, today = timezone.now(), timezone.localdate()
    firms = Organization.objects.bulk_create(
        Organization(name=f"協力会社{n:04d}") for n in range(FIRMS)
    )
    users = User.objects.bulk_create(
        User(email=f"{role}{n}@bench.example.jp", password="!")
        for n in range(FIRMS) for role in ("owner", "admin")
    )  # fmt: skip
    Membership.objects.bulk_create(
        Membership(user=users[2 * n + i], organization=firm, role=role)
        for n, firm in enumerate(firms) for i, role in enumerate((Role.OWNER, Role.ADMIN))
    )  # fmt: skip
    Company.objects.bulk_create(
        Company(organization=firm, name=firm.name, registration_expires_on=today
                + datetime.timedelta(days=rng.randint(-30, 1800)),
                ccus_id_last4=f"{n % 10000:04d}",
                **index_fields(firm, ccus_id=f"{n:014d}", email=f"office{n}@bench.example.jp"),
                last_confirmed_at=now)
        for n, firm in enumerate(firms)
    )  # fmt: skip
    batch = []
    for n, firm in enumerate(firms):
        for w in range(WORKERS_PER_FIRM):
            number = n * WORKERS_PER_FIRM + w
            confirmed_days = rng.choice([None, *range(0, 400, 7)])
            batch.append(Worker(
                organization=firm, name=f"技能者{number:06d}", name_kana="ギノウシャ",
                ccus_id_last4=f"{number % 10000:04d}",
                **index_fields(firm, ccus_id=None if w % 25 == 0 else f"{number:014d}",
                               email=None if w % 10 == 0 else f"w{number}@bench.jp"),
                card_expires_on=today + datetime.timedelta(days=rng.randint(-60, 3650)),
                last_confirmed_at=None if confirmed_days is None
                else now - datetime.timedelta(days=confirmed_days),
            ))  # fmt: skip
    Worker.objects.bulk_create(batch, batch_size=2000)


def timed_run() -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = plan_reminders()
        seconds = time.perf_counter() - start
    return seconds, len(queries), result.planned


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        start = time.perf_counter()
        populate()
        print(
            f"{connection.vendor}: {Organization.objects.count():,} firms, "
            f"{Worker.objects.count():,} workers, {User.objects.count():,} recipients "
            f"(built in {time.perf_counter() - start:.1f} s)"
        )
        print(f"{'run':32} {'seconds':>8} {'queries':>8} {'planned':>9}")
        for name in ("first run (all new)", "second run (nothing new)"):
            seconds, queries, planned = timed_run()
            print(f"{name:32} {seconds:8.2f} {queries:8d} {planned:9,d}")
        print(
            f"deliveries stored: {ReminderDelivery.objects.count():,}; target: <= 10 s, "
            "query count independent of the number of workers"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

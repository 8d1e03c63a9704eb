"""Profile: where a signed-in staff member's request goes, per page, in-process (pyinstrument).

Prints, for the dashboard, the worker list and the exact ID search of a firm with 5,000 workers,
the median time of a whole request through every middleware, its query count, and with
--profile the pyinstrument call tree of 200 requests. With DATABASE_URL set it runs on
PostgreSQL, with REDIS_URL the sessions are in Redis as in production.
"""

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
from django.test.utils import setup_test_environment  # noqa: E402

from bench.worker_list import populate  # noqa: E402
from tests.factories import make_member  # noqa: E402

RUNS = 200
PAGES = [
    ("dashboard", "/"),
    ("worker list", "/workers/"),
    ("exact ID search", f"/workers/?q={4321:014d}"),
]


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        organization, _ = populate()
        user = make_member(organization, "staff")
        client = Client(headers={"X-Forwarded-Proto": "https"}, secure=True)
        response = client.post(
            "/login/", {"username": user.email, "password": "correct-horse-battery"}
        )
        assert response.status_code == 302, response.status_code
        print(f"{connection.vendor}, sessions: {django.conf.settings.SESSION_ENGINE}")
        print(f"{'page':18} {'ms':>7} {'queries':>8}")
        for name, url in PAGES:
            client.get(url)
            queries = []

            def record(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(record):
                assert client.get(url).status_code == 200
            times = []
            for _ in range(RUNS):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            print(f"{name:18} {statistics.median(times):7.2f} {len(queries):8d}")
            if "--queries" in sys.argv:
                for query in queries:
                    print("    ", query[:160])
        if "--profile" in sys.argv:
            from pyinstrument import Profiler

            for name, url in PAGES:
                profiler = Profiler(interval=0.0005)
                with profiler:
                    for _ in range(RUNS):
                        client.get(url)
                print(f"\n=== {name}")
                print(profiler.output_text(color=False, show_all=False, short_mode=False))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

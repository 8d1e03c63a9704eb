"""`/healthz/live`: the process answers. `/healthz/ready` (and `/healthz`): so do its services.

Each service is asked in a thread of its own with one deadline for all, so a database, broker or
cache that hangs makes the answer a 503 within a second instead of a hung request; a check that
is still hanging from an earlier probe is not started again.
"""

import logging
import threading
import time
from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from vault.cache.redis import cache_answers
from vault.celery import app as celery_app

log = logging.getLogger(__name__)
DEADLINE_SECONDS = 0.8


class Check:
    """One check running in a daemon thread (a hung one never holds up the process's exit)."""

    def __init__(self, name: str, check: Callable[[], bool]) -> None:
        self.name, self.answer, self.done = name, False, threading.Event()
        threading.Thread(
            target=self._run, args=(check,), name=f"healthz-{name}", daemon=True
        ).start()

    def _run(self, check: Callable[[], bool]) -> None:
        try:
            self.answer = bool(check())
        except Exception as exc:  # a check that fails says "does not answer"
            log.warning("health_check=%s ok=false error=%s", self.name, type(exc).__name__)
        finally:
            self.done.set()


_running: dict[str, Check] = {}
_lock = threading.Lock()


def database_answers() -> bool:
    """Tell whether the default database answers a trivial query."""
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as exc:  # any driver error means "does not answer"
        log.warning("health_check=database ok=false error=%s", type(exc).__name__)
        return False
    finally:
        connection.close()  # this thread's own connection


def broker_answers() -> bool:
    """Tell whether the Celery broker accepts a connection."""
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=3)
            conn.default_channel  # noqa: B018  (opening the channel touches the broker)
        return True
    except Exception as exc:  # any transport error means "does not answer"
        log.warning("health_check=broker ok=false error=%s", type(exc).__name__)
        return False


# Looked up when called, so a test can stand in for one check.
CHECKS: dict[str, Callable[[], bool]] = {
    "database": lambda: database_answers(),
    "broker": lambda: broker_answers(),
    "cache": lambda: cache_answers(),
}


def run_checks(checks: dict[str, Callable[[], bool]]) -> dict[str, bool]:
    """Run the checks side by side; one that has not answered by the deadline is False."""
    with _lock:
        running = {}
        for name, check in checks.items():
            previous = _running.get(name)
            if previous is not None and not previous.done.is_set():
                running[name] = previous  # still hanging since an earlier probe: not again
            else:
                running[name] = _running[name] = Check(name, check)
    deadline = time.monotonic() + DEADLINE_SECONDS
    results = {}
    for name, check in running.items():
        answered = check.done.wait(max(0.0, deadline - time.monotonic()))
        if not answered:
            log.warning("health_check=%s ok=false error=Timeout", name)
        results[name] = answered and check.answer
    return results


@login_not_required
@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    """Answer 200 while the process serves requests; ask no other service."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database, the broker and the cache answer, else 503; say which."""
    checks = run_checks(CHECKS)
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable", **checks}
    return JsonResponse(body, status=200 if healthy else 503)

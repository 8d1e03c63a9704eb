"""`/healthz`: does the database answer, does the broker answer."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from vault.celery import app as celery_app

log = logging.getLogger(__name__)


def database_answers() -> bool:
    """Tell whether the default database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as exc:  # any driver error means "does not answer"
        log.warning("health_check=database ok=false error=%s", type(exc).__name__)
        return False


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


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database and the broker answer, else 503; say which."""
    checks = {"database": database_answers(), "broker": broker_answers()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable", **checks}
    return JsonResponse(body, status=200 if healthy else 503)

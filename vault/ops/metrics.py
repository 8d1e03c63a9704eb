"""Prometheus metrics at `/metrics`: requests and latency per route, and figures read at scrape.

Under gunicorn every process writes its counters to PROMETHEUS_MULTIPROC_DIR and a scrape sums
them. Figures that live in the database or the broker (queue length, reminders, imports) are read
when scraped, so they are right whichever process or host answers.
"""

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu.exceptions import ChannelError
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric

from vault.ops.context import route_of

log = logging.getLogger(__name__)
REQUESTS = Counter(
    "ccus_vault_http_requests",
    "Requests answered, by route and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "ccus_vault_http_request_duration_seconds",
    "Time to answer a request, by route.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
# Functions yielding metrics read at each scrape; the ccus apps add theirs when ready.
FIGURES: list[Callable[[], Iterable[Metric]]] = []


def register_figures(collect: Callable[[], Iterable[Metric]]) -> None:
    """Add a function whose metrics are read from the database or broker at each scrape."""
    if collect not in FIGURES:
        FIGURES.append(collect)


def gauge(name: str, documentation: str, label: str, counts: dict[str, int]) -> GaugeMetricFamily:
    """Return a gauge with one sample per label value."""
    family = GaugeMetricFamily(name, documentation, labels=[label])
    for value, count in sorted(counts.items()):
        family.add_metric([value], count)
    return family


def celery_queue_length() -> Iterable[Metric]:
    """Yield the number of tasks waiting in the Celery queue."""
    from vault.celery import app

    queue = app.conf.task_default_queue
    try:
        with app.connection_for_read() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=1)
            try:
                declared = connection.default_channel.queue_declare(queue, passive=True)
                waiting = declared.message_count
            except ChannelError:  # no worker declared the queue yet: nothing was ever queued
                waiting = 0
    except Exception as error:  # the broker does not answer: say so instead of a length
        log.warning("metrics=celery_queue ok=false error=%s", type(error).__name__)
        yield gauge("ccus_vault_broker_up", "1 when the broker answers.", "queue", {queue: 0})
        return
    yield gauge("ccus_vault_broker_up", "1 when the broker answers.", "queue", {queue: 1})
    yield gauge("ccus_vault_celery_queue_length", "Tasks waiting.", "queue", {queue: waiting})


register_figures(celery_queue_length)


class _Figures:
    def collect(self) -> Iterable[Metric]:
        for collect in FIGURES:
            try:
                yield from collect()
            except Exception as error:  # one broken figure never hides the others
                log.warning("metrics=%s ok=false error=%s", collect.__name__, type(error).__name__)


class _ThisProcess:
    def collect(self) -> Iterable[Metric]:
        yield from REGISTRY.collect()


def metrics_registry() -> CollectorRegistry:
    """Return a registry of every process's counters (or this one's) and the figures."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(_Figures())
    return registry


class MetricsMiddleware:
    """Count each request and time it, labelled by its URL pattern (never its path)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        started = time.perf_counter()
        response = self.get_response(request)
        route = route_of(request)
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        LATENCY.labels(route).observe(time.perf_counter() - started)
        return response


@login_not_required
@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Answer Prometheus with a bearer token (METRICS_TOKEN); without that setting, 404."""
    token = settings.METRICS_TOKEN
    given = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
    if not token:
        raise Http404("Metrics are off")
    if not hmac.compare_digest(given.encode(), token.encode()):
        return HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
    return HttpResponse(generate_latest(metrics_registry()), content_type=CONTENT_TYPE_LATEST)

"""Celery task of the health report: keep each firm's readiness of the week, on Mondays."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task
def snapshot_health() -> int:
    """Keep this week's readiness of every firm; safe to run twice in a week."""
    from ccus.health.history import health_snapshot_all

    made = health_snapshot_all()
    log.info("health_snapshots=made count=%s", made)
    return made

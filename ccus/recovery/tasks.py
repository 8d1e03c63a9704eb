"""Celery task of the recovery assistant: close the cases nobody finished, once a day."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task
def abandon_stale_recoveries() -> int:
    """Close as abandoned the recovery cases left unfinished for 14 days; safe to run twice."""
    from ccus.recovery.services import recoveries_abandon_stale

    closed = recoveries_abandon_stale()
    log.info("recoveries=abandoned count=%s", closed)
    return closed

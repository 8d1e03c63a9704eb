"""Celery task of one-time links: close and wipe the links whose 72 hours are over."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task
def expire_handoff_links() -> int:
    """Expire every open link past its time, wiping its ciphertext; safe to run twice."""
    from ccus.handoff.services import handoffs_expire

    expired = handoffs_expire()
    log.info("handoff_links=expired count=%s", expired)
    return expired

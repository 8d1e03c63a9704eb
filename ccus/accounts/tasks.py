"""Celery task of the accounts: purge what has been in the trash for 30 days."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task
def purge_trash() -> int:
    """Delete for good the accounts in the trash for more than 30 days; safe to run twice."""
    from ccus.accounts.trash import trash_expired

    return trash_expired()

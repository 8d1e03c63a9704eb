"""Retries of a mail that failed (backoff with jitter, then failed) and when a claim is stale."""

import datetime
import random
import smtplib

from django.conf import settings
from django.utils import timezone

MAX_RETRIES = 5
RETRYABLE = (smtplib.SMTPException, OSError, ConnectionError)


def send_with_retries(task, send, item_id: int):
    """Run send(item_id, final_attempt=…); retry mail errors with exponential backoff and jitter.

    On the last attempt the send function marks the email failed, and nothing is raised.
    """
    final = task.request.retries >= task.max_retries
    try:
        return send(item_id, final_attempt=final)
    except RETRYABLE as error:
        if final:
            return None
        delay = min(settings.REMINDER_RETRY_BASE * 2**task.request.retries, 600)
        countdown = delay + random.uniform(0, delay / 2)  # noqa: S311
        raise task.retry(exc=error, countdown=countdown) from error


def stale_cutoffs() -> dict[str, datetime.datetime]:
    """Return the times before which a claim is dead and a pending email lost its task."""
    now = timezone.now()
    return {
        "claimed_before": now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60),
        "pending_before": now - datetime.timedelta(seconds=settings.REMINDER_PENDING_GRACE),
    }

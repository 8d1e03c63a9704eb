"""Retries of a mail that failed: exponential backoff with jitter, then marked failed."""

import random
import smtplib

from django.conf import settings

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

"""Celery tasks of the reminders: ids in, services do the work, safe to run twice."""

import datetime
import logging
import random
import smtplib

import jpholiday
from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)
MAX_RETRIES = 5
RETRYABLE = (smtplib.SMTPException, OSError, ConnectionError)


def is_business_day(day: datetime.date) -> bool:
    """Tell whether day is a Japanese business day (a weekday and not a public holiday)."""
    return day.weekday() < 5 and not jpholiday.is_holiday(day)


def enqueue_digests(recipient_ids: list[int]) -> None:
    """Queue one digest task per recipient once the current transaction commits."""
    for recipient_id in recipient_ids:
        transaction.on_commit(lambda rid=recipient_id: send_digest.delay(rid))


@shared_task
def plan_daily_reminders() -> int:
    """Plan today's reminders on business days and queue the digests; return how many planned."""
    from ccus.reminders import plan_reminders

    today = timezone.localdate()
    if not is_business_day(today):
        log.info("reminders=skipped day=%s reason=holiday", today)
        return 0
    with transaction.atomic():
        result = plan_reminders()
        enqueue_digests(result.recipients)
    log.info("reminders=planned count=%s recipients=%s", result.planned, len(result.recipients))
    return result.planned


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


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_digest(self, recipient_id: int) -> int | None:
    """Send one recipient's pending reminders as one digest."""
    from ccus.digests import send_pending

    return send_with_retries(self, send_pending, recipient_id)


@shared_task
def sweep_reminders() -> int:
    """Requeue digests whose claim outlived the task time limit or whose message was lost."""
    from ccus.digests import stale
    from ccus.oversight_digest import stale_weekly

    now = timezone.now()
    claimed_before = now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    pending_before = now - datetime.timedelta(seconds=settings.REMINDER_PENDING_GRACE)
    with transaction.atomic():
        recipients = stale(claimed_before=claimed_before, pending_before=pending_before)
        enqueue_digests(recipients)
        enqueue_weekly(stale_weekly(claimed_before=claimed_before, pending_before=pending_before))
    if recipients:
        log.info("reminders=swept recipients=%s", len(recipients))
    return len(recipients)


def enqueue_weekly(digest_ids: list[int]) -> None:
    """Queue one weekly oversight email task per digest once the transaction commits."""
    for digest_id in digest_ids:
        transaction.on_commit(lambda did=digest_id: send_oversight_digest.delay(did))


@shared_task
def plan_weekly_oversight() -> int:
    """Snapshot the subcontractors of every prime and queue this week's oversight emails."""
    from ccus.oversight_digest import plan_weekly

    with transaction.atomic():
        digest_ids = plan_weekly()
        enqueue_weekly(digest_ids)
    log.info("oversight_digests=planned count=%s", len(digest_ids))
    return len(digest_ids)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_oversight_digest(self, digest_id: int) -> bool | None:
    """Send one weekly oversight email."""
    from ccus.oversight_digest import send_weekly

    return send_with_retries(self, send_weekly, digest_id)


@shared_task(acks_late=True)
def run_roster_import(job_id: int) -> None:
    """Import a large roster in the background; the page shows its progress."""
    from ccus.rosters.jobs import job_run

    job_run(job_id)

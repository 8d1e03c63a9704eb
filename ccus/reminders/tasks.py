"""Celery tasks of the reminders: ids in, services do the work, safe to run twice."""

import datetime
import logging

import jpholiday
from celery import shared_task
from django.db import transaction
from django.utils import timezone

from ccus.mail.retries import MAX_RETRIES, send_with_retries, stale_cutoffs

log = logging.getLogger(__name__)


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
    from ccus.reminders.planning import plan_reminders

    today = timezone.localdate()
    if not is_business_day(today):
        log.info("reminders=skipped day=%s reason=holiday", today)
        return 0
    with transaction.atomic():
        result = plan_reminders()
        enqueue_digests(result.recipients)
    log.info("reminders=planned count=%s recipients=%s", result.planned, len(result.recipients))
    return result.planned


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_digest(self, recipient_id: int) -> int | None:
    """Send one recipient's pending reminders as one digest."""
    from ccus.reminders.digests import send_pending

    return send_with_retries(self, send_pending, recipient_id)


@shared_task
def sweep_reminders() -> int:
    """Requeue digests whose claim outlived the task time limit or whose message was lost."""
    from ccus.reminders.digests import stale

    with transaction.atomic():
        recipients = stale(**stale_cutoffs())
        enqueue_digests(recipients)
    if recipients:
        log.info("reminders=swept recipients=%s", len(recipients))
    return len(recipients)

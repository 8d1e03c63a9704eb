"""Celery tasks of the weekly oversight emails: ids in, services do the work, safe twice."""

import logging

from celery import shared_task
from django.db import transaction

from ccus.mail.retries import MAX_RETRIES, send_with_retries, stale_cutoffs

log = logging.getLogger(__name__)


def enqueue_weekly(digest_ids: list[int]) -> None:
    """Queue one weekly oversight email task per digest once the transaction commits."""
    for digest_id in digest_ids:
        transaction.on_commit(lambda did=digest_id: send_oversight_digest.delay(did))


@shared_task
def plan_weekly_oversight() -> int:
    """Snapshot the subcontractors of every prime and queue this week's oversight emails."""
    from ccus.oversight.digest import plan_weekly

    with transaction.atomic():
        digest_ids = plan_weekly()
        enqueue_weekly(digest_ids)
    log.info("oversight_digests=planned count=%s", len(digest_ids))
    return len(digest_ids)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_oversight_digest(self, digest_id: int) -> bool | None:
    """Send one weekly oversight email."""
    from ccus.oversight.digest import send_weekly

    return send_with_retries(self, send_weekly, digest_id)


@shared_task
def sweep_oversight_digests() -> int:
    """Requeue weekly emails whose claim outlived the task time limit or whose message was lost."""
    from ccus.oversight.digest import stale_weekly

    with transaction.atomic():
        digest_ids = stale_weekly(**stale_cutoffs())
        enqueue_weekly(digest_ids)
    return len(digest_ids)


@shared_task(
    autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True, max_retries=5, acks_late=True
)
def send_engagement_invitation(engagement_id: int, user_id: int) -> bool:
    """Email one owner of a subcontractor the invitation of a prime contractor."""
    from ccus.oversight.invitations import send_invitation_email

    return send_invitation_email(engagement_id, user_id)

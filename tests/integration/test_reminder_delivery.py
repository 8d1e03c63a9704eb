"""Reminders through a real Celery worker on Redis to a real SMTP server: once, never lost."""

import datetime
import time
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from ccus.mail.models import DeliveryStatus
from ccus.reminders.digests import stale
from ccus.reminders.models import ReminderDelivery
from ccus.reminders.planning import plan_reminders
from ccus.reminders.tasks import enqueue_digests
from tests.factories import (
    leaked,
    make_member,
    make_organization,
    make_secret_worker,
    make_worker,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _firms(count: int) -> list:
    """Make firms, each with an owner, an admin and accounts that are due."""
    recipients = []
    for n in range(count):
        firm = make_organization(f"協力会社{n:02d}")
        recipients += [make_member(firm, "owner"), make_member(firm, "admin")]
        make_secret_worker(firm)
        make_worker(firm, name=f"IDなし{n:02d}")
    return recipients


def _plan_and_queue() -> list[int]:
    with transaction.atomic():
        result = plan_reminders()
        enqueue_digests(result.recipients)
    return result.recipients


def _requeue_everything_waiting() -> None:
    """What the periodic sweep does once its time limits (task time limit, grace) have passed."""
    now = timezone.now() + datetime.timedelta(hours=1)
    with transaction.atomic():
        enqueue_digests(stale(claimed_before=now, pending_before=now))


def _assert_each_recipient_once(smtp, recipients) -> None:
    received = smtp.wait_for(len(recipients))
    assert sorted(Counter(m["To"] for m in received).values()) == [1] * len(recipients)
    assert sorted(m["To"] for m in received) == sorted(u.email for u in recipients)
    # The worker marks a digest sent just after the server's reply: give it that moment.
    deadline = time.monotonic() + 10
    while ReminderDelivery.objects.exclude(status=DeliveryStatus.SENT).exists():
        assert time.monotonic() < deadline, "deliveries were sent but not marked sent"
        time.sleep(0.1)
    assert len(smtp.messages) == len(recipients)


def test_it_delivers_the_planned_digests_over_smtp(worker, smtp):
    recipients = _firms(3)
    _plan_and_queue()
    _assert_each_recipient_once(smtp, recipients)
    message = smtp.messages[0]
    assert str(message["Subject"]).strip().startswith("【CCUS Vault】確認が必要なアカウント")
    assert message["List-Unsubscribe"].endswith("/reminders/preferences/>")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "次のCCUSアカウントの確認をお願いします。" in text and "内容は正しい" in html
    for body in (text, html, message.as_string()):
        assert leaked(body) == []


def test_it_delivers_each_digest_once_when_the_worker_is_killed_mid_batch(worker, smtp):
    recipients = _firms(4)
    smtp.delay = 0.5
    _plan_and_queue()
    smtp.wait_for(2)
    smtp.receiving.clear()
    assert smtp.receiving.wait(20), "the worker should be sending the next digest"
    worker.kill()  # in the middle of an SMTP conversation
    delivered = len(smtp.messages)
    assert delivered < len(recipients)
    smtp.delay = 0
    # The sweep runs while no worker is up, so every claim it finds is a dead one.
    _requeue_everything_waiting()
    worker.start()
    _assert_each_recipient_once(smtp, recipients)


def test_it_delivers_each_digest_once_after_redis_loses_the_queue(worker, smtp, broker):
    recipients = _firms(2)
    worker.stop()
    _plan_and_queue()
    assert broker.llen("celery") == len(recipients)
    broker.flushdb()
    _requeue_everything_waiting()
    worker.start()
    _assert_each_recipient_once(smtp, recipients)


def test_it_retries_while_smtp_refuses_then_delivers(worker, smtp):
    recipients = _firms(1)
    smtp.refuse_next = 3
    _plan_and_queue()
    _assert_each_recipient_once(smtp, recipients)
    assert max(ReminderDelivery.objects.values_list("attempts", flat=True)) >= 2


def test_it_marks_failed_after_the_retry_limit_and_a_resend_delivers(worker, smtp):
    from ccus.reminders.digests import resend_failed

    recipients = _firms(1)
    smtp.refuse_always = True
    _plan_and_queue()
    deadline = timezone.now() + datetime.timedelta(seconds=60)
    while ReminderDelivery.objects.exclude(status=DeliveryStatus.FAILED).exists():
        assert timezone.now() < deadline, "the deliveries were not marked failed"
        time.sleep(0.1)
    failed = ReminderDelivery.objects.all()
    assert all("SMTP" in d.last_error or "421" in d.last_error for d in failed)
    assert smtp.messages == []
    smtp.refuse_always = False
    organization = failed.first().organization
    with transaction.atomic():
        enqueue_digests(
            resend_failed(organization=organization, delivery_uuids=[str(d.uuid) for d in failed])
        )
    _assert_each_recipient_once(smtp, recipients)

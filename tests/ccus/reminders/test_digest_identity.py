"""A digest keeps one identity (Message-ID, body, link) however often it is put back and sent."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from ccus.mail.models import DeliveryStatus
from ccus.reminders.digests import build_message, claim, release, resend_failed, send_pending, stale
from ccus.reminders.models import ReminderDelivery
from ccus.reminders.planning import plan_reminders
from tests.factories import make_worker


def _sweep_after_the_time_limits() -> None:
    later = timezone.now() + datetime.timedelta(hours=1)
    stale(claimed_before=later, pending_before=later)


def _same_email(first, second) -> None:
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert (first.subject, first.body) == (second.subject, second.body)
    assert first.alternatives == second.alternatives


def _crash_after_the_server_accepted(recipient) -> ReminderDelivery:
    """Claim and send a digest as a worker would, then die before marking it sent."""
    digest = claim(recipient.pk)
    deliveries = list(ReminderDelivery.objects.filter(digest=digest).select_related("organization"))
    build_message(digest, recipient, deliveries).send()
    return deliveries[0]


@pytest.mark.django_db
def test_it_sends_a_digest_put_back_by_the_sweep_as_the_same_email(organization, owner):
    make_worker(organization, name="IDなし 一郎")
    plan_reminders()
    first = _crash_after_the_server_accepted(owner)
    # A day later the sweep finds the dead claim; meanwhile another reminder was planned.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: first.created_at + datetime.timedelta(days=1))
        make_worker(organization, name="IDなし 二郎")
        plan_reminders()
        _sweep_after_the_time_limits()
        assert send_pending(owner.pk, final_attempt=False) == ReminderDelivery.objects.count()
    crashed, again, new = mail.outbox
    _same_email(crashed, again)
    assert "IDなし 二郎" not in again.body and "IDなし 二郎" in new.body
    assert new.extra_headers["Message-ID"] != again.extra_headers["Message-ID"]
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


@pytest.fixture
def crashed(organization, owner) -> ReminderDelivery:
    make_worker(organization, name="IDなし")
    plan_reminders()
    return _crash_after_the_server_accepted(owner)


@pytest.mark.django_db
def test_it_retries_a_digest_after_an_smtp_error_as_the_same_email(crashed, owner):
    # The server took the mail, then the connection broke before its reply reached the worker.
    release(crashed.digest, ConnectionResetError("reset by peer"), failed=False)
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"pending"}
    send_pending(owner.pk, final_attempt=False)
    _same_email(*mail.outbox)
    assert set(ReminderDelivery.objects.values_list("attempts", flat=True)) == {2}


@pytest.mark.django_db
def test_it_gives_a_failed_digest_sent_again_by_an_owner_a_new_identity(
    crashed, organization, owner
):
    release(crashed.digest, ConnectionRefusedError("refused"), failed=True)
    uuids = [str(u) for u in ReminderDelivery.objects.values_list("uuid", flat=True)]
    resend_failed(organization=organization, delivery_uuids=uuids)
    send_pending(owner.pk, final_attempt=False)
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] != second.extra_headers["Message-ID"]
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"sent"}

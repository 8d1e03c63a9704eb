"""Digest emails: one per recipient, Japanese, linked, no secret; claims, retries, sweep, log."""

import contextlib
import datetime

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from ccus.accounts.models import Worker
from ccus.accounts.trash import account_delete
from ccus.mail.models import DeliveryStatus
from ccus.reminders.digests import claim, confirm_token
from ccus.reminders.models import ReminderDelivery
from ccus.reminders.planning import plan_reminders
from ccus.reminders.tasks import enqueue_digests, send_digest, sweep_reminders
from tests.console import sign_in
from tests.factories import leaked, make_secret_worker, make_worker


@pytest.fixture
def planned(organization, owner, admin_member, django_capture_on_commit_callbacks):
    """Plan reminders for a worker full of secrets and one without an ID; send the digests."""
    make_secret_worker(organization)
    make_worker(organization, name="IDなし 次郎")
    Worker.objects.update(last_confirmed_at=None)  # never confirmed since they were saved

    def plan_and_send():
        with django_capture_on_commit_callbacks(execute=True):
            enqueue_digests(plan_reminders().recipients)

    return plan_and_send


@pytest.mark.django_db
def test_it_sends_one_japanese_digest_per_recipient(planned, owner, admin_member):
    planned()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, admin_member.email])
    message = mail.outbox[0]
    assert message.subject.startswith("【CCUS Vault】")
    assert "確認が必要" in message.subject
    assert "秘密 太郎" in message.body and "IDなし 次郎" in message.body
    assert "http://127.0.0.1:8000/workers/" in message.body
    assert "/reminders/confirm/" in message.body
    assert message.extra_headers["List-Unsubscribe"].endswith("/reminders/preferences/>")
    html = message.alternatives[0][0]
    assert "内容は正しい" in html
    assert ReminderDelivery.objects.exclude(status=DeliveryStatus.SENT).count() == 0


@pytest.mark.django_db
def test_it_leaves_out_an_account_moved_to_the_trash_after_planning(
    organization, owner, django_capture_on_commit_callbacks
):
    make_worker(organization, name="残る 三郎")
    gone = make_worker(organization, name="消えた 四郎")
    Worker.objects.update(last_confirmed_at=None)
    recipients = plan_reminders().recipients
    account_delete(account=gone, actor=owner)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_digests(recipients)
    [message] = mail.outbox
    assert "残る 三郎" in message.body and "消えた 四郎" not in message.body
    assert not ReminderDelivery.objects.filter(subject_uuid=gone.uuid).exists()


@pytest.mark.django_db
def test_it_puts_no_secret_in_subject_body_or_headers(planned):
    planned()
    for message in mail.outbox:
        text = "\n".join(
            [
                message.subject,
                message.body,
                message.alternatives[0][0],
                str(message.extra_headers),
                message.message().as_string(),
            ]
        )
        assert leaked(text) == []
        assert "1981-02-03" not in text


@pytest.mark.django_db
def test_it_sends_nothing_when_nothing_is_new(planned):
    planned()
    mail.outbox.clear()
    planned()
    assert mail.outbox == []


@pytest.mark.django_db
def test_it_claims_a_digest_only_once(organization, owner):
    make_worker(organization, name="IDなし")
    plan_reminders()
    assert claim(owner.pk) is not None
    assert claim(owner.pk) is None


@pytest.mark.django_db
@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=1,
    REMINDER_RETRY_BASE=0,
)
def test_it_retries_then_marks_failed_and_resends_on_request(client, organization, owner):
    make_worker(organization, name="IDなし")
    plan_reminders()
    # Each attempt as Celery would make it; the last one marks the reminders failed.
    for retries in range(send_digest.max_retries + 1):
        with contextlib.suppress(Retry):
            send_digest.apply(args=[owner.pk], retries=retries)
        if retries < send_digest.max_retries:
            assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"pending"}
    deliveries = ReminderDelivery.objects.filter(recipient=owner)
    assert {(d.status, d.attempts) for d in deliveries} == {(DeliveryStatus.FAILED, 6)}
    assert all("ConnectionRefusedError" in d.last_error for d in deliveries)
    sign_in(client, owner)
    log = client.get("/reminders/log/?status=failed").content.decode()
    assert "IDなし" in log and "ConnectionRefusedError" in log
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: fn())
        client.post("/reminders/resend/", {"deliveries": [str(d.uuid) for d in deliveries]})
    assert {d.status for d in deliveries.all()} == {DeliveryStatus.SENT}
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_it_sweeps_a_claim_left_by_a_dead_worker(
    organization, owner, django_capture_on_commit_callbacks
):
    make_worker(organization, name="IDなし")
    plan_reminders()
    claim(owner.pk)
    ReminderDelivery.objects.update(claimed_at=timezone.now() - datetime.timedelta(minutes=30))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_reminders() == 1
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_it_confirms_the_listed_accounts_from_the_email_link(client, planned, owner):
    planned()
    digest = ReminderDelivery.objects.filter(recipient=owner).first().digest
    sign_in(client, owner)
    page = client.get(f"/reminders/confirm/{confirm_token(digest)}/")
    assert "秘密 太郎" in page.content.decode()
    client.post(f"/reminders/confirm/{confirm_token(digest)}/")
    # The worker without an ID is listed too, but stays unconfirmed until its ID is entered.
    assert list(Worker.objects.filter(last_confirmed_by=owner).values_list("name", flat=True)) == [
        "秘密 太郎"
    ]
    assert client.get(f"/reminders/confirm/{confirm_token(digest)}x/").status_code == 404


@pytest.mark.django_db
def test_it_shows_the_delivery_log_to_owners_only(client, owner, admin_member):
    sign_in(client, owner)
    assert client.get("/reminders/log/").status_code == 200
    client.logout()
    sign_in(client, admin_member)
    assert client.get("/reminders/log/").status_code == 403
    assert client.get("/reminders/preferences/").status_code == 200


@pytest.mark.django_db
def test_it_saves_reminder_choices_but_keeps_expiry_warnings_with_someone(
    client, owner, admin_member
):
    sign_in(client, owner)
    client.post("/reminders/preferences/", {"kinds": ["registration_expiry", "card_expiry"]})
    body = client.get("/reminders/preferences/").content.decode()
    assert 'value="missing"' in body and 'value="missing" checked' not in body
    client.logout()
    sign_in(client, admin_member)
    client.post("/reminders/preferences/", {"kinds": []})
    client.logout()
    sign_in(client, owner)
    response = client.post("/reminders/preferences/", {"kinds": ["missing"]})
    assert response.status_code == 200
    assert "期限のお知らせは誰かが受け取る必要があります" in response.content.decode()

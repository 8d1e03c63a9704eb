"""Send one digest email per recipient: claim with compare-and-set, send, mark; never a secret."""

import datetime
import logging
import uuid
from collections import defaultdict

from django.conf import settings
from django.core import signing
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from ccus.accounts.models import Company, Worker
from ccus.mail.models import DeliveryStatus
from ccus.reminders.groups import GROUPS, reminder_group
from ccus.reminders.models import ReminderDelivery
from vault.auth.models import User
from vault.emails import make_message

log = logging.getLogger(__name__)
CONFIRM_SALT = "ccus.reminder-confirm"
CONFIRM_LINK_DAYS = 30
DETAIL_URL = {"company": "ccus:companies-detail", "worker": "ccus:workers-detail"}


class _DatedSigner(signing.TimestampSigner):
    """A timestamp signer dated at a given moment, so one digest always gets the same link."""

    def __init__(self, *, issued_at: datetime.datetime, **kwargs) -> None:
        super().__init__(**kwargs)
        self.issued_at = issued_at

    def timestamp(self) -> str:
        return signing.b62_encode(int(self.issued_at.timestamp()))


def confirm_token(digest: uuid.UUID, issued_at: datetime.datetime | None = None) -> str:
    """Return the signed token of a digest's "内容は正しい" link, dated issued_at (or now)."""
    signer = _DatedSigner(salt=CONFIRM_SALT, issued_at=issued_at or timezone.now())
    return signer.sign_object(str(digest))


def digest_from_token(token: str) -> uuid.UUID:
    """Return the digest of a signed token; raise signing.BadSignature when forged or expired."""
    value = signing.loads(
        token, salt=CONFIRM_SALT, max_age=datetime.timedelta(days=CONFIRM_LINK_DAYS)
    )
    return uuid.UUID(value)


def claim(recipient_id: int) -> uuid.UUID | None:
    """Take the recipient's next digest; None if nothing waits or another worker has it.

    A digest put back after a lost or failed attempt is taken again as it was, with the same
    deliveries and identity; reminders planned since then wait for a digest of their own.
    """
    waiting = ReminderDelivery.objects.filter(
        recipient_id=recipient_id, status=DeliveryStatus.PENDING
    )
    now = timezone.now()
    taken = {"status": DeliveryStatus.CLAIMED, "claimed_at": now, "attempts": F("attempts") + 1}
    earlier = waiting.exclude(digest=None).values_list("digest", flat=True).first()
    if earlier is not None and waiting.filter(digest=earlier).update(**taken):
        return earlier
    digest = uuid.uuid4()
    if waiting.filter(digest=None).update(digest=digest, digest_created_at=now, **taken):
        return digest
    return None


def digest_context(digest: uuid.UUID, deliveries: list[ReminderDelivery]) -> dict:
    """Group a digest's reminders by firm and what to do about them, with links; no secret."""
    base = settings.SITE_URL.rstrip("/")
    issued_at = deliveries[0].digest_created_at if deliveries else None
    token = confirm_token(digest, issued_at)
    # Dated at the digest, not at each attempt: a digest sent again is the same email.
    today = timezone.localdate(issued_at) if issued_at else timezone.localdate()
    firms: dict = defaultdict(lambda: defaultdict(list))
    for delivery in sorted(deliveries, key=lambda d: (d.organization.name, d.subject_label)):
        url = base + reverse(DETAIL_URL[delivery.subject_type], args=[delivery.subject_uuid])
        firms[delivery.organization.name][reminder_group(delivery, today)].append(
            {"label": delivery.subject_label, "due_on": delivery.due_on, "url": url}
        )
    sections = [
        {
            "firm": firm,
            "groups": [
                {**GROUPS[name], "items": groups[name], "count": len(groups[name])}
                for name in GROUPS
                if name in groups
            ],
        }
        for firm, groups in firms.items()
    ]
    return {
        "sections": sections,
        "count": len(deliveries),
        "confirm_url": base + reverse("ccus:reminders-confirm", args=[token]),
        "preferences_url": base + reverse("ccus:reminders-preferences"),
    }


def build_message(digest: uuid.UUID, recipient: User, deliveries: list[ReminderDelivery]):
    """Render the digest email of these deliveries for the recipient."""
    context = digest_context(digest, deliveries)
    headers = {
        "List-Unsubscribe": f"<{context['preferences_url']}>",
        "Message-ID": f"<{digest}@ccus-vault>",
        "X-CCUS-Vault-Digest": str(digest),
    }
    return make_message("reminder-digest", recipient.email, context, headers=headers)


def send_pending(recipient_id: int, *, final_attempt: bool) -> int:
    """Send the recipient's waiting reminders, one digest at a time; return how many they held.

    On an error the digest goes back to pending (to be retried, as the same email) or, on the
    final attempt, is marked failed with the error, and the error is raised again.
    """
    sent = 0
    while (digest := claim(recipient_id)) is not None:
        sent += _send(digest, recipient_id, final_attempt=final_attempt)
    return sent


def _without_trash(deliveries: list[ReminderDelivery]) -> list[ReminderDelivery]:
    """Forget the reminders of accounts moved to the trash after they were planned."""
    trashed = set()
    for model, subject_type in ((Company, "company"), (Worker, "worker")):
        uuids = [d.subject_uuid for d in deliveries if d.subject_type == subject_type]
        in_trash = model.with_trash.filter(uuid__in=uuids, deleted_at__isnull=False)
        trashed |= set(in_trash.values_list("uuid", flat=True))
    if not trashed:
        return deliveries
    # Forgotten, not marked: an account restored from the trash is reminded of again.
    ReminderDelivery.objects.filter(
        id__in=[d.id for d in deliveries if d.subject_uuid in trashed]
    ).delete()
    return [d for d in deliveries if d.subject_uuid not in trashed]


def _send(digest: uuid.UUID, recipient_id: int, *, final_attempt: bool) -> int:
    deliveries = _without_trash(
        list(
            ReminderDelivery.objects.filter(digest=digest)
            .select_related("organization")
            .order_by("id")
        )
    )
    if not deliveries:
        return 0
    recipient = User.objects.get(pk=recipient_id)
    try:
        build_message(digest, recipient, deliveries).send()
    except Exception as error:
        release(digest, error, failed=final_attempt)
        raise
    ReminderDelivery.objects.filter(digest=digest, status=DeliveryStatus.CLAIMED).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    log.info("digest=%s recipient=%s reminders=%s sent=true", digest, recipient_id, len(deliveries))
    return len(deliveries)


def release(digest: uuid.UUID, error: Exception, *, failed: bool) -> None:
    """Give a digest back after an error, as the same email, or mark its deliveries failed."""
    reason = f"{type(error).__name__}: {error}"[:300]
    status = DeliveryStatus.FAILED if failed else DeliveryStatus.PENDING
    ReminderDelivery.objects.filter(digest=digest, status=DeliveryStatus.CLAIMED).update(
        status=status, last_error=reason
    )
    log.warning("digest=%s failed=%s error=%s", digest, failed, type(error).__name__)


def stale(*, claimed_before: datetime.datetime,
          pending_before: datetime.datetime) -> list[int]:  # fmt: skip
    """Put stuck claims back (each digest keeps its identity); return who has reminders waiting."""
    ReminderDelivery.objects.filter(
        status=DeliveryStatus.CLAIMED, claimed_at__lt=claimed_before
    ).update(status=DeliveryStatus.PENDING)
    waiting = ReminderDelivery.objects.filter(status=DeliveryStatus.PENDING).filter(
        Q(claimed_at__isnull=True, created_at__lt=pending_before) | Q(claimed_at__lt=pending_before)
    )
    return sorted(set(waiting.values_list("recipient_id", flat=True)))


def resend_failed(*, organization, delivery_uuids: list[str]) -> list[int]:
    """Put failed deliveries of a firm back to pending, as a new digest; return their recipients."""
    failed = ReminderDelivery.objects.filter(
        organization=organization, status=DeliveryStatus.FAILED, uuid__in=delivery_uuids
    )
    recipients = sorted(set(failed.values_list("recipient_id", flat=True)))
    failed.update(
        status=DeliveryStatus.PENDING,
        digest=None,
        digest_created_at=None,
        claimed_at=None,
        attempts=0,
    )
    return recipients

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

from ccus.mail.models import DeliveryStatus
from ccus.reminders.models import ReminderDelivery
from vault.auth.models import User
from vault.emails import make_message

log = logging.getLogger(__name__)
CONFIRM_SALT = "ccus.reminder-confirm"
CONFIRM_LINK_DAYS = 30
DETAIL_URL = {"company": "ccus:companies-detail", "worker": "ccus:workers-detail"}


def confirm_token(digest: uuid.UUID) -> str:
    """Return the signed token of a digest's "内容は正しい" link."""
    return signing.dumps(str(digest), salt=CONFIRM_SALT)


def digest_from_token(token: str) -> uuid.UUID:
    """Return the digest of a signed token; raise signing.BadSignature when forged or expired."""
    value = signing.loads(
        token, salt=CONFIRM_SALT, max_age=datetime.timedelta(days=CONFIRM_LINK_DAYS)
    )
    return uuid.UUID(value)


def claim(recipient_id: int) -> uuid.UUID | None:
    """Take the recipient's pending deliveries for one digest; None if another worker has them."""
    digest = uuid.uuid4()
    claimed = ReminderDelivery.objects.filter(
        recipient_id=recipient_id, status=DeliveryStatus.PENDING
    ).update(
        status=DeliveryStatus.CLAIMED,
        digest=digest,
        claimed_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    return digest if claimed else None


def digest_context(digest: uuid.UUID, deliveries: list[ReminderDelivery]) -> dict:
    """Group a digest's reminders by firm and kind, with links; names and dates only."""
    base = settings.SITE_URL.rstrip("/")
    firms: dict = defaultdict(lambda: defaultdict(list))
    for delivery in sorted(
        deliveries, key=lambda d: (d.organization.name, d.kind, d.subject_label)
    ):
        url = base + reverse(DETAIL_URL[delivery.subject_type], args=[delivery.subject_uuid])
        firms[delivery.organization.name][delivery.get_kind_display()].append(
            {"label": delivery.subject_label, "due_on": delivery.due_on, "url": url}
        )
    sections = [
        {
            "firm": firm,
            "kinds": [{"label": k, "items": v, "count": len(v)} for k, v in kinds.items()],
        }
        for firm, kinds in firms.items()
    ]
    return {
        "sections": sections,
        "count": len(deliveries),
        "confirm_url": base + reverse("ccus:reminders-confirm", args=[confirm_token(digest)]),
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
    """Send the recipient's pending reminders as one digest; return how many it held.

    On an error the deliveries go back to pending (to be retried) or, on the final attempt,
    are marked failed with the error, and the error is raised again.
    """
    digest = claim(recipient_id)
    if digest is None:
        return 0
    deliveries = list(ReminderDelivery.objects.filter(digest=digest).select_related("organization"))
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
    """Give a digest's deliveries back after an error, or mark them failed."""
    reason = f"{type(error).__name__}: {error}"[:300]
    status = DeliveryStatus.FAILED if failed else DeliveryStatus.PENDING
    ReminderDelivery.objects.filter(digest=digest, status=DeliveryStatus.CLAIMED).update(
        status=status, digest=digest if failed else None, last_error=reason
    )
    log.warning("digest=%s failed=%s error=%s", digest, failed, type(error).__name__)


def stale(*, claimed_before: datetime.datetime,
          pending_before: datetime.datetime) -> list[int]:  # fmt: skip
    """Put stuck claims back to pending; return the recipients whose reminders wait to be sent."""
    ReminderDelivery.objects.filter(
        status=DeliveryStatus.CLAIMED, claimed_at__lt=claimed_before
    ).update(status=DeliveryStatus.PENDING, digest=None)
    waiting = ReminderDelivery.objects.filter(status=DeliveryStatus.PENDING).filter(
        Q(claimed_at__isnull=True, created_at__lt=pending_before) | Q(claimed_at__lt=pending_before)
    )
    return sorted(set(waiting.values_list("recipient_id", flat=True)))


def resend_failed(*, organization, delivery_uuids: list[str]) -> list[int]:
    """Put failed deliveries of a firm back to pending; return their recipients."""
    failed = ReminderDelivery.objects.filter(
        organization=organization, status=DeliveryStatus.FAILED, uuid__in=delivery_uuids
    )
    recipients = sorted(set(failed.values_list("recipient_id", flat=True)))
    failed.update(status=DeliveryStatus.PENDING, digest=None, claimed_at=None, attempts=0)
    return recipients

"""The weekly oversight email: what changed at each subcontractor and what is at risk."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from ccus.mail.models import DeliveryStatus
from ccus.oversight.models import Engagement, OversightDigest, SubcontractorSnapshot
from ccus.oversight.rollup import readiness_rollup, visible_subcontractors
from vault.emails import make_message
from vault.firms.models import Membership, Organization

log = logging.getLogger(__name__)
DIGEST_ROWS = 300
SNAPSHOT_FIELDS = ["workers", "with_id", "confirmed", "expiring_all", "expired_all",
                   "missing_email", "unanswered"]  # fmt: skip


def week_of(day: datetime.date) -> datetime.date:
    """Return the Monday of the week of day."""
    return day - datetime.timedelta(days=day.weekday())


@transaction.atomic
def plan_weekly(today: datetime.date | None = None) -> list[int]:
    """Snapshot every prime's subcontractors and create this week's digests; return their ids."""
    week = week_of(today or timezone.localdate())
    prime_ids = Engagement.objects.filter(status=Engagement.Status.ACTIVE).values("prime_id")
    for prime in Organization.objects.filter(id__in=prime_ids):
        snapshots = [
            SubcontractorSnapshot(
                prime=prime, subcontractor=v.firm, week=week, score=v.stats["score"],
                stats={name: v.stats[name] for name in SNAPSHOT_FIELDS},
            )
            for v in readiness_rollup(visible_subcontractors(prime))
        ]  # fmt: skip
        SubcontractorSnapshot.objects.bulk_create(snapshots, ignore_conflicts=True)
    members = Membership.objects.filter(organization_id__in=prime_ids, user__is_active=True)
    OversightDigest.objects.bulk_create(
        [OversightDigest(prime_id=m.organization_id, recipient_id=m.user_id, week=week)
         for m in members],
        ignore_conflicts=True,
    )  # fmt: skip
    pending = OversightDigest.objects.filter(week=week, status=DeliveryStatus.PENDING)
    return list(pending.values_list("id", flat=True))


def digest_context(digest: OversightDigest) -> dict:
    """What changed since last week and what is at risk, per subcontractor: counts only."""
    snapshots = {
        (s.subcontractor_id, s.week): s
        for s in SubcontractorSnapshot.objects.filter(
            prime=digest.prime, week__in=[digest.week, digest.week - datetime.timedelta(days=7)]
        ).select_related("subcontractor")
    }
    rows = []
    for (firm_id, week), now in sorted(snapshots.items(), key=lambda kv: kv[1].score):
        if week != digest.week:
            continue
        before = snapshots.get((firm_id, digest.week - datetime.timedelta(days=7)))
        rows.append({
            "firm": now.subcontractor.name,
            "score": now.score,
            "change": None if before is None else now.score - before.score,
            "at_risk": now.stats["expired_all"] + now.stats["expiring_all"]
            + now.stats["missing_email"] + now.stats["unanswered"],
            **now.stats,
        })  # fmt: skip
    # A prime with thousands of subcontractors gets the lowest scores; the page has the rest.
    more = max(len(rows) - DIGEST_ROWS, 0)
    rows = rows[:DIGEST_ROWS]
    since = timezone.now() - datetime.timedelta(days=7)
    engagements = Engagement.objects.filter(prime=digest.prime).select_related("subcontractor")
    return {
        "prime": digest.prime,
        "rows": rows,
        "more": more,
        "joined": [e.subcontractor.name for e in engagements.filter(responded_at__gte=since,
                                                                    status="active")],
        "ended": [e.subcontractor.name for e in engagements.filter(ended_at__gte=since)],
        "url": settings.SITE_URL.rstrip("/") + reverse("ccus:oversight"),
    }  # fmt: skip


def send_weekly(digest_id: int, *, final_attempt: bool) -> bool:
    """Send one weekly digest once: claim it, send it, mark it; on error retry or fail."""
    claimed = OversightDigest.objects.filter(id=digest_id, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.CLAIMED, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    digest = OversightDigest.objects.select_related("prime", "recipient").get(id=digest_id)
    try:
        # One Message-ID per weekly digest: a copy sent again after a crash is the same email.
        headers = {"Message-ID": f"<weekly-{digest.uuid}@ccus-vault>"}
        make_message(
            "oversight-weekly", digest.recipient.email, digest_context(digest), headers=headers
        ).send()
    except Exception as error:
        status = DeliveryStatus.FAILED if final_attempt else DeliveryStatus.PENDING
        OversightDigest.objects.filter(id=digest_id).update(
            status=status, last_error=f"{type(error).__name__}: {error}"[:300]
        )
        raise
    OversightDigest.objects.filter(id=digest_id).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    log.info("oversight_digest=%s sent=true", digest_id)
    return True


def stale_weekly(*, claimed_before: datetime.datetime, pending_before: datetime.datetime) -> list:
    """Put stuck weekly digests back to pending; return the ids waiting to be sent."""
    OversightDigest.objects.filter(
        status=DeliveryStatus.CLAIMED, claimed_at__lt=claimed_before
    ).update(status=DeliveryStatus.PENDING)
    waiting = OversightDigest.objects.filter(
        status=DeliveryStatus.PENDING, created_at__lt=pending_before
    )
    return list(waiting.values_list("id", flat=True))

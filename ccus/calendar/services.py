"""Make, replace and stop a member's calendar feed; find a feed by the token in its address."""

import datetime

from django.db import transaction
from django.http import HttpRequest

from ccus.calendar.models import CalendarFeed
from vault.audit.services import audit_record
from vault.firms.models import Membership
from vault.tokens import new_token, note_use, token_hash

# A feed's "last read" is written at most this often, not on every poll.
FETCH_NOTE_EVERY = datetime.timedelta(minutes=30)


@transaction.atomic
def calendar_feed_issue(
    *, membership: Membership, language: str, request: HttpRequest | None
) -> str:
    """Give the member a new feed address (the old one stops working); return its token."""
    token = new_token()
    CalendarFeed.objects.update_or_create(
        membership=membership,
        defaults={
            "organization": membership.organization,
            "token_hash": token_hash(token),
            "language": language,
            "last_fetched_at": None,
        },
    )
    audit_record(
        action="calendar.issue",
        actor=membership.user,
        organization=membership.organization,
        request=request,
    )
    return token


@transaction.atomic
def calendar_feed_revoke(*, membership: Membership, request: HttpRequest | None) -> bool:
    """Stop the member's feed address; return whether there was one."""
    deleted, _ = CalendarFeed.objects.filter(membership=membership).delete()
    if deleted:
        audit_record(
            action="calendar.revoke",
            actor=membership.user,
            organization=membership.organization,
            request=request,
        )
    return bool(deleted)


def calendar_feed_for(token: str) -> CalendarFeed | None:
    """Return the live feed behind a token (its member still active), noting the read."""
    feed = (
        CalendarFeed.objects.select_related("organization", "membership__user")
        .filter(token_hash=token_hash(token), membership__user__is_active=True)
        .first()
    )
    if feed is not None:
        note_use(feed, "last_fetched_at", FETCH_NOTE_EVERY)
    return feed

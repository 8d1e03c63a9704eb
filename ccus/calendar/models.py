"""The calendar feed of one member: a random token, kept only as its hash."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from vault.firms.models import Membership, Organization, TenantQuerySet


class CalendarFeed(models.Model):
    """A member's subscription address for the firm's dates; revoked by deleting it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    # sha256 of the token in the feed's address; the token itself is shown once.
    token_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=10, default="ja")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_fetched_at = models.DateTimeField(_("last read by a calendar"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.membership.user)

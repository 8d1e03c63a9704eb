"""The audit trail's events: who did what to which record, when and from where."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vault.firms.models import Organization


class AuditEvent(models.Model):
    """Who did what to which record, when and from where; never a secret value."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("action"), max_length=50)
    target_type = models.CharField(_("record type"), max_length=50, blank=True)
    target_uuid = models.UUIDField(_("record"), null=True, blank=True)
    target_label = models.CharField(_("record name"), max_length=200, blank=True)
    field = models.CharField(_("field"), max_length=50, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at"]
        # The log page: a firm's newest first, in the page's own order, read in index order.
        indexes = [
            models.Index(fields=["organization", "-created_at", "-id"], name="audit_org_recent_idx")
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

"""A one-time link to a worker's own login items, sealed under the link's secret and a PIN."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccus.accounts.models import Worker
from vault.firms.models import Organization, TenantQuerySet


class HandoffLink(models.Model):
    """One worker's chosen login items, readable once with the link's secret part and the PIN.

    The database holds only the ciphertext, its salt and nonce, and a hash of the secret part:
    neither the secret nor the PIN is stored, so the database alone cannot open it.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting to be opened")
        VIEWED = "viewed", _("Opened by the worker")
        EXPIRED = "expired", _("Expired unopened")
        BURNT = "burnt", _("Locked after three wrong PINs")
        REVOKED = "revoked", _("Cancelled")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="handoff_links"
    )
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="handoff_links")
    fields = models.JSONField(_("items"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # sha256 of the link's secret part: tells a mistyped link from a wrong PIN.
    verifier = models.CharField(max_length=64)
    salt = models.BinaryField(max_length=16)
    nonce = models.BinaryField(max_length=12)
    # Wiped (NULL) as soon as the link is opened, expires, burns or is cancelled.
    ciphertext = models.BinaryField(null=True)
    wrong_pins = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("one-time link")
        verbose_name_plural = _("one-time links")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"], name="handoff_open_expiry_idx")]

    def __str__(self) -> str:
        return str(self.worker)

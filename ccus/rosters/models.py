"""Roster imports: an uploaded file kept (encrypted) until imported, and remembered mappings."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vault.crypto.fields import EncryptedTextField
from vault.firms.models import Organization, TenantQuerySet


class ImportJob(models.Model):
    """An uploaded roster kept (encrypted) from preview to import, with its progress."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed; nothing was changed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(_("file"), max_length=200)
    kind = models.CharField(max_length=10, default="worker")  # "worker" or "company"
    encoding = models.CharField(max_length=20, blank=True)
    # The file as uploaded, base64, encrypted: rosters hold birth dates and emails.
    content = EncryptedTextField(null=True, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    # IDs a person accepted in the preview, by row number of the file: {"7": "01234567890123"}.
    accepted_ids = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    progress = models.PositiveSmallIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=300, blank=True)  # a code of jobs.FAILURES
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class ImportMapping(models.Model):
    """A column heading of a firm's roster files mapped by hand to a worker field."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    header = models.CharField(max_length=100)
    field = models.CharField(max_length=30)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "header"], name="mapping_once")
        ]

    def __str__(self) -> str:
        return f"{self.header} → {self.field}"

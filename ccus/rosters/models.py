"""Roster imports and backup restores: an upload kept (encrypted) until done; mappings."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vault.crypto.fields import EncryptedTextField
from vault.firms.models import Organization, TenantQuerySet


class KeptUpload(models.Model):
    """An upload kept (encrypted) from its preview until it is confirmed and done, then dropped."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(_("file"), max_length=200)
    content = EncryptedTextField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class ImportJob(KeptUpload):
    """An uploaded roster kept (encrypted) from preview to import, with its progress."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed; nothing was changed")

    kind = models.CharField(max_length=10, default="worker")  # "worker" or "company"
    encoding = models.CharField(max_length=20, blank=True)
    # content: the file as uploaded, base64, encrypted: rosters hold birth dates and emails.
    mapping = models.JSONField(default=dict, blank=True)
    # IDs a person accepted in the preview, by row number of the file: {"7": "01234567890123"}.
    accepted_ids = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    progress = models.PositiveSmallIntegerField(default=0)


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


class BackupRestore(KeptUpload):
    """An owner's backup, opened with its passphrase and kept (encrypted) until restored."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        # Set with the restore's own transaction: until it commits, others see it queued.
        QUEUED = "queued", _("Restoring")
        DONE = "done", _("Restored")
        FAILED = "failed", _("Failed; nothing was changed")
        CANCELLED = "cancelled", _("Cancelled")

    # content: the backup's tables as read with the passphrase (JSON), encrypted.
    # error: a code of restore_jobs.FAILURES.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    records = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

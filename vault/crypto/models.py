"""The key table (each firm's data keys, wrapped by the master key) and unreadable values."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FirmKey(models.Model):
    """One version of a firm's data key, wrapped by a master key; never stored in the clear.

    It may live in a database of its own (VAULT_KEYS_DATABASE_URL), so that deleting a firm
    shreds its data in every earlier dump of the main database. No foreign key for that reason.
    """

    organization_uuid = models.UUIDField(db_index=True)
    version = models.PositiveIntegerField()
    master_key_id = models.CharField(max_length=100)
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("firm data key")
        verbose_name_plural = _("firm data keys")
        constraints = [
            models.UniqueConstraint(
                fields=["organization_uuid", "version"], name="firm_key_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_uuid} v{self.version} ({self.master_key_id})"


class UnreadableValue(models.Model):
    """A stored value that did not open for its record: copied in, altered, or its key gone."""

    organization = models.ForeignKey(
        "vault.Organization", on_delete=models.CASCADE, related_name="+"
    )
    model = models.CharField(max_length=100)  # app_label.ModelName
    record_uuid = models.UUIDField()
    field = models.CharField(max_length=100)
    first_seen = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unreadable value")
        verbose_name_plural = _("unreadable values")
        constraints = [
            models.UniqueConstraint(
                fields=["model", "record_uuid", "field"], name="unreadable_value_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.record_uuid} {self.field}"

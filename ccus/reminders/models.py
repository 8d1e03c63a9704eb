"""Reminders: one row per reminder and recipient, and a member's choice of kinds."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccus.mail.models import SendState
from vault.firms.models import Organization


class ReminderKind(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Not confirmed within the policy")
    REGISTRATION_EXPIRY = "registration_expiry", _("Business registration expires")
    CARD_EXPIRY = "card_expiry", _("Worker card expires")
    FEE_DUE = "fee_due", _("Manager ID fee due")
    MISSING = "missing", _("Missing ID or registered email")
    EMAIL_HEALTH = "email_health", _("Registered email shared")
    ESCALATION = "escalation", _("Unanswered for 14 days")


class ReminderDelivery(SendState):
    """One reminder for one recipient, sent once (in a digest) whatever runs or retries."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # recipient|kind|subject|period: the same reminder is planned at most once (delivery_key_once).
    key = models.CharField(max_length=200)
    # Both found through the indexes below, which begin with them: a planning run writes a
    # million rows, and every index more is written a million times.
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="reminder_deliveries", db_index=False
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind.choices)
    subject_type = models.CharField(max_length=20)
    subject_uuid = models.UUIDField()
    subject_label = models.CharField(_("about"), max_length=200)
    due_on = models.DateField(_("date concerned"), null=True, blank=True)
    period = models.CharField(max_length=60)
    # All deliveries of one digest email share its id (the email's Message-ID), set by the
    # first claim and kept when a lost or failed attempt puts the digest back: a second copy
    # after a crash is the same email. The confirm link is dated from digest_created_at.
    digest = models.UUIDField(null=True, blank=True, db_index=True)
    digest_created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        # A constraint rather than unique=True: no second index on key for LIKE, never used.
        constraints = [models.UniqueConstraint(fields=["key"], name="delivery_key_once")]
        indexes = [
            models.Index(fields=["recipient", "status"], name="delivery_recipient_status"),
            models.Index(fields=["status", "claimed_at"], name="delivery_status_claimed"),
            models.Index(fields=["organization", "-created_at"], name="delivery_org_created"),
            # The rollup's count of unanswered reminders: escalations are few among deliveries.
            models.Index(
                fields=["organization", "status"],
                condition=models.Q(kind=ReminderKind.ESCALATION),
                name="delivery_escalation_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject_label} → {self.recipient}"


class ReminderPreference(models.Model):
    """A member's choice not to receive one kind of reminder for one firm."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preferences"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "kind"], name="reminder_opt_out_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ✕ {self.kind}"

"""Recovery cases (one lost login each) and the handover steps of a leaving worker."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccus.accounts.models import CcusAccount, Company, Worker
from ccus.recovery.guide import path_label
from vault.crypto.fields import EncryptedTextField
from vault.firms.models import Organization, TenantQuerySet


class RecoveryCase(models.Model):
    """One time someone could not log in to CCUS: what was missing, the path, when solved."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="recovery_cases"
    )
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.CASCADE, related_name="recovery_cases"
    )
    worker = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.CASCADE, related_name="recovery_cases"
    )
    missing = models.JSONField(_("what was missing"), default=list)
    have = models.JSONField(_("what was at hand"), default=list)
    path = models.CharField(_("path"), max_length=30)
    # What the person answered where the vault could not: {"registration_complete": "yes"}.
    answers = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    completed_at = models.DateTimeField(_("solved"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Closed by the daily sweep when nobody finished the case within ABANDON_AFTER.
    abandoned_at = models.DateTimeField(_("abandoned"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(company__isnull=True) ^ models.Q(worker__isnull=True),
                name="recovery_case_one_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} ({self.started_at:%Y-%m-%d})"

    @property
    def account(self) -> CcusAccount:
        return self.company or self.worker

    @property
    def kind(self) -> str:
        return "company" if self.company_id else "worker"

    @property
    def path_label(self) -> str:
        return path_label(self.path)


class HandoverStep(models.Model):
    """A dated step of handing a leaving worker's CCUS account back (退職・移籍)."""

    class Step(models.TextChoices):
        EMAIL_MOVED = "email_moved", _("Registered email moved to the worker's own address")
        CREDENTIALS_RETURNED = "credentials_returned", _("Card and login details handed back")
        AFFILIATION_REMOVED = "affiliation_removed", _("Link to the firm removed in CCUS")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawal recorded")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="handover_steps")
    step = models.CharField(_("step"), max_length=30, choices=Step.choices)
    done_on = models.DateField(_("done on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    note = EncryptedTextField(_("note"), null=True, blank=True)

    # The firm whose data key encrypts the note, and to which the note is bound.
    encryption_owner = "worker.organization"

    class Meta:
        verbose_name = _("handover step")
        verbose_name_plural = _("handover steps")
        constraints = [
            models.UniqueConstraint(fields=["worker", "step"], name="handover_step_once")
        ]

    def __str__(self) -> str:
        return f"{self.worker}: {self.get_step_display()} ({self.done_on})"

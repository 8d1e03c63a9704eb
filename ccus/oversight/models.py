"""Engagements between a prime contractor and its subcontractors, sites, weekly snapshots."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ccus.accounts.models import Worker
from ccus.mail.models import SendState
from vault.firms.models import Organization, TenantQuerySet


class Engagement(models.Model):
    """A prime contractor (元請) looking over a subcontractor's readiness, with its consent."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", pgettext_lazy("engagement status", "Active")
        REFUSED = "refused", _("Refused")
        ENDED = "ended", _("Ended")

    class Sharing(models.TextChoices):
        STATUS = "status", _("Status only")
        IDS = "status_ids", _("Status and full IDs")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    prime = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="engagements_as_prime"
    )
    subcontractor = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="engagements_as_subcontractor"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    sharing = models.CharField(
        _("what is shared"), max_length=12, choices=Sharing.choices, default=Sharing.STATUS
    )
    # The subcontractor lets its status pass on to the prime's own prime contractors.
    pass_up = models.BooleanField(_("pass status up the chain"), default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [
            models.UniqueConstraint(
                fields=["prime", "subcontractor"],
                condition=models.Q(status__in=["invited", "active"]),
                name="engagement_open_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(prime=models.F("subcontractor")), name="engagement_not_self"
            ),
        ]

    def __str__(self) -> str:
        # No status here: this name is kept in the audit log, in the language of the moment.
        return f"{self.prime} → {self.subcontractor}"


class Site(models.Model):
    """A construction site (現場) of a prime contractor, with its assigned subcontractors."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("site name"), max_length=200)
    address = models.CharField(_("site address"), max_length=300, blank=True)
    site_code = models.CharField(_("現場ID"), max_length=40, blank=True)
    engagements = models.ManyToManyField(Engagement, blank=True, related_name="sites")
    # The subcontractors' workers chosen for this site's roster (作業員名簿).
    workers = models.ManyToManyField(Worker, blank=True, related_name="sites")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SubcontractorSnapshot(models.Model):
    """A subcontractor's readiness as its prime saw it in one week, to tell what changed."""

    prime = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    subcontractor = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    score = models.PositiveSmallIntegerField()
    stats = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prime", "subcontractor", "week"], name="snapshot_once_a_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subcontractor} {self.week}: {self.score}"


class OversightDigest(SendState):
    """The weekly oversight email of one prime firm to one of its members, sent once."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    prime = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    week = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prime", "recipient", "week"], name="oversight_digest_once_a_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prime} → {self.recipient} ({self.week})"

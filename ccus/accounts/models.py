"""CCUS accounts held in a firm's vault: 事業者 (Company) and 技能者 (Worker) accounts."""

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vault.crypto.blind_index import MAX_LENGTH as INDEX_LENGTH
from vault.crypto.fields import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedEmailField,
    EncryptedTextField,
)
from vault.firms.models import Organization, TenantQuerySet


class LiveAccountManager(models.Manager.from_queryset(TenantQuerySet)):
    """The accounts in use: an account in the trash is left out of every page, count and feed."""

    def get_queryset(self) -> TenantQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


# The accounts in use, as every page reads them: the condition of the partial indexes.
LIVE = models.Q(deleted_at__isnull=True)


class CcusAccount(models.Model):
    """What a business and a worker account share: login, recovery items, confirmation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="%(class)ss"
    )
    name = models.CharField(_("name"), max_length=200)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    # Name and reading as searches compare them (katakana, no spaces, lower case); kept in
    # step by the services so that 「ささき」 and 「佐々木健」 find 佐々木 健.
    search_text = models.CharField(max_length=401, blank=True, editable=False)
    # Blind index and last four digits of the ID: lookup, uniqueness and masked display
    # without decrypting. Kept in step with the ID by the services. NULL (not "") when there
    # is no ID, so the unique constraint lets many accounts lack one. Each index is kept twice:
    # under the oldest and under the newest blind-index key listed (the same value but while
    # the key is changed), both unique, so two processes on either side of the change collide.
    ccus_id_index = models.CharField(  # noqa: DJ001
        max_length=INDEX_LENGTH, null=True, blank=True, editable=False
    )
    ccus_id_index_new = models.CharField(  # noqa: DJ001
        max_length=INDEX_LENGTH, null=True, blank=True, editable=False
    )
    ccus_id_last4 = models.CharField(max_length=4, blank=True, editable=False)
    registered_email = EncryptedEmailField(
        _("registered email"), max_length=254, null=True, blank=True
    )
    email_index = models.CharField(  # noqa: DJ001
        max_length=INDEX_LENGTH, null=True, blank=True, editable=False
    )
    email_index_new = models.CharField(  # noqa: DJ001
        max_length=INDEX_LENGTH, null=True, blank=True, editable=False
    )
    password = EncryptedCharField(_("password"), max_length=200, null=True, blank=True)
    security_code = EncryptedCharField(_("security code"), max_length=20, null=True, blank=True)
    security_code_hint = EncryptedCharField(
        _("security code hint"), max_length=200, null=True, blank=True
    )
    hint_is_code = models.BooleanField(default=False, editable=False)
    address = EncryptedCharField(_("address"), max_length=300, null=True, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=30, null=True, blank=True)
    notes = EncryptedTextField(_("notes"), null=True, blank=True)
    last_confirmed_at = models.DateTimeField(_("last confirmed"), null=True, blank=True)
    last_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Moved to the trash (a record added by mistake): kept for TRASH_DAYS, then purged.
    deleted_at = models.DateTimeField(
        _("moved to the trash"), null=True, blank=True, editable=False
    )
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = LiveAccountManager()
    # The trash and what must see it: restore, purge, key rotation.
    with_trash = TenantQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name_kana", "name", "id"]
        # An account in the trash does not hold its ID: the same ID can be added again, and a
        # restore that would clash is refused with the name of the account that holds it.
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "ccus_id_index"],
                condition=models.Q(deleted_at__isnull=True),
                name="%(class)s_unique_id_per_org",
            ),
            models.UniqueConstraint(
                fields=["organization", "ccus_id_index_new"],
                condition=models.Q(deleted_at__isnull=True),
                name="%(class)s_unique_new_id",
            ),
        ]
        # Why each index is there: README, "Indexes". The trigram ones exist on PostgreSQL only.
        indexes = [
            models.Index(fields=["organization", "email_index"], name="%(class)s_email_idx"),
            models.Index(
                fields=["organization", "email_index_new"], name="%(class)s_new_email_idx"
            ),
            models.Index(
                fields=["organization", "name_kana", "name", "id"],
                condition=LIVE,
                name="%(class)s_list_idx",
            ),
            models.Index(
                fields=["organization", "ccus_id_last4"], condition=LIVE, name="%(class)s_last4_idx"
            ),
            GinIndex(
                fields=["search_text"],
                opclasses=["gin_trgm_ops"],
                condition=LIVE,
                name="%(class)s_search_trgm",
            ),
            GinIndex(
                OpClass(Upper("name"), name="gin_trgm_ops"),
                condition=LIVE,
                name="%(class)s_name_trgm",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Company(CcusAccount):
    """A CCUS 事業者 account: the business's login and what CCUS asks to recover it."""

    ccus_id = EncryptedCharField(_("business ID"), max_length=14, null=True, blank=True)
    initial_password = EncryptedCharField(
        _("initial password"), max_length=200, null=True, blank=True
    )
    responsible_person = models.CharField(
        _("registration manager (登録責任者)"), max_length=100, blank=True
    )
    registration_expires_on = models.DateField(_("registration expires on"), null=True, blank=True)
    notice_location = EncryptedCharField(
        _("where the completion notice is kept"), max_length=300, null=True, blank=True
    )

    class Meta(CcusAccount.Meta):
        verbose_name = _("business account")
        verbose_name_plural = _("business accounts")
        indexes = [
            *CcusAccount.Meta.indexes,
            models.Index(
                fields=["organization", "registration_expires_on"],
                condition=LIVE,
                name="company_expiry_idx",
            ),
        ]


class LiveFeeManager(models.Manager):
    """The fees of businesses in use: reminders and feeds never see those in the trash."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(company__deleted_at__isnull=True)


class ManagerIdFee(models.Model):
    """A yearly 管理者ID利用料 due date of one of the company's manager IDs."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="manager_id_fees")
    label = models.CharField(_("manager ID"), max_length=100)
    due_on = models.DateField(_("fee due on"))

    objects = LiveFeeManager()

    class Meta:
        verbose_name = _("manager ID fee")
        verbose_name_plural = _("manager ID fees")
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"{self.label} ({self.due_on})"


class WorkerStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("worker status", "Active")
    LEFT = "left", pgettext_lazy("worker status", "Left")


class Worker(CcusAccount):
    """A CCUS 技能者 account held by the firm with the worker's consent."""

    ccus_id = EncryptedCharField(_("worker ID"), max_length=14, null=True, blank=True)
    company = models.ForeignKey(
        Company,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workers",
        verbose_name=_("business"),
    )
    initial_password = EncryptedCharField(
        _("initial password"), max_length=200, null=True, blank=True
    )
    birth_date = EncryptedDateField(_("birth date"), null=True, blank=True)
    card_expires_on = models.DateField(_("card expires on"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(
        _("level"), null=True, blank=True, choices=[(n, str(n)) for n in range(1, 5)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=WorkerStatus.choices, default=WorkerStatus.ACTIVE
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_withdrawn_on = models.DateField(_("consent withdrawn on"), null=True, blank=True)

    class Meta(CcusAccount.Meta):
        verbose_name = _("worker account")
        verbose_name_plural = _("worker accounts")
        indexes = [
            *CcusAccount.Meta.indexes,
            models.Index(fields=["organization", "status"], name="worker_status_idx"),
            models.Index(
                fields=["organization", "card_expires_on"], condition=LIVE, name="worker_expiry_idx"
            ),
        ]

"""The trash: an account added by mistake is moved there, restored by an owner, purged later."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccus.accounts.models import CcusAccount, Company, Worker
from ccus.accounts.services import id_holder
from ccus.accounts.versions import accounts_changed
from vault.audit.services import audit_record

log = logging.getLogger(__name__)
TRASH_DAYS = 30


def _audit(account: CcusAccount, verb: str, actor=None, request=None) -> None:
    audit_record(
        action=f"{account._meta.model_name}.{verb}",
        actor=actor,
        organization_id=account.organization_id,
        target=account,
        request=request,
    )


def purge_date(account: CcusAccount) -> datetime.date:
    """Return the day an account in the trash is purged for good."""
    return timezone.localdate(account.deleted_at + datetime.timedelta(days=TRASH_DAYS))


@transaction.atomic
def account_delete(*, account: CcusAccount, actor, request: HttpRequest | None = None) -> None:
    """Move an account to the trash: it leaves every list, count, reminder, feed and backup."""
    if isinstance(account, Company):
        workers = account.workers.count()
        if workers:
            message = _(
                "Worker accounts still belong to this business account (%(count)s). Choose another "
                "business for them (or move them to the trash) first, then try again."
            )
            raise ValidationError(message, code="has_workers", params={"count": workers})
    account.deleted_at = timezone.now()
    account.deleted_by = actor
    account.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    accounts_changed(account.organization_id)
    _audit(account, "delete", actor, request)


def _restore_clash(account: CcusAccount) -> ValidationError | None:
    holder = id_holder(account)
    if holder is not None:
        message = _(
            "This account's ID is now saved for “%(name)s”, so it cannot come back as it was. "
            "Open “%(name)s” and check which one is right; move the wrong one to the trash."
        )
        return ValidationError(message, code="id_taken", params={"name": holder.name})
    company = account.company if isinstance(account, Worker) else None
    if company is not None and company.deleted_at is not None:
        message = _(
            "Its business account “%(name)s” is in the trash too. Restore the business "
            "account first, then this worker account."
        )
        return ValidationError(message, code="company_in_trash", params={"name": company.name})
    return None


@transaction.atomic
def account_restore(*, account: CcusAccount, actor, request: HttpRequest | None = None) -> None:
    """Bring an account back from the trash, unless its ID is now saved for another account."""
    if (error := _restore_clash(account)) is not None:
        raise error
    account.deleted_at = None
    account.deleted_by = None
    try:
        with transaction.atomic():
            account.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    except IntegrityError as integrity:
        # Another request saved the same ID between our check and our update.
        raise _restore_clash(account) or integrity from integrity
    accounts_changed(account.organization_id)
    _audit(account, "restore", actor, request)


def trash_expired(now: datetime.datetime | None = None) -> int:
    """Delete for good the accounts in the trash for more than TRASH_DAYS; return how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=TRASH_DAYS)
    purged = 0
    # Workers first: a business still pointed at by a worker in the trash waits for it.
    for model in (Worker, Company):
        expired = model.with_trash.filter(deleted_at__lte=cutoff)
        if model is Company:
            held = Worker.with_trash.filter(company__isnull=False).values("company_id")
            expired = expired.exclude(id__in=held)
        for account in expired.only("id", "uuid", "name", "organization_id").iterator():
            with transaction.atomic():
                _audit(account, "purge")
                model.with_trash.filter(pk=account.pk).delete()
            purged += 1
    log.info("trash=purged count=%s", purged)
    return purged

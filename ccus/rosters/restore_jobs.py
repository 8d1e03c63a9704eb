"""Restores kept from the preview to the confirmation, then run at once or by a Celery task."""

import logging
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccus.rosters.backup import Backup, read_backup
from ccus.rosters.models import BackupRestore
from ccus.rosters.restore import backup_restore
from ccus.rosters.restore_plan import check_backup_firm
from vault.firms.models import Organization

log = logging.getLogger(__name__)
# Backups with up to this many accounts are restored during the request; larger ones by a task.
INLINE_RECORDS = 1_000
# Why a restore stopped, by the code kept on it; nothing was changed in either case.
FAILURES = {
    "errors": _(
        "Some records of the backup cannot be restored, so nothing was changed. Check the "
        "backup again to see which ones."
    ),
    "failed": _(
        "The restore stopped because of an error. Nothing was changed. Try again; if it "
        "happens again, tell the administrator of CCUS Vault."
    ),
}


def restore_failure_message(job: BackupRestore) -> str:
    """Return the Japanese reason a restore failed (never an exception's name)."""
    return str(FAILURES.get(job.error, FAILURES["failed"])) if job.error else ""


@transaction.atomic
def restore_job_create(
    *, organization: Organization, actor, filename: str, data: bytes, passphrase: str
) -> BackupRestore:
    """Open the backup (so a wrong passphrase or file is refused at once) and keep it."""
    backup = read_backup(data, passphrase)
    check_backup_firm(organization, backup)
    # One restore waits for confirmation at a time: an older one is dropped with its content.
    BackupRestore.objects.filter(
        organization=organization, status=BackupRestore.Status.PREVIEW
    ).update(status=BackupRestore.Status.CANCELLED, content=None)
    return BackupRestore.objects.create(
        organization=organization,
        created_by=actor,
        filename=filename[:200],
        content=backup.as_json(),
        records=len(backup.tables["companies.csv"]) + len(backup.tables["workers.csv"]),
    )


def restore_job_backup(job: BackupRestore) -> Backup:
    """Return the backup kept by a restore that waits for confirmation."""
    return Backup.from_json(job.content)


@transaction.atomic
def restore_job_cancel(*, job: BackupRestore) -> None:
    """Drop a restore that waits for confirmation, with the backup it kept."""
    BackupRestore.objects.filter(id=job.id, status=BackupRestore.Status.PREVIEW).update(
        status=BackupRestore.Status.CANCELLED, content=None
    )


@transaction.atomic
def restore_job_queue(*, job: BackupRestore) -> None:
    """Hand a confirmed restore to a Celery worker once this transaction commits."""
    from ccus.rosters.tasks import run_backup_restore

    queued = BackupRestore.objects.filter(id=job.id, status=BackupRestore.Status.PREVIEW)
    if queued.update(status=BackupRestore.Status.QUEUED):
        transaction.on_commit(lambda: run_backup_restore.delay(job.id))


def restore_job_run(restore_id: int, request: HttpRequest | None = None) -> Counter | None:
    """Restore a confirmed backup once: the claim and the writes commit together, or neither."""
    try:
        with transaction.atomic():
            claimed = BackupRestore.objects.filter(
                id=restore_id,
                status__in=[BackupRestore.Status.PREVIEW, BackupRestore.Status.QUEUED],
            ).update(status=BackupRestore.Status.QUEUED)
            if not claimed:
                return None
            job = BackupRestore.objects.select_related("organization", "created_by").get(
                id=restore_id
            )
            counts = backup_restore(
                organization=job.organization, backup=restore_job_backup(job),
                actor=job.created_by, request=request,
            )  # fmt: skip
            BackupRestore.objects.filter(id=restore_id).update(
                status=BackupRestore.Status.DONE, counts=dict(counts), content=None,
                finished_at=timezone.now(),
            )  # fmt: skip
    except ValidationError as error:
        _failed(restore_id, error.code if error.code in FAILURES else "failed")
        return None
    except Exception as error:
        _failed(restore_id, "failed")
        # The type only: a database error's text can quote the row it failed on.
        log.error("backup_restore=%s failed=true error=%s", restore_id, type(error).__name__)
        raise
    return counts


def _failed(restore_id: int, code: str) -> None:
    BackupRestore.objects.filter(id=restore_id).update(
        status=BackupRestore.Status.FAILED,
        error=code,
        content=None,
        finished_at=timezone.now(),
    )

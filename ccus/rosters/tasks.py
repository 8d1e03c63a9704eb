"""Celery task of the roster imports: an id in, the import job does the work."""

from celery import shared_task


@shared_task(acks_late=True)
def run_roster_import(job_id: int) -> None:
    """Import a large roster in the background; the page shows its progress."""
    from ccus.rosters.jobs import job_run

    job_run(job_id)


@shared_task(acks_late=True)
def run_backup_restore(restore_id: int) -> None:
    """Restore a large backup in the background; its page shows when it is done."""
    from ccus.rosters.restore_jobs import restore_job_run

    restore_job_run(restore_id)

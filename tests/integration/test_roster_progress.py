"""A 50,000-row import in a real Celery worker: its page sees the progress move, then the result."""

import time

import pytest

from ccus.accounts.models import Worker
from ccus.rosters.jobs import import_job_create
from ccus.rosters.models import ImportJob
from ccus.rosters.progress import WRITTEN
from ccus.rosters.tasks import run_roster_import
from tests.ccus.rosters.test_import_progress import ROWS, roster_csv
from tests.factories import make_organization

pytestmark = pytest.mark.postgres


def test_it_shows_a_background_import_moving_while_its_transaction_runs(worker):
    organization = make_organization("取込建設")
    job = import_job_create(organization=organization, actor=None, filename="all.csv",
                            data=roster_csv(ROWS))  # fmt: skip
    ImportJob.objects.filter(id=job.id).update(status=ImportJob.Status.QUEUED)
    run_roster_import.delay(job.id)
    shown, visible = set(), set()
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        # Counted first: a count taken after the commit comes with the last chunk's 95 %.
        workers = Worker.objects.filter(organization=organization).count()
        status, progress = ImportJob.objects.values_list("status", "progress").get(id=job.id)
        if status in {ImportJob.Status.DONE, ImportJob.Status.FAILED}:
            break
        if status == ImportJob.Status.RUNNING:
            shown.add(progress)
            if progress < WRITTEN:
                visible.add(workers)
        time.sleep(0.05)
    job.refresh_from_db()
    log = worker.log.read_text()[-3000:]
    assert (job.status, job.counts) == (ImportJob.Status.DONE, {"new": ROWS}), log
    # 50 chunks of 1,000 rows move the bar 48 times; a page polling now and then sees many.
    assert len({p for p in shown if 5 < p < 100}) >= 15, sorted(shown)
    assert visible == {0}
    assert Worker.objects.filter(organization=organization).count() == ROWS

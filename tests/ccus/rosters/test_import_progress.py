"""A large background import shows its progress to other connections during its transaction."""

import itertools

import pytest
from django.db import connection

from ccus.accounts.models import Worker
from ccus.rosters import jobs
from ccus.rosters import progress as progress_module
from ccus.rosters.jobs import import_job_create
from ccus.rosters.models import ImportJob
from ccus.rosters.tasks import run_roster_import
from tests.factories import make_organization, make_worker
from vault.audit.models import AuditEvent

pytestmark = pytest.mark.postgres
ROWS = 50_000


def roster_csv(rows: int) -> bytes:
    lines = ["氏名,フリガナ,技能者ID,生年月日,メールアドレス"] + [
        f"技能者 {n:05d},ｷﾞﾉｳｼｬ,{n:014d},昭和{40 + n % 20}年4月1日,w{n}@example.jp"
        for n in range(1, rows + 1)
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


@pytest.mark.django_db(transaction=True)
def test_it_shows_progress_at_least_every_2000_rows_of_a_50000_row_import(monkeypatch):
    organization = make_organization("取込建設")
    job = import_job_create(organization=organization, actor=None, filename="all.csv",
                            data=roster_csv(ROWS))  # fmt: skip
    ImportJob.objects.filter(id=job.id).update(status=ImportJob.Status.QUEUED)
    # What a page would read, on a connection of its own, each time the import reports.
    reader = connection.get_new_connection(connection.get_connection_params())
    reader.autocommit = True
    seen = []
    report = progress_module.JobProgress.__call__

    def report_and_read(self, done: int) -> None:
        report(self, done)
        job_progress = reader.execute(
            "SELECT progress FROM ccus_importjob WHERE id = %s", (job.id,)
        ).fetchone()[0]
        workers = reader.execute(
            "SELECT count(*) FROM ccus_worker WHERE organization_id = %s",
            (organization.id,),
        ).fetchone()[0]
        seen.append((done, job_progress, workers))

    monkeypatch.setattr(progress_module.JobProgress, "__call__", report_and_read)
    try:
        run_roster_import(job.id)
    finally:
        reader.close()
    job.refresh_from_db()
    assert (job.status, job.progress, job.counts) == (ImportJob.Status.DONE, 100, {"new": ROWS})
    assert Worker.objects.filter(organization=organization).count() == ROWS
    done = [0] + [d for d, _p, _w in seen]
    assert done[-1] == ROWS
    assert max(b - a for a, b in itertools.pairwise(done)) <= 2_000
    shown = [p for _d, p, _w in seen]
    assert all(a < b for a, b in itertools.pairwise(shown)), shown
    assert shown[0] > 5 and shown[-1] < 100
    # All of it was seen during the one transaction: no worker was visible before the commit.
    assert {w for _d, _p, w in seen} == {0}


@pytest.mark.django_db(transaction=True)
def test_it_changes_nothing_when_a_late_chunk_of_a_job_fails_in_the_database(monkeypatch):
    organization = make_organization("取込建設")
    make_worker(organization, name="既存", ccus_id="99999999999999")
    job = import_job_create(organization=organization, actor=None, filename="all.csv",
                            data=roster_csv(5_000))  # fmt: skip
    checked = jobs.check_chunks

    def taken_meanwhile(*args, **kwargs):
        for chunk in checked(*args, **kwargs):
            if chunk[-1].number == 5_001:  # the last chunk, once 4,000 rows are written
                # Row 4,999 passed its check, then someone saved its ID elsewhere.
                chunk[-3].values["ccus_id"] = "99999999999999"
            yield chunk

    monkeypatch.setattr(jobs, "check_chunks", taken_meanwhile)
    assert jobs.job_run(job.id) is None
    job.refresh_from_db()
    assert (job.status, job.error) == (ImportJob.Status.FAILED, "id_taken")
    assert list(Worker.objects.values_list("name", flat=True)) == ["既存"]
    assert not AuditEvent.objects.filter(action="roster.import").exists()

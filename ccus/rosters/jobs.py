"""Import jobs: keep an upload for its preview, then import it now or in the background."""

import base64
import logging
from collections import Counter

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ccus.rosters.importer import roster_import
from ccus.rosters.models import ImportJob, ImportMapping
from ccus.rosters.progress import START, JobProgress
from ccus.rosters.read import Sheet, count_rows, read_roster, stream_roster
from ccus.rosters.rows import MODELS, RowResult, check_chunks, check_rows, map_headers
from vault.firms.models import Organization

log = logging.getLogger(__name__)
# Files up to this many rows are imported during the request; larger ones by a Celery task.
INLINE_ROWS = 1_000
# Why a job failed, as stored in ImportJob.error, and what the person reads.
FAILURES = {
    "id_taken": _(
        "While the file was being imported, one of its IDs was saved on another account. "
        "Nothing was changed: upload the file again to see which row it is."
    ),
    "failed": _(
        "The import stopped because of an error in the vault, and nothing was changed. "
        "Upload the file again; if it happens again, tell the person who runs the vault."
    ),
}


def failure_message(job: ImportJob) -> str:
    """Return the Japanese reason a job failed (never an exception's name)."""
    return str(FAILURES.get(job.error, FAILURES["failed"])) if job.error else ""


def import_job_create(
    *, organization: Organization, actor, filename: str, data: bytes, encoding: str = "",
    kind: str = "worker",
) -> ImportJob:  # fmt: skip
    """Read the upload once (so a bad file is refused at once) and keep it for the preview."""
    stream = stream_roster(data, filename, encoding)
    for _row in stream.rows:
        pass
    return ImportJob.objects.create(
        organization=organization,
        created_by=actor,
        filename=filename[:200],
        kind=kind,
        encoding=stream.encoding,
        content=base64.b64encode(data).decode(),
    )


def remembered_mapping(organization: Organization) -> dict[str, str]:
    """Return the column headings this firm mapped by hand before."""
    return dict(
        ImportMapping.objects.filter(organization=organization).values_list("header", "field")
    )


def _job_mapping(job: ImportJob, header: list[str]) -> dict[int, str]:
    remembered = {**remembered_mapping(job.organization), **job.mapping}
    return map_headers(header, remembered, job.kind)


def job_sheet(job: ImportJob) -> tuple[Sheet, dict[int, str]]:
    """Return the job's file as read, and the column mapping in force."""
    sheet = read_roster(base64.b64decode(job.content), job.filename, job.encoding)
    return sheet, _job_mapping(job, sheet.header)


def job_rows(job: ImportJob) -> int:
    """Return how many data rows the job's file holds, without checking them."""
    return count_rows(base64.b64decode(job.content), job.filename, job.encoding)


def job_preview(job: ImportJob) -> tuple[Sheet, dict[int, str], list[RowResult]]:
    """Check every row of the job's file without writing anything."""
    sheet, mapping = job_sheet(job)
    results = check_rows(job.organization, sheet, mapping, job.kind, job.accepted_ids)
    return sheet, mapping, results


def offered_ids(job: ImportJob) -> dict[int, str]:
    """Return the 14-digit IDs the preview offers, by row number (13 digits, card numbers)."""
    _sheet, _mapping, results = job_preview(job)
    return {r.number: r.candidate for r in results if r.candidate}


@transaction.atomic
def job_accept_ids(*, job: ImportJob, chosen: dict[int, str]) -> int:
    """Accept offered IDs the person chose, by row; return how many were accepted."""
    offered = offered_ids(job)
    accepted = {str(row): value for row, value in chosen.items() if offered.get(row) == value}
    if accepted:
        job.accepted_ids = {**job.accepted_ids, **accepted}
        job.save(update_fields=["accepted_ids"])
    return len(accepted)


@transaction.atomic
def job_set_mapping(*, job: ImportJob, mapping: dict[str, str]) -> None:
    """Map unknown headings by hand for this job and remember them for the firm."""
    job.mapping = {header: field for header, field in mapping.items() if field}
    job.save(update_fields=["mapping"])
    for header, field in job.mapping.items():
        ImportMapping.objects.update_or_create(
            organization=job.organization, header=header, defaults={"field": field}
        )


def job_run(job_id: int, request: HttpRequest | None = None) -> Counter | None:
    """Import a queued job's valid rows in one transaction; on any error nothing is written."""
    claimed = ImportJob.objects.filter(
        id=job_id, status__in=[ImportJob.Status.PREVIEW, ImportJob.Status.QUEUED]
    ).update(status=ImportJob.Status.RUNNING, progress=START)
    if not claimed:
        return None
    job = ImportJob.objects.select_related("organization", "created_by").get(id=job_id)
    try:
        # The file is read as it is written, a chunk of rows at a time, never whole.
        data = base64.b64decode(job.content)
        total = count_rows(data, job.filename, job.encoding)
        stream = stream_roster(data, job.filename, job.encoding)
        chunks = check_chunks(job.organization, stream.rows, _job_mapping(job, stream.header),
                              job.kind, job.accepted_ids)  # fmt: skip
        with JobProgress(job_id, total) as progress:
            counts = roster_import(
                organization=job.organization, chunks=chunks, actor=job.created_by,
                request=request, filename=job.filename, model=MODELS[job.kind],
                progress=progress,
            )  # fmt: skip
    except Exception as error:  # any failure leaves the vault as it was; say so in Japanese
        reason = "id_taken" if isinstance(error, IntegrityError) else "failed"
        ImportJob.objects.filter(id=job_id).update(status=ImportJob.Status.FAILED, error=reason)
        # The type only: a database error's text can quote the row it failed on.
        log.error("import_job=%s failed=true error=%s", job_id, type(error).__name__)
        return None
    ImportJob.objects.filter(id=job_id).update(
        status=ImportJob.Status.DONE, progress=100, counts=dict(counts), content=None
    )
    log.info("import_job=%s rows=%s", job_id, sum(counts.values()))
    return counts

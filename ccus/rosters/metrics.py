"""Roster imports for Prometheus: jobs by status, read from the database at each scrape."""

from collections.abc import Iterable

from django.db.models import Count

from ccus.rosters.models import ImportJob
from vault.ops.metrics import gauge


def import_jobs() -> Iterable:
    """Yield how many import jobs wait, run, are done and failed."""
    counts = dict(ImportJob.objects.order_by().values_list("status").annotate(n=Count("id")))
    yield gauge("ccus_vault_import_jobs", "Roster import jobs by status.", "status", counts)

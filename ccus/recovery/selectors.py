"""Reads of the recovery log: the cases of a firm and how they ended, per path."""

import datetime
import statistics
from collections import defaultdict

from django.db.models import Q, QuerySet
from django.utils import timezone

from ccus.recovery import guide
from ccus.recovery.guide import path_label
from ccus.recovery.models import RecoveryCase
from vault.firms.models import Organization

# A case of an account in the trash is left out with the account.
LIVE_ACCOUNT = Q(company__deleted_at__isnull=True, worker__deleted_at__isnull=True)
LOG_FIELDS = [
    "uuid", "path", "started_at", "completed_at", "abandoned_at", "company__uuid", "company__name",
    "worker__uuid", "worker__name", "started_by__email", "started_by__full_name",
]  # fmt: skip


def recovery_cases(organization: Organization, *, abandoned: bool) -> QuerySet:
    """Return the firm's abandoned cases, or the others (open and solved), newest first."""
    return (
        RecoveryCase.objects.filter(
            LIVE_ACCOUNT, organization=organization, abandoned_at__isnull=not abandoned
        )
        .select_related("company", "worker", "started_by")
        .only(*LOG_FIELDS)
    )


def _median_minutes(durations: list[datetime.timedelta]) -> int | None:
    if not durations:
        return None
    return round(statistics.median(d.total_seconds() / 60 for d in durations))


def recovery_summary(organization: Organization) -> dict:
    """Count the last 12 months' cases solved and abandoned, and the median time, per path too."""
    year_ago = timezone.now() - datetime.timedelta(days=365)
    rows = RecoveryCase.objects.filter(
        LIVE_ACCOUNT, organization=organization, started_at__gte=year_ago
    ).values_list("path", "started_at", "completed_at", "abandoned_at")
    paths: dict = defaultdict(lambda: {"solved": [], "abandoned": 0, "open": 0})
    for path, started_at, completed_at, abandoned_at in rows:
        if completed_at:
            paths[path]["solved"].append(completed_at - started_at)
        elif abandoned_at:
            paths[path]["abandoned"] += 1
        else:
            paths[path]["open"] += 1
    # In the order the assistant offers the paths.
    order = [*guide.PATHS, *sorted(set(paths) - set(guide.PATHS))]
    per_path = [
        {
            "label": path_label(path),
            "solved": len(paths[path]["solved"]),
            "abandoned": paths[path]["abandoned"],
            "open": paths[path]["open"],
            "median_minutes": _median_minutes(paths[path]["solved"]),
        }
        for path in order
        if path in paths
    ]
    solved = [duration for figures in paths.values() for duration in figures["solved"]]
    return {
        "count": sum(len(f["solved"]) + f["abandoned"] + f["open"] for f in paths.values()),
        "solved": len(solved),
        "abandoned": sum(f["abandoned"] for f in paths.values()),
        "median_minutes": _median_minutes(solved),
        "per_path": per_path,
    }

"""The firm's health over the last twelve weeks: weekly snapshots, and this week's live figure."""

import datetime

from django.db import transaction
from django.utils import timezone

from ccus.health.models import HealthSnapshot
from ccus.oversight.digest import SNAPSHOT_FIELDS, week_of
from ccus.oversight.history import past_weeks
from ccus.oversight.rollup import readiness_figures
from vault.firms.models import Organization


@transaction.atomic
def health_snapshot_all(today: datetime.date | None = None) -> int:
    """Keep this week's readiness of every firm, once (safe to run twice); return how many new."""
    week = week_of(today or timezone.localdate())
    firms = list(Organization.objects.exclude(health_snapshots__week=week))
    figures = readiness_figures(firms)
    made = HealthSnapshot.objects.bulk_create(
        [
            HealthSnapshot(
                organization=firm, week=week, score=figures[firm.id]["score"],
                stats={name: figures[firm.id][name] for name in SNAPSHOT_FIELDS},
            )
            for firm in firms
        ],
        ignore_conflicts=True,
    )  # fmt: skip
    return len(made)


def health_history(organization: Organization) -> list[tuple[datetime.date, int]]:
    """Return (week, score) of the firm, oldest first; the last is this week's, live."""
    this_week, first = past_weeks()
    weeks = list(
        HealthSnapshot.objects.filter(
            organization=organization, week__gte=first, week__lt=this_week
        )
        .order_by("week")
        .values_list("week", "score")
    )
    live = readiness_figures([organization])[organization.id]["score"]
    return [*weeks, (this_week, live)]

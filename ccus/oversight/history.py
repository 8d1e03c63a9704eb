"""Readiness over the last twelve weeks, from the weekly snapshots, ending with this week's live
figure: the small charts of the rollup and the large one of the drill-down.
"""

import datetime
from collections import defaultdict

from django.utils import timezone
from django.utils.formats import date_format

from ccus.oversight.digest import week_of
from ccus.oversight.ids import id_in
from ccus.oversight.models import SubcontractorSnapshot
from ccus.oversight.visible import Visible
from vault.firms.models import Organization

WEEKS = 12


def past_weeks(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """Return the Monday of this week and of the first of the twelve weeks shown."""
    this_week = week_of(today or timezone.localdate())
    return this_week, this_week - datetime.timedelta(weeks=WEEKS - 1)


def week_label(week: datetime.date) -> str:
    """Return a week's short label for a chart's axis, e.g. 11/23."""
    return date_format(week, "n/j")


def _weekly(prime: Organization, visible: list[Visible], *columns: str):
    """Return the chosen columns of the subcontractors' past weekly snapshots, oldest first."""
    this_week, first = past_weeks()
    snapshots = SubcontractorSnapshot.objects.filter(
        id_in("subcontractor_id", [v.firm_id for v in visible]),
        prime=prime,
        week__gte=first,
        week__lt=this_week,
    ).order_by("subcontractor_id", "week")  # the unique index's order, the prime fixed: no sort
    return this_week, snapshots.values_list("subcontractor_id", *columns)


def readiness_history(prime: Organization, visible: list[Visible]) -> dict[int, list]:
    """Return (week, score) per subcontractor id, oldest first, in one query; the last is live."""
    this_week, snapshots = _weekly(prime, visible, "week", "score")
    history = defaultdict(list)
    for firm_id, week, score in snapshots:
        history[firm_id].append((week, score))
    for v in visible:
        history[v.firm_id].append((this_week, v.stats["score"]))
    return history


def readiness_scores(prime: Organization, visible: list[Visible]) -> dict[int, list[int]]:
    """Return the scores of readiness_history alone, without reading the weeks' dates."""
    _this_week, snapshots = _weekly(prime, visible, "score")
    scores = {v.firm_id: [] for v in visible}
    for firm_id, score in snapshots:
        scores[firm_id].append(score)
    for v in visible:
        scores[v.firm_id].append(v.stats["score"])
    return scores

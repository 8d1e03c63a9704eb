"""Readiness over the last twelve weeks, from the weekly snapshots, ending with this week's live
figure: the small charts of the rollup and the large one of the drill-down.
"""

import datetime
from collections import defaultdict

from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format

from ccus.oversight.digest import week_of
from ccus.oversight.ids import among_sql
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


SNAPSHOT = SubcontractorSnapshot._meta.db_table


def _weekly(prime: Organization, visible: list[Visible], columns: str):
    """Return the chosen columns of the subcontractors' past weekly snapshots, oldest first.

    Written as SQL: the rollup reads eleven weeks of each of up to 300 subcontractors per view.
    """
    this_week, first = past_weeks()
    among, params = among_sql("s.subcontractor_id", [v.firm_id for v in visible])
    adapt = connection.ops.adapt_datefield_value
    sql = (
        f"SELECT s.subcontractor_id, {columns} FROM {SNAPSHOT} s "  # noqa: S608 (names of this module)
        f"WHERE s.prime_id = %(prime)s AND {among} AND s.week >= %(first)s "
        f"AND s.week < %(this_week)s ORDER BY s.subcontractor_id, s.week"
    )  # the unique index's order, the prime fixed: no sort
    params |= {"prime": prime.id, "first": adapt(first), "this_week": adapt(this_week)}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return this_week, cursor.fetchall()


def _day(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def readiness_history(prime: Organization, visible: list[Visible]) -> dict[int, list]:
    """Return (week, score) per subcontractor id, oldest first, in one query; the last is live."""
    this_week, snapshots = _weekly(prime, visible, "s.week, s.score")
    history = defaultdict(list)
    for firm_id, week, score in snapshots:
        history[firm_id].append((_day(week), score))
    for v in visible:
        history[v.firm_id].append((this_week, v.stats["score"]))
    return history


def readiness_scores(prime: Organization, visible: list[Visible]) -> dict[int, list[int]]:
    """Return the scores of readiness_history alone, without reading the weeks' dates."""
    _this_week, snapshots = _weekly(prime, visible, "s.score")
    scores = {v.firm_id: [] for v in visible}
    for firm_id, score in snapshots:
        scores[firm_id].append(score)
    for v in visible:
        scores[v.firm_id].append(v.stats["score"])
    return scores

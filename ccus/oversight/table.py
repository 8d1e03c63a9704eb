"""The rows of the rollup table as HTML in one pass, so 300 subcontractors render at once.

Every value that comes from a firm (its name) is escaped; the figures are integers.
"""

import functools
import html

from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccus.oversight.visible import Visible
from vault.charts import sparkline

COLUMNS = [
    ("score", "Readiness"),
    ("trend", gettext_noop("Last 12 weeks")),
    ("companies_confirmed", "Business account confirmed"),
    ("workers", "Workers"),
    ("with_id", "With a valid ID"),
    ("confirmed", "Confirmed within policy"),
    ("expiring_all", "Expiring within 6 months"),
    ("expired_all", "Expired"),
    ("missing_email", "No registered email"),
    ("unanswered", "Unanswered reminders"),
    ("last_update", "Last update"),
]


def headers() -> list[str]:
    """Return the translated column headers that follow the firm's name."""
    return [_(label) for _key, label in COLUMNS]


# The readiness cell draws its score as a bar too; every other cell holds its value alone.
CELL_HTML = {"score": '<span class="bar"><span style="width: %s%%"></span></span> %s'}
COUNTS = ["workers", "with_id", "confirmed", "expiring_all", "expired_all", "missing_email",
          "unanswered"]  # fmt: skip
BADGES = {True: '<span class="badge ok">✓</span>', False: '<span class="badge bad">—</span>'}


def _row_format() -> str:
    """Return one row's HTML with its translated labels in place and a %s for each value."""
    labels = [html.escape(label).replace("%", "%%") for label in headers()]
    cells = "".join(
        f'<td data-label="{label}">{CELL_HTML.get(key, "%s")}</td>'
        for (key, _text), label in zip(COLUMNS, labels, strict=True)
    )
    return f"<tr><td>%s</td>{cells}</tr>"


def _day(value, zone) -> str:
    return value.astimezone(zone).date().isoformat() if value else "—"


@functools.lru_cache(maxsize=4096)
def _trend(weeks: tuple[int, ...], text: str) -> str:
    """The trend cell: the weeks drawn as a line, and their scores as text for screen readers.

    A firm's past weeks change once a week: from one view of the page to the next, each firm's
    cell is the same, made once.
    """
    scores = html.escape(text % {"scores": ", ".join(map(str, weeks))})
    return f'{sparkline(weeks)}<span class="visually-hidden">{scores}</span>'


def rows_html(rows: list[Visible], detail_base: str, scores: dict[int, list]) -> SafeString:
    """Return the <tr> elements of the rollup, with each subcontractor's weeks of readiness.

    The row's HTML, its labels and translations are made once per table, not once per cell: a
    page draws up to 300 rows of eleven cells. Names are escaped; the figures are integers.
    """
    row_format = _row_format()
    trend_text = _("Readiness week by week: %(scores)s")
    tier_text = _("tier %(tier)s, via %(via)s")
    zone = get_current_timezone()
    base = html.escape(detail_base)
    lines = []
    for v in rows:
        s = v.stats
        firm = f'<a href="{base}{v.reached.uuid}/">{html.escape(v.name)}</a>'
        if v.tier > 1:
            tier = tier_text % {"tier": v.tier, "via": v.via}
            firm += f"<br><small>{html.escape(tier)}</small>"
        score = int(s["score"])
        lines.append(row_format % (
            firm, score, score,
            _trend(tuple(scores.get(v.firm_id, ())), trend_text),
            BADGES[bool(s["companies_confirmed"])],
            *[int(s[key]) for key in COUNTS],
            _day(s["last_update"], zone),
        ))  # fmt: skip
    return mark_safe("\n".join(lines))  # noqa: S308  (every firm value above is escaped)

"""The rows of the rollup table as HTML in one pass, so 300 subcontractors render at once.

Every value that comes from a firm (its name) is escaped; the figures are integers.
"""

import html

from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccus.oversight.rollup import Visible
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


def _trend(scores: list[int], text: str) -> str:
    """A small line of the weekly scores, with the scores as text for screen readers."""
    label = text % {"scores": ", ".join(map(str, scores))}
    return f'{sparkline(scores)}<span class="visually-hidden">{html.escape(label)}</span>'


def _day(value, zone) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d") if value else "—"


def rows_html(rows: list[Visible], detail_base: str, history: dict[int, list]) -> SafeString:
    """Return the <tr> elements of the rollup, with each subcontractor's weeks of readiness.

    Labels, translations and the time zone are looked up once per table, not once per cell: a
    page draws up to 300 rows of eleven cells.
    """
    labels = [html.escape(label) for label in headers()]
    cell = dict(zip((key for key, _label in COLUMNS), labels, strict=True))
    trend_text = _("Readiness week by week: %(scores)s")
    tier_text = _("tier %(tier)s, via %(via)s")
    zone = get_current_timezone()
    base = html.escape(detail_base)
    counts = ["workers", "with_id", "confirmed", "expiring_all", "expired_all", "missing_email",
              "unanswered"]  # fmt: skip
    lines = []
    for v in rows:
        s = v.stats
        firm = f'<a href="{base}{v.engagement.uuid}/">{html.escape(v.firm.name)}</a>'
        if v.tier > 1:
            tier = tier_text % {"tier": v.tier, "via": v.via}
            firm += f"<br><small>{html.escape(tier)}</small>"
        score = int(s["score"])
        trend = _trend([score for _week, score in history.get(v.firm.id, [])], trend_text)
        badge = BADGES[bool(s["companies_confirmed"])]
        cells = [
            f'<td data-label="{cell["score"]}"><span class="bar"><span style="width: {score}%">'
            f"</span></span> {score}</td>",
            f'<td data-label="{cell["trend"]}">{trend}</td>',
            f'<td data-label="{cell["companies_confirmed"]}">{badge}</td>',
            *(f'<td data-label="{cell[key]}">{int(s[key])}</td>' for key in counts),
            f'<td data-label="{cell["last_update"]}">{_day(s["last_update"], zone)}</td>',
        ]
        lines.append(f"<tr><td>{firm}</td>{''.join(cells)}</tr>")
    return mark_safe("\n".join(lines))  # noqa: S308  (every firm value above is escaped)


BADGES = {True: '<span class="badge ok">✓</span>', False: '<span class="badge bad">—</span>'}

"""The rows of the rollup table as HTML in one pass, so 300 subcontractors render at once.

Every value that comes from a firm (its name) is escaped; the figures are integers.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
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


def _trend(history: list[tuple]) -> str:
    """A small line of the weekly scores, with the scores as text for screen readers."""
    scores = [score for _week, score in history]
    text = _("Readiness week by week: %(scores)s") % {"scores": ", ".join(map(str, scores))}
    return f'{sparkline(scores)}<span class="visually-hidden">{escape(text)}</span>'


def _cell(key: str, value) -> str:
    if key == "trend":
        return _trend(value)
    if key == "score":
        return f'<span class="bar"><span style="width: {int(value)}%"></span></span> {int(value)}'
    if key == "companies_confirmed":
        return '<span class="badge ok">✓</span>' if value else '<span class="badge bad">—</span>'
    if key == "last_update":
        return localtime(value).strftime("%Y-%m-%d") if value else "—"
    return str(int(value))


def rows_html(rows: list[Visible], detail_base: str, history: dict[int, list]) -> SafeString:
    """Return the <tr> elements of the rollup, with each subcontractor's weeks of readiness."""
    labels = [escape(label) for label in headers()]
    lines = []
    for v in rows:
        firm = f'<a href="{escape(detail_base)}{v.engagement.uuid}/">{escape(v.firm.name)}</a>'
        if v.tier > 1:
            tier = _("tier %(tier)s, via %(via)s") % {"tier": v.tier, "via": v.via}
            firm += f"<br><small>{escape(tier)}</small>"
        values = {**v.stats, "trend": history.get(v.firm.id, [])}
        cells = "".join(
            f'<td data-label="{label}">{_cell(key, values[key])}</td>'
            for label, (key, _label) in zip(labels, COLUMNS, strict=True)
        )
        lines.append(f"<tr><td>{firm}</td>{cells}</tr>")
    return mark_safe("\n".join(lines))  # noqa: S308  (every firm value above is escaped)

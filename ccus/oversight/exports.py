"""The oversight tables as rows for CSV and Excel: the rollup and a site's roster."""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from ccus.oversight.rollup import shows_full_ids
from ccus.oversight.visible import Visible
from vault.crypto.masking import mask_ccus_id


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d")


def rollup_table(rows: list[Visible]) -> tuple[list, list]:
    """Return the header and rows of the readiness rollup."""
    header = [_("Subcontractor"), _("Tier"), _("Readiness"), _("Business account confirmed"),
              _("Workers"), _("With a valid ID"), _("Confirmed within policy"),
              _("Expiring within 6 months"), _("Expired"), _("No registered email"),
              _("Unanswered reminders"), _("Last update")]  # fmt: skip
    table = []
    for v in rows:
        s = v.stats
        table.append([
            v.name, v.tier, s["score"], s["companies_confirmed"], s["workers"], s["with_id"],
            s["confirmed"], s["expiring_all"], s["expired_all"], s["missing_email"],
            s["unanswered"],
            _date(s["last_update"]),
        ])  # fmt: skip
    return header, table


def _roster_row(v: Visible, w) -> list:
    return [v.name, w.name, w.name_kana,
            (w.ccus_id or "") if shows_full_ids(v) else mask_ccus_id(w.ccus_id_last4),
            w.get_status_display(), w.level or "", _date(w.card_expires_on),
            _date(w.last_confirmed_at)]  # fmt: skip


def roster_table(rows) -> tuple[list, Iterator[list]]:
    """Return the header and rows (read as they are used) of a site's worker roster (作業員名簿)."""
    header = [_("Subcontractor"), _("Name"), _("Name (kana)"), _("Worker ID"), _("Status"),
              _("Level"), _("Card expires"), _("Last confirmed")]  # fmt: skip
    return header, (_roster_row(v, w) for v, w in rows)


def roster_rows(rows) -> list[tuple]:
    """Return each (subcontractor, worker) as the worker's UUID and its roster cells."""
    return [(w.uuid, _roster_row(v, w)) for v, w in rows]

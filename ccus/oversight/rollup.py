"""Reads for prime contractors: which subcontractors they may see, and their readiness in SQL.

Nothing here reads a registered email, password, security code or hint: the queries name the
columns they use, and full IDs only where the subcontractor chose to share them.
"""

import datetime
import heapq
from collections.abc import Iterator

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import Collate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccus.accounts.models import Worker, WorkerStatus
from ccus.oversight import figures_sql
from ccus.oversight.figures_sql import COMPANY_FIGURES, WORKER_FIGURES
from ccus.oversight.models import Engagement, Site
from ccus.oversight.visible import REACHED_COLUMNS, Reached, Visible
from vault.compiled import CompiledQuery, CompiledRows
from vault.firms.models import Organization

MAX_TIERS = 3


def _reach(prime: int, site: int | None = None):
    """Every engagement the chain of prime may reach (three tiers, as subqueries), as rows."""
    active = Engagement.objects.filter(status=Engagement.Status.ACTIVE)
    direct = active.filter(prime_id=prime)
    if site is not None:
        direct = direct.filter(sites=site)
    second = active.filter(prime_id__in=direct.values("subcontractor_id"), pass_up=True)
    third = active.filter(prime_id__in=second.values("subcontractor_id"), pass_up=True)
    return (
        Engagement.objects.filter(
            Q(pk__in=direct.values("pk")) | Q(pk__in=second.values("pk"))
            | Q(pk__in=third.values("pk"))
        )
        .annotate(direct=ExpressionWrapper(Q(pk__in=direct.values("pk")), BooleanField()))
        .order_by("id")
        .values_list(*REACHED_COLUMNS)
    )  # fmt: skip


_reached = CompiledRows(_reach)
# A prime's sites, for the rollup's choice of site: read on every view of it.
sites_of_firm = CompiledQuery(lambda firm_id: Site.objects.filter(organization_id=firm_id))


def visible_subcontractors(prime: Organization, site: Site | None = None) -> list[Visible]:
    """Return the active engagements of prime, and down the chain where each tier passes up.

    One query fetches every engagement the chain may reach; the tiers are then walked here,
    each firm once, at the first tier that reaches it.
    """
    reach = _reached(prime=prime.id) if site is None else _reached(prime=prime.id, site=site.id)
    reached = list(map(Reached._make, reach))
    tier = [Visible(r, 1) for r in reached if r.direct]
    found = {v.firm_id: v for v in tier}
    for depth in range(2, MAX_TIERS + 1):
        parents = {v.firm_id for v in tier}
        tier = []
        for r in reached:
            if r.direct or not r.pass_up or r.prime_id not in parents:
                continue
            if r.subcontractor_id in found or r.subcontractor_id == prime.id:
                continue
            visible = Visible(r, depth, via=found[r.prime_id].name)
            found[r.subcontractor_id] = visible
            tier.append(visible)
    return list(found.values())


def readiness_rollup(visible: list[Visible]) -> list[Visible]:
    """Fill each subcontractor's figures, in three aggregate queries whatever their number."""
    policies = {v.firm_id: v.reached.confirmation_policy_days for v in visible}
    figures = _figures(list(policies), set(policies.values()))
    for v in visible:
        v.stats = figures[v.firm_id]
    return visible


def readiness_figures(firms: list[Organization]) -> dict[int, dict]:
    """Return each firm's readiness figures by its id, in three aggregate queries."""
    return _figures([f.id for f in firms], {f.confirmation_policy_days for f in firms})


def _figures(ids: list[int], policies: set[int]) -> dict[int, dict]:
    if not ids:
        return {}
    now, today = timezone.now(), timezone.localdate()
    soon = today + relativedelta(months=6)
    cutoffs = {days: now - datetime.timedelta(days=days) for days in policies}
    workers, companies, unanswered = figures_sql.counted([
        figures_sql.worker_counts(ids, cutoffs, today, soon),
        figures_sql.company_counts(ids, cutoffs, today, soon),
        figures_sql.unanswered_counts(ids),
    ])  # fmt: skip
    # Each row: the firm's id, its counts, the latest update of its accounts of that kind.
    workers = {row[0]: row[1:] for row in workers}
    companies = {row[0]: row[1:] for row in companies}
    unanswered = dict(unanswered)
    figures = {}
    for firm_id in ids:
        stats = dict(zip(WORKER_FIGURES, workers.get(firm_id, NO_WORKERS), strict=True))
        stats.update(zip(COMPANY_FIGURES, companies.get(firm_id, NO_COMPANY), strict=True))
        # Both as counted: numbers on PostgreSQL, UTC text on SQLite, each in time order.
        latest = max(
            filter(None, (stats.pop("updated"), stats.pop("company_updated"))), default=None
        )
        stats["last_update"] = figures_sql.moment(latest)
        stats["unanswered"] = unanswered.get(firm_id, 0)
        stats["score"] = readiness_score(stats)
        stats["expiring_all"] = stats["expiring"] + stats["registration_expiring"]
        stats["expired_all"] = stats["expired"] + stats["registration_expired"]
        figures[firm_id] = stats
    return figures


# A firm with no account of a kind counts none of it and was never updated.
NO_WORKERS = (0,) * (len(WORKER_FIGURES) - 1) + (None,)
NO_COMPANY = (0,) * (len(COMPANY_FIGURES) - 1) + (None,)


def percent(part: int, whole: int) -> int:
    """Return part of whole in whole percent (0 when there is nothing)."""
    return round(100 * part / whole) if whole else 0


# What the readiness score averages, in the order readiness_score counts it; its legend.
READINESS_PARTS = [
    _("The business account is confirmed and its registration has not expired (100 or 0)."),
    _("Workers whose CCUS ID is saved."),
    _("Workers confirmed within the firm's confirmation period."),
    _("Workers whose CCUS card has not expired."),
    _("Workers whose registered email is saved."),
]


def readiness_score(stats: dict) -> int:
    """Score 0–100: business account confirmed, IDs, confirmations, valid cards, emails."""
    workers = stats["workers"]
    parts = [
        100 if stats["companies_confirmed"] and not stats["registration_expired"] else 0,
        percent(stats["with_id"], workers),
        percent(stats["confirmed"], workers),
        percent(workers - stats["expired"], workers),
        percent(workers - stats["missing_email"], workers),
    ]
    return round(sum(parts) / len(parts)) if workers else parts[0] // len(parts)


# Up to this many subcontractors show on one page; a larger prime's are paged, with a summary.
ROLLUP_PAGE_SIZE = 300

SUMMARY_FIELDS = ["workers", "expired_all", "expiring_all", "missing_email", "unanswered"]


def rollup_summary(visible: list[Visible]) -> dict:
    """Return the number of subcontractors and the sum of their figures that need attention."""
    summary = {name: sum(v.stats[name] for v in visible) for name in SUMMARY_FIELDS}
    return {"subcontractors": len(visible), **summary}


SORT_KEYS = {
    "name": lambda v: v.name,
    "score": lambda v: v.stats["score"],
    "workers": lambda v: v.stats["workers"],
    "expired": lambda v: v.stats["expired"],
    "unanswered": lambda v: v.stats["unanswered"],
}


def find_visible(prime: Organization, engagement_uuid) -> Visible | None:
    """Return the visible subcontractor reached through this engagement, if the prime may see it."""
    for visible in visible_subcontractors(prime):
        if str(visible.reached.uuid) == str(engagement_uuid):
            return visible
    return None


def shows_full_ids(visible: Visible) -> bool:
    """Full IDs only to the direct prime of a subcontractor that chose to share them."""
    return visible.tier == 1 and visible.reached.sharing == Engagement.Sharing.IDS


# The only worker columns oversight ever loads; the ID itself only where it is shared.
WORKER_COLUMNS = ["uuid", "organization_id", "name", "name_kana", "status", "card_expires_on",
                  "last_confirmed_at", "ccus_id_last4", "level"]  # fmt: skip


def _workers_of(organization_ids: list[int], full_ids: bool):
    columns = [*WORKER_COLUMNS, "ccus_id"] if full_ids else WORKER_COLUMNS
    return Worker.objects.filter(organization_id__in=organization_ids).only(*columns)


def drill_down_workers(visible: Visible):
    """Return the subcontractor's workers with only the columns a prime may see."""
    workers = _workers_of([visible.firm_id], shows_full_ids(visible))
    return workers.order_by("name_kana", "name", "id")


def _code_order(field: str) -> Collate:
    """Order by code point, as Python sorts text, on PostgreSQL and SQLite alike."""
    return Collate(field, "C" if connection.vendor == "postgresql" else "BINARY")


def _site_workers(visible: list[Visible], chosen: Q, include_left: bool) -> Iterator[tuple]:
    """Yield (subcontractor, worker) of the visible firms' workers matching chosen, in name order.

    Two queries at most (full IDs where shared, masked elsewhere), each sorted in SQL and read in
    chunks, merged here, so the largest roster never sits in memory at once.
    """
    by_firm = {v.firm_id: v for v in visible}
    streams = []
    for full_ids in (True, False):
        ids = [v.firm_id for v in visible if shows_full_ids(v) == full_ids]
        if ids:
            workers = _workers_of(ids, full_ids).filter(chosen)
            if not include_left:
                workers = workers.filter(status=WorkerStatus.ACTIVE)
            workers = workers.order_by(
                _code_order("organization__name"), _code_order("name_kana"),
                _code_order("name"), "id",
            )  # fmt: skip
            streams.append((by_firm[w.organization_id], w) for w in workers.iterator(2000))
    return heapq.merge(*streams, key=lambda row: (row[0].name, row[1].name_kana, row[1].name))


def roster(visible: list[Visible], site: Site, *, include_left: bool = False) -> Iterator[tuple]:
    """Yield (subcontractor, worker) chosen for the site's roster, in two queries at most."""
    return _site_workers(visible, Q(sites=site), include_left)


def roster_candidates(
    visible: list[Visible], site: Site, *, include_left: bool = False
) -> list[tuple]:
    """Return (subcontractor, worker) of the site's subcontractors not on its roster yet."""
    return list(_site_workers(visible, ~Q(sites=site), include_left))

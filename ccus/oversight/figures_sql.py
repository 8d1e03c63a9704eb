"""Each firm's readiness counts, as three aggregate queries written once.

The rollup runs these on every view of a prime's page, for up to thousands of firms. Written
here as SQL, they cost the database's time and little else: no queryset is built or compiled per
request, no row goes through a converter, and the latest update comes back as a number of
microseconds rather than as a timestamp text to parse.
"""

# Table and column names come from the models and constants of this module; values go as parameters.
# ruff: noqa: S608

import datetime
from collections.abc import Iterable

from django.db import connection

from ccus.accounts.models import Company, Worker, WorkerStatus
from ccus.mail.models import DeliveryStatus
from ccus.oversight.ids import among_sql
from ccus.reminders.models import ReminderDelivery, ReminderKind
from vault.firms.models import Organization

WORKER = Worker._meta.db_table
COMPANY = Company._meta.db_table
DELIVERY = ReminderDelivery._meta.db_table
ORGANIZATION = Organization._meta.db_table

# The figures each query counts, in the order of its columns after the firm's id.
WORKER_FIGURES = ["workers", "with_id", "confirmed", "expiring", "expired", "missing_email",
                  "updated"]  # fmt: skip
COMPANY_FIGURES = ["companies", "companies_confirmed", "registration_expiring",
                   "registration_expired", "company_updated"]  # fmt: skip

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _latest(column: str) -> str:
    """The newest value of a timestamp column: microseconds since 1970 on PostgreSQL."""
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM MAX({column})) * 1000000)::bigint"
    return f"MAX({column})"  # SQLite keeps it as UTC text, read by moment


def moment(value) -> datetime.datetime | None:
    """Return a latest update as counted (see _latest) as an aware datetime."""
    if value is None:
        return None
    if isinstance(value, int):
        return EPOCH + datetime.timedelta(microseconds=value)
    return datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)


def _confirmed(cutoffs: dict[int, datetime.datetime]) -> tuple[str, dict]:
    """Confirmed within its own firm's policy: one condition per confirmation period in use.

    There is always one: the rollup counts nothing for no firm.
    """
    adapt = connection.ops.adapt_datetimefield_value
    conditions, params = [], {}
    for n, (days, cutoff) in enumerate(sorted(cutoffs.items())):
        conditions.append(
            f"(o.confirmation_policy_days = %(days_{n})s AND a.last_confirmed_at >= %(cutoff_{n})s)"
        )
        params |= {f"days_{n}": days, f"cutoff_{n}": adapt(cutoff)}
    return " OR ".join(conditions), params


# What each kind of account counts besides its number, each as a condition on the account `a`.
WORKER_COUNTS = [
    "a.ccus_id_index IS NOT NULL",
    "{confirmed}",
    "a.card_expires_on >= %(today)s AND a.card_expires_on < %(soon)s",
    "a.card_expires_on < %(today)s",
    "a.email_index IS NULL",
]
COMPANY_COUNTS = [
    "({confirmed}) AND a.ccus_id_index IS NOT NULL",
    "a.registration_expires_on >= %(today)s AND a.registration_expires_on < %(soon)s",
    "a.registration_expires_on < %(today)s",
]


def _account_counts(table: str, counts: list[str], ids, cutoffs, today, soon) -> tuple[str, dict]:
    """Per firm: its accounts, those meeting each of counts, and their latest update."""
    confirmed, params = _confirmed(cutoffs)
    among, among_params = among_sql("a.organization_id", ids)
    filters = ", ".join(f"COUNT(*) FILTER (WHERE {count})" for count in counts)
    sql = (
        f"SELECT a.organization_id, COUNT(*), {filters.replace('{confirmed}', confirmed)}, "
        f"{_latest('a.updated_at')} "
        f"FROM {table} a JOIN {ORGANIZATION} o ON o.id = a.organization_id "
        f"WHERE a.deleted_at IS NULL AND {among}"
    )
    adapt = connection.ops.adapt_datefield_value
    return sql, {**params, **among_params, "today": adapt(today), "soon": adapt(soon)}


def worker_counts(ids, cutoffs, today, soon) -> tuple[str, dict]:
    """Active workers: with an ID, confirmed in time, cards expiring and expired, no email."""
    sql, params = _account_counts(WORKER, WORKER_COUNTS, ids, cutoffs, today, soon)
    return f"{sql} AND a.status = %(active)s GROUP BY 1", {**params, "active": WorkerStatus.ACTIVE}


def company_counts(ids, cutoffs, today, soon) -> tuple[str, dict]:
    """Business accounts: confirmed in time with an ID, registrations expiring and expired."""
    sql, params = _account_counts(COMPANY, COMPANY_COUNTS, ids, cutoffs, today, soon)
    return f"{sql} GROUP BY 1", params


def unanswered_counts(ids) -> tuple[str, dict]:
    """Escalations not answered yet, each account once, per firm."""
    among, params = among_sql("d.organization_id", ids)
    sql = (
        f"SELECT d.organization_id, COUNT(DISTINCT d.subject_uuid) FROM {DELIVERY} d "
        f"WHERE {among} AND d.kind = %(escalation)s AND d.status <> %(failed)s GROUP BY 1"
    )
    return sql, {**params, "escalation": ReminderKind.ESCALATION, "failed": DeliveryStatus.FAILED}


def counted(queries: Iterable[tuple[str, dict]]) -> list[list[tuple]]:
    """Run each query on one cursor and return the rows of each."""
    results = []
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    return results

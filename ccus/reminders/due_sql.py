"""What is due, computed by PostgreSQL: the rows of dues.py as one set-based query.

Every part selects (organization_id, kind, subject_type, subject_uuid, subject_label, period,
due_on) like a Due; milestones are a VALUES table joined on date arithmetic, so a million accounts
cost a few scans, not a million Python objects.
"""

# Table and column names come from the models and constants of this module; values go as parameters.
# ruff: noqa: S608

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from ccus.accounts.lookup import grouping_column
from ccus.accounts.models import Company, ManagerIdFee, Worker, WorkerStatus
from ccus.mail.models import DeliveryStatus
from ccus.reminders.dues import (
    CARD_MILESTONES,
    ESCALATE_AFTER,
    FEE_MILESTONES,
    REGISTRATION_MILESTONES,
)
from ccus.reminders.models import ReminderDelivery, ReminderKind, ReminderPreference
from vault.auth.models import User
from vault.firms.models import Membership, Organization, Role

Query = tuple[str, list]
DUE_COLUMNS = "(organization_id, kind, subject_type, subject_uuid, subject_label, period, due_on)"

COMPANY = Company._meta.db_table
WORKER = Worker._meta.db_table
FEE = ManagerIdFee._meta.db_table
DELIVERY = ReminderDelivery._meta.db_table
ORGANIZATION = Organization._meta.db_table
MEMBERSHIP = Membership._meta.db_table
USER = User._meta.db_table
PREFERENCE = ReminderPreference._meta.db_table
# The accounts that need looking after, as dues.py's _accounts(): (subject type, table, filter).
ACCOUNTS = [
    ("company", COMPANY, "a.deleted_at IS NULL"),  # an account in the trash is reminded of nothing
    ("worker", WORKER, f"a.status = '{WorkerStatus.ACTIVE}' AND a.deleted_at IS NULL"),
]


def _interval(offset: relativedelta) -> str:
    return f"{offset.years} years {offset.months} months {offset.days} days"


def _milestones(milestones) -> Query:
    """A VALUES table (name, since, until): the window of days in which each is the latest reached.

    Offsets grow from one milestone to the next, so "the latest milestone reached" is the one
    whose offset is reached and whose successor's is not.
    """
    rows, params = [], []
    for n, (name, offset) in enumerate(milestones):
        until = _interval(milestones[n + 1][1]) if n + 1 < len(milestones) else None
        rows.append("(%s, %s::interval, %s::interval)")
        params += [name, _interval(offset), until]
    return f"(VALUES {', '.join(rows)}) AS m (name, since, until)", params


def _reached(column: str) -> str:
    return (
        f"%s >= ({column} + m.since)::date AND (m.until IS NULL OR %s < ({column} + m.until)::date)"
    )


def _expiry(kind, subject_type, table, column, active, milestones, today) -> Query:
    values, params = _milestones(milestones)
    sql = (
        f"SELECT a.organization_id, %s, %s, a.uuid, a.name, "
        f"to_char(a.{column}, 'YYYY-MM-DD') || ':' || m.name, a.{column} "
        f"FROM {table} a JOIN {values} ON {_reached(f'a.{column}')} "
        f"WHERE a.{column} <= %s AND {active}"
    )
    horizon = today + relativedelta(months=6)
    return sql, [kind, subject_type, *params, today, today, horizon]


def registration_dues(today: datetime.date) -> Query:
    return _expiry(ReminderKind.REGISTRATION_EXPIRY, "company", COMPANY,
                   "registration_expires_on", "TRUE", REGISTRATION_MILESTONES, today)  # fmt: skip


def card_dues(today: datetime.date) -> Query:
    return _expiry(ReminderKind.CARD_EXPIRY, "worker", WORKER, "card_expires_on",
                   ACCOUNTS[1][2], CARD_MILESTONES, today)  # fmt: skip


def fee_dues(today: datetime.date) -> Query:
    values, params = _milestones(FEE_MILESTONES)
    sql = (
        f"SELECT c.organization_id, %s, 'company', c.uuid, c.name || ' ' || f.label, "
        f"f.uuid::text || ':' || to_char(f.due_on, 'YYYY-MM-DD') || ':' || m.name, f.due_on "
        f"FROM {FEE} f JOIN {COMPANY} c ON c.id = f.company_id "
        f"JOIN {values} ON {_reached('f.due_on')} "
        f"WHERE f.due_on >= %s AND f.due_on <= %s AND c.deleted_at IS NULL"
    )
    horizon = today + relativedelta(months=1)
    return sql, [ReminderKind.FEE_DUE, *params, today, today, today, horizon]


def unconfirmed_dues(now: datetime.datetime) -> list[Query]:
    # timedelta(days=n) in dues.py is n times 24 hours, whatever the zone: so are these intervals.
    due_at = "a.last_confirmed_at + o.confirmation_policy_days * interval '24 hours'"
    shortest = f"coalesce((SELECT min(confirmation_policy_days) FROM {ORGANIZATION}), 180)"
    zone = timezone.get_current_timezone_name()
    return [
        (
            f"SELECT a.organization_id, %s, %s, a.uuid, a.name, "
            f"CASE WHEN a.last_confirmed_at IS NULL THEN 'never' "
            f"ELSE to_char(({due_at}) AT TIME ZONE %s, 'YYYY-MM-DD') END, NULL::date "
            f"FROM {table} a JOIN {ORGANIZATION} o ON o.id = a.organization_id "
            f"WHERE {active} AND (a.last_confirmed_at IS NULL OR "
            f"(a.last_confirmed_at < %s - {shortest} * interval '24 hours' AND {due_at} <= %s))",
            [ReminderKind.UNCONFIRMED, subject_type, zone, now, now],
        )
        for subject_type, table, active in ACCOUNTS
    ]


def missing_dues() -> list[Query]:
    return [
        (
            f"SELECT a.organization_id, %s, %s, a.uuid, a.name, concat_ws('+', "
            f"CASE WHEN coalesce(a.ccus_id_index, '') = '' THEN 'id' END, "
            f"CASE WHEN coalesce(a.email_index, '') = '' THEN 'email' END), NULL::date "
            f"FROM {table} a "
            f"WHERE {active} AND (a.ccus_id_index IS NULL OR a.email_index IS NULL)",
            [ReminderKind.MISSING, subject_type],
        )
        for subject_type, table, active in ACCOUNTS
    ]


def email_health_dues() -> Query:
    """Active workers whose registered email is a company's inbox or another active worker's."""
    email = grouping_column("email_index")
    inbox = (
        f"EXISTS (SELECT 1 FROM {COMPANY} c "
        f"WHERE c.organization_id = a.organization_id AND c.{email} = a.email "
        f"AND c.deleted_at IS NULL)"
    )
    # Counted over the (organization, email) index in its order: one pass, no lookup per worker.
    sharing = (
        f"SELECT w.organization_id, w.uuid, w.name, w.{email} AS email, "
        f"count(*) OVER (PARTITION BY w.organization_id, w.{email}) AS sharing "
        f"FROM {WORKER} w WHERE w.status = '{WorkerStatus.ACTIVE}' AND w.{email} IS NOT NULL "
        f"AND w.deleted_at IS NULL"
    )
    sql = (
        f"SELECT a.organization_id, %s, 'worker', a.uuid, a.name, "
        f"CASE WHEN {inbox} THEN 'company-inbox' ELSE 'shared' END, NULL::date "
        f"FROM ({sharing}) AS a WHERE a.sharing > 1 OR {inbox}"
    )
    return sql, [ReminderKind.EMAIL_HEALTH]


def escalation_dues(now: datetime.datetime) -> Query:
    """Reminders sent 14 days ago whose account was not confirmed since: tell the owners."""
    unanswered = " OR ".join(
        f"(d.subject_type = '{subject_type}' AND EXISTS (SELECT 1 FROM {table} a "
        f"WHERE a.uuid = d.subject_uuid AND a.deleted_at IS NULL "
        f"AND (a.last_confirmed_at IS NULL OR a.last_confirmed_at < d.sent_at)))"
        for subject_type, table, _active in ACCOUNTS
    )
    # One row per reminder even when its recipients saw the account under two names: the
    # insert has no conflict to fall back on.
    sql = (
        f"SELECT d.organization_id, %s, d.subject_type, d.subject_uuid, "
        f"min(d.subject_label), d.kind || ':' || d.period, NULL::date "
        f"FROM {DELIVERY} d WHERE d.status = %s AND d.sent_at <= %s AND d.kind <> %s "
        f"AND ({unanswered}) "
        f"GROUP BY d.organization_id, d.subject_type, d.subject_uuid, d.kind, d.period"
    )
    kind = ReminderKind.ESCALATION
    return sql, [kind, DeliveryStatus.SENT, now - ESCALATE_AFTER, kind]


def all_dues(now: datetime.datetime) -> Query:
    """Return one query of everything due now, across all firms, as dues.all_dues yields it."""
    today = timezone.localdate(now)
    parts = [
        *unconfirmed_dues(now),
        registration_dues(today),
        card_dues(today),
        fee_dues(today),
        *missing_dues(),
        email_health_dues(),
        escalation_dues(now),
    ]
    return (
        " UNION ALL ".join(f"({sql})" for sql, _ in parts),
        [param for _, params in parts for param in params],
    )


def deliveries(now: datetime.datetime) -> Query:
    """Return one query of the deliveries due now: each due item for each recipient who wants it.

    Columns: key, organization_id, recipient_id, kind, subject_type, subject_uuid,
    subject_label, due_on, period, as planning.deliveries_for builds them.
    """
    dues_sql, params = all_dues(now)
    sql = (
        "SELECT left(r.user_id::text || '|' || d.kind || '|' || d.subject_uuid::text "
        "|| '|' || d.period, 200) AS key, d.organization_id, r.user_id AS recipient_id, "
        "d.kind, d.subject_type, d.subject_uuid, left(d.subject_label, 200) AS subject_label, "
        "d.due_on, left(d.period, 60) AS period "
        f"FROM ({dues_sql}) AS d {DUE_COLUMNS} "
        f"JOIN (SELECT m.user_id, m.organization_id, m.role FROM {MEMBERSHIP} m "
        f"JOIN {USER} u ON u.id = m.user_id WHERE m.role IN (%s, %s) AND u.is_active) AS r "
        "ON r.organization_id = d.organization_id "
        "WHERE (d.kind <> %s OR r.role = %s) "
        f"AND NOT EXISTS (SELECT 1 FROM {PREFERENCE} p WHERE p.user_id = r.user_id "
        "AND p.organization_id = d.organization_id AND p.kind = d.kind)"
    )
    return sql, [*params, Role.OWNER, Role.ADMIN, ReminderKind.ESCALATION, Role.OWNER]


def counts_by_kind(now: datetime.datetime) -> Query:
    """Return one query of how many items of each kind are due now, as (kind, count) rows."""
    dues_sql, params = all_dues(now)
    return f"SELECT d.kind, count(*) FROM ({dues_sql}) AS d {DUE_COLUMNS} GROUP BY d.kind", params

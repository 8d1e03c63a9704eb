"""Plan reminders: what is due for whom, each milestone once, one insert per half of the firms."""

import datetime
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from uuid import uuid4

from django.db import connections, router, transaction
from django.utils import timezone

from ccus.mail.models import DeliveryStatus
from ccus.reminders import due_sql
from ccus.reminders.dues import Due, all_dues
from ccus.reminders.models import ReminderDelivery, ReminderKind, ReminderPreference
from vault.firms.models import Membership, Role


def recipients_by_organization() -> dict[int, list[tuple[int, str]]]:
    """Return, per firm, the (user id, role) of its owners and admins."""
    recipients = defaultdict(list)
    for user_id, org_id, role in Membership.objects.filter(
        role__in=[Role.OWNER, Role.ADMIN], user__is_active=True
    ).values_list("user_id", "organization_id", "role"):
        recipients[org_id].append((user_id, role))
    return recipients


INSERT_SLICE = 50_000
# The advisory lock a planning run holds on PostgreSQL until it commits ("remind" in ASCII).
PLANNING_LOCK = int.from_bytes(b"remind")


@dataclass(frozen=True)
class Planned:
    """One delivery to insert: a due item for one recipient."""

    key: str
    recipient_id: int
    due: Due


def deliveries_for(dues, recipients, opted_out: set) -> Iterator[Planned]:
    """Turn due items into one delivery per recipient who wants that kind."""
    for due in dues:
        for user_id, role in recipients.get(due.organization_id, []):
            if due.kind == ReminderKind.ESCALATION and role != Role.OWNER:
                continue
            if (user_id, due.organization_id, due.kind) in opted_out:
                continue
            key = f"{user_id}|{due.kind}|{due.subject_uuid}|{due.period}"[:200]
            yield Planned(key, user_id, due)


INSERT_COLUMNS = [
    ("uuid", "uuid"), ("key", "varchar"), ("organization_id", "bigint"),
    ("recipient_id", "bigint"), ("kind", "varchar"), ("subject_type", "varchar"),
    ("subject_uuid", "uuid"), ("subject_label", "varchar"), ("due_on", "date"),
    ("period", "varchar"), ("status", "varchar"), ("attempts", "smallint"),
    ("last_error", "varchar"), ("created_at", "timestamptz"),
]  # fmt: skip


def _values(planned: list[Planned], connection) -> list[tuple]:
    """Return the row values of the deliveries, adapted to the database."""
    native_uuid = connection.features.has_native_uuid_field
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())

    def as_uuid(value):
        return value if native_uuid else value.hex

    return [
        (as_uuid(uuid4()), p.key, p.due.organization_id, p.recipient_id, p.due.kind,
         p.due.subject_type, as_uuid(p.due.subject_uuid), p.due.subject_label[:200],
         ops.adapt_datefield_value(p.due.due_on), p.due.period[:60], DeliveryStatus.PENDING, 0,
         "", now)
        for p in planned
    ]  # fmt: skip


def insert_new(planned: list[Planned]) -> None:
    """Insert the deliveries whose key is new, in one statement whatever their number."""
    if not planned:
        return
    connection = connections[router.db_for_write(ReminderDelivery)]
    quote = connection.ops.quote_name
    table = quote(ReminderDelivery._meta.db_table)
    columns = ", ".join(quote(name) for name, _ in INSERT_COLUMNS)
    conflict = f"ON CONFLICT ({quote('key')}) DO NOTHING"
    rows = _values(planned, connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One INSERT ... SELECT over arrays: a single round trip for any number of rows.
            arrays = ", ".join(f"%s::{kind}[]" for _, kind in INSERT_COLUMNS)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) {conflict}",  # noqa: S608
                [list(column) for column in zip(*rows, strict=True)],
            )
        else:
            placeholders = ", ".join(["%s"] * len(INSERT_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) {conflict}",  # noqa: S608
                rows,
            )


@dataclass
class PlanResult:
    planned: int
    recipients: list[int]


def pending_recipients() -> list[int]:
    """Return who has reminders waiting, in order, counted by the database."""
    pending = ReminderDelivery.objects.filter(status=DeliveryStatus.PENDING)
    return list(pending.order_by("recipient_id").values_list("recipient_id", flat=True).distinct())


def plan_in_python(now: datetime.datetime, *, dry_run: bool = False) -> PlanResult:
    """Plan row by row in Python: the way of SQLite, and the reference the SQL is held to."""
    opted_out = set(ReminderPreference.objects.values_list("user_id", "organization_id", "kind"))
    rows = deliveries_for(all_dues(now), recipients_by_organization(), opted_out)
    if not dry_run:
        with transaction.atomic():
            before = ReminderDelivery.objects.count()
            # In slices, so that the rows of one slice only are held in memory at a time.
            while chunk := list(islice(rows, INSERT_SLICE)):
                insert_new(chunk)
            planned = ReminderDelivery.objects.count() - before
        return PlanResult(planned, pending_recipients())
    rows = list(rows)
    keys = [row.key for row in rows]
    existing = set()
    for start in range(0, len(keys), 1000):
        chunk = keys[start : start + 1000]
        existing |= set(
            ReminderDelivery.objects.filter(key__in=chunk).values_list("key", flat=True)
        )
    new = [row for row in rows if row.key not in existing]
    return PlanResult(len({row.key for row in new}), sorted({row.recipient_id for row in new}))


# Per transaction of a planning run. Compiling the plan costs seconds and saves less: every part
# is a scan or a hash. The keys already planned and the workers sorted by email fit in memory:
# with the default the hash of 1.5 million keys and that sort spill to disk.
PLAN_SETTINGS = "SELECT set_config('jit', 'off', true), set_config('work_mem', '256MB', true)"


def _insert(cursor, now: datetime.datetime, half: int | None = None) -> int:
    """Insert the deliveries due now whose key is new (of one half of the firms if given)."""
    query, params = due_sql.deliveries(now)
    columns = ", ".join(name for name, _ in INSERT_COLUMNS)
    only_half = "" if half is None else "mod(c.organization_id, 2) = %s AND "
    cursor.execute(
        f"INSERT INTO {due_sql.DELIVERY} ({columns}) "  # noqa: S608
        "SELECT gen_random_uuid(), c.key, c.organization_id, c.recipient_id, c.kind, "
        "c.subject_type, c.subject_uuid, c.subject_label, c.due_on, c.period, "
        "%s, 0, '', %s "
        f"FROM ({query}) AS c WHERE {only_half}NOT EXISTS "
        f"(SELECT 1 FROM {due_sql.DELIVERY} x WHERE x.key = c.key)",
        [DeliveryStatus.PENDING, now, *params, *([] if half is None else [half])],
    )
    return cursor.rowcount


def _insert_half(alias: str, now: datetime.datetime, half: int, outcome: dict) -> None:
    """Insert one half of the firms' deliveries on a connection and in a transaction of its own."""
    try:
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            cursor.execute(PLAN_SETTINGS)
            outcome["planned"] = _insert(cursor, now, half)
    except Exception as error:  # raised again by the run that waits for this half
        outcome["error"] = error
    finally:
        connections[alias].close()


def plan_in_sql(now: datetime.datetime, *, dry_run: bool = False) -> PlanResult:
    """Plan in PostgreSQL: the due rows are computed and inserted by the database.

    On its own, a run writes the two halves of the firms at once on two connections: the write
    of a million rows and its foreign-key checks take both cores. Each half commits on its own;
    if one is lost, nothing is planned twice and the next run plans what it missed. Inside a
    caller's transaction, everything is inserted in that transaction by one statement.
    """
    alias = router.db_for_write(ReminderDelivery)
    connection = connections[alias]
    on_its_own = not connection.in_atomic_block
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute(PLAN_SETTINGS)
        if dry_run:
            query, params = due_sql.deliveries(now)
            cursor.execute(
                f"SELECT count(DISTINCT c.key), array_agg(DISTINCT c.recipient_id) "  # noqa: S608
                f"FROM ({query}) AS c WHERE NOT EXISTS "
                f"(SELECT 1 FROM {due_sql.DELIVERY} x WHERE x.key = c.key)",
                params,
            )
            planned, recipients = cursor.fetchone()
            return PlanResult(planned, sorted(recipients or []))
        # One run at a time, held until both halves are committed, so that the anti-join sees
        # every key planned before it and no row needs a conflict check: for a million workers
        # that check took 1.6 times as long.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PLANNING_LOCK])
        if not on_its_own:
            planned = _insert(cursor, now)
        else:
            other: dict = {}
            thread = threading.Thread(target=_insert_half, args=(alias, now, 1, other))
            thread.start()
            try:
                planned = _insert(cursor, now, 0)
            finally:
                thread.join()
            if "error" in other:
                raise other["error"]
            planned += other["planned"]
    return PlanResult(planned, pending_recipients())


def due_counts(now: datetime.datetime) -> dict[str, int]:
    """Return how many items of each kind are due now across all firms, for a dry run."""
    connection = connections[router.db_for_write(ReminderDelivery)]
    if connection.vendor != "postgresql":
        return dict(Counter(due.kind for due in all_dues(now)))
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(*due_sql.counts_by_kind(now))
        return dict(cursor.fetchall())


def plan_reminders(now: datetime.datetime | None = None, *, dry_run: bool = False) -> PlanResult:
    """Create the deliveries due now (each key once) and return who has something to receive."""
    now = now or timezone.now()
    if connections[router.db_for_write(ReminderDelivery)].vendor == "postgresql":
        return plan_in_sql(now, dry_run=dry_run)
    return plan_in_python(now, dry_run=dry_run)

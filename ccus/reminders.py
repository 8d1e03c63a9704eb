"""Plan reminders: what is due for whom, in a few set-based queries, each milestone once."""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from uuid import uuid4

from dateutil.relativedelta import relativedelta
from django.db import connections, router, transaction
from django.db.models import Count, Q
from django.utils import timezone

from ccus.accounts.models import Company, ManagerIdFee, Worker, WorkerStatus
from ccus.models import DeliveryStatus, ReminderDelivery, ReminderKind, ReminderPreference
from vault.firms.models import Membership, Organization, Role

# (milestone, offset from the date): the latest milestone reached is the one reminded of.
REGISTRATION_MILESTONES = [
    ("6m", relativedelta(months=-6)),
    ("3m", relativedelta(months=-3)),
    ("1m", relativedelta(months=-1)),
    ("day", relativedelta()),
    ("after", relativedelta(days=1)),
]
CARD_MILESTONES = REGISTRATION_MILESTONES[:4]
FEE_MILESTONES = [("1m", relativedelta(months=-1)), ("1w", relativedelta(days=-7))]
ESCALATE_AFTER = datetime.timedelta(days=14)
# Kinds that at least one owner or admin of a firm must keep receiving.
KEPT_KINDS = {ReminderKind.REGISTRATION_EXPIRY, ReminderKind.CARD_EXPIRY}


@dataclass(frozen=True)
class Due:
    """One thing a firm must be reminded of."""

    organization_id: int
    kind: str
    subject_type: str
    subject_uuid: object
    subject_label: str
    period: str
    due_on: datetime.date | None = None


def current_milestone(due: datetime.date, today: datetime.date, milestones) -> str | None:
    """Return the latest milestone reached by today for a date, or None before the first."""
    reached = [name for name, offset in milestones if today >= due + offset]
    return reached[-1] if reached else None


def _expiry_dues(rows, kind: str, subject_type: str, milestones, today) -> Iterator[Due]:
    for org_id, uuid, name, due in rows:
        milestone = current_milestone(due, today, milestones)
        if milestone:
            yield Due(org_id, kind, subject_type, uuid, name, f"{due}:{milestone}", due)


def registration_dues(today: datetime.date) -> Iterator[Due]:
    rows = Company.objects.filter(
        registration_expires_on__lte=today + relativedelta(months=6)
    ).values_list("organization_id", "uuid", "name", "registration_expires_on")
    yield from _expiry_dues(
        rows, ReminderKind.REGISTRATION_EXPIRY, "company", REGISTRATION_MILESTONES, today
    )


def card_dues(today: datetime.date) -> Iterator[Due]:
    rows = Worker.objects.filter(
        status=WorkerStatus.ACTIVE, card_expires_on__lte=today + relativedelta(months=6)
    ).values_list("organization_id", "uuid", "name", "card_expires_on")
    yield from _expiry_dues(rows, ReminderKind.CARD_EXPIRY, "worker", CARD_MILESTONES, today)


def fee_dues(today: datetime.date) -> Iterator[Due]:
    rows = ManagerIdFee.objects.filter(
        due_on__gte=today, due_on__lte=today + relativedelta(months=1)
    ).values_list("company__organization_id", "company__uuid", "company__name", "label",
                  "uuid", "due_on")  # fmt: skip
    for org_id, uuid, name, label, fee_uuid, due in rows:
        milestone = current_milestone(due, today, FEE_MILESTONES)
        if milestone:
            period = f"{fee_uuid}:{due}:{milestone}"
            yield Due(org_id, ReminderKind.FEE_DUE, "company", uuid, f"{name} {label}", period, due)


def _accounts():
    """Yield (model, subject type, queryset) of the accounts that need looking after."""
    yield Company, "company", Company.objects.all()
    yield Worker, "worker", Worker.objects.filter(status=WorkerStatus.ACTIVE)


def unconfirmed_dues(now: datetime.datetime, policies: dict[int, int]) -> Iterator[Due]:
    shortest = min(policies.values(), default=180)
    cutoff = now - datetime.timedelta(days=shortest)
    for _model, subject_type, accounts in _accounts():
        rows = accounts.filter(
            Q(last_confirmed_at__isnull=True) | Q(last_confirmed_at__lt=cutoff)
        ).values_list("organization_id", "uuid", "name", "last_confirmed_at")
        for org_id, uuid, name, confirmed_at in rows:
            if confirmed_at is None:
                period = "never"
            else:
                due_at = confirmed_at + datetime.timedelta(days=policies.get(org_id, 180))
                if due_at > now:
                    continue
                period = timezone.localtime(due_at).date().isoformat()
            yield Due(org_id, ReminderKind.UNCONFIRMED, subject_type, uuid, name, period)


def missing_dues() -> Iterator[Due]:
    for _model, subject_type, accounts in _accounts():
        rows = accounts.filter(Q(ccus_id_index__isnull=True) | Q(email_index__isnull=True))
        for org_id, uuid, name, id_index, email_index in rows.values_list(
            "organization_id", "uuid", "name", "ccus_id_index", "email_index"
        ):
            gaps = [gap for gap, value in (("id", id_index), ("email", email_index)) if not value]
            yield Due(org_id, ReminderKind.MISSING, subject_type, uuid, name, "+".join(gaps))


def email_health_dues() -> Iterator[Due]:
    active = Worker.objects.filter(status=WorkerStatus.ACTIVE, email_index__isnull=False)
    shared = set(
        active.values("organization_id", "email_index")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("organization_id", "email_index")
    )
    company_inboxes = set(
        Company.objects.filter(email_index__isnull=False).values_list(
            "organization_id", "email_index"
        )
    )
    for org_id, uuid, name, email_index in active.values_list(
        "organization_id", "uuid", "name", "email_index"
    ):
        pair = (org_id, email_index)
        if pair in shared or pair in company_inboxes:
            problem = "company-inbox" if pair in company_inboxes else "shared"
            yield Due(org_id, ReminderKind.EMAIL_HEALTH, "worker", uuid, name, problem)


def escalation_dues(now: datetime.datetime) -> Iterator[Due]:
    """Reminders sent 14 days ago whose account was not confirmed since: tell the owners."""
    old = ReminderDelivery.objects.filter(
        status=DeliveryStatus.SENT, sent_at__lte=now - ESCALATE_AFTER
    ).exclude(kind=ReminderKind.ESCALATION)
    rows = list(
        old.values_list(
            "organization_id",
            "subject_type",
            "subject_uuid",
            "subject_label",
            "kind",
            "period",
            "sent_at",
        ).distinct()
    )
    confirmed = {}
    for model, subject_type, _accounts_qs in _accounts():
        uuids = [row[2] for row in rows if row[1] == subject_type]
        confirmed.update(
            model.objects.filter(uuid__in=uuids).values_list("uuid", "last_confirmed_at")
        )
    for org_id, subject_type, uuid, label, kind, period, sent_at in rows:
        answered_at = confirmed.get(uuid)
        if uuid in confirmed and (answered_at is None or answered_at < sent_at):
            yield Due(org_id, ReminderKind.ESCALATION, subject_type, uuid, label,
                      f"{kind}:{period}")  # fmt: skip


def all_dues(now: datetime.datetime) -> Iterator[Due]:
    """Yield everything due now, across all firms."""
    today = timezone.localdate(now)
    policies = dict(Organization.objects.values_list("id", "confirmation_policy_days"))
    yield from unconfirmed_dues(now, policies)
    yield from registration_dues(today)
    yield from card_dues(today)
    yield from fee_dues(today)
    yield from missing_dues()
    yield from email_health_dues()
    yield from escalation_dues(now)


def recipients_by_organization() -> dict[int, list[tuple[int, str]]]:
    """Return, per firm, the (user id, role) of its owners and admins."""
    recipients = defaultdict(list)
    for user_id, org_id, role in Membership.objects.filter(
        role__in=[Role.OWNER, Role.ADMIN], user__is_active=True
    ).values_list("user_id", "organization_id", "role"):
        recipients[org_id].append((user_id, role))
    return recipients


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


def plan_reminders(now: datetime.datetime | None = None, *, dry_run: bool = False) -> PlanResult:
    """Create the deliveries due now (each key once) and return who has something to receive."""
    now = now or timezone.now()
    opted_out = set(ReminderPreference.objects.values_list("user_id", "organization_id", "kind"))
    rows = list(deliveries_for(all_dues(now), recipients_by_organization(), opted_out))
    if dry_run:
        keys = [row.key for row in rows]
        existing = set()
        for start in range(0, len(keys), 1000):
            chunk = keys[start : start + 1000]
            existing |= set(
                ReminderDelivery.objects.filter(key__in=chunk).values_list("key", flat=True)
            )
        new = [row for row in rows if row.key not in existing]
        return PlanResult(len(new), sorted({row.recipient_id for row in new}))
    with transaction.atomic():
        before = ReminderDelivery.objects.count()
        insert_new(rows)
        planned = ReminderDelivery.objects.count() - before
    pending = ReminderDelivery.objects.filter(status=DeliveryStatus.PENDING)
    return PlanResult(planned, sorted(set(pending.values_list("recipient_id", flat=True))))

"""What is due across all firms: expiries, fees, stale and missing records, escalations."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q
from django.utils import timezone

from ccus.accounts.lookup import grouping_column
from ccus.accounts.models import Company, ManagerIdFee, Worker, WorkerStatus
from ccus.mail.models import DeliveryStatus
from ccus.reminders.models import ReminderDelivery, ReminderKind
from vault.firms.models import Organization

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
    email = grouping_column("email_index")
    active = Worker.objects.filter(status=WorkerStatus.ACTIVE, **{f"{email}__isnull": False})
    shared = set(
        active.values("organization_id", email)
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("organization_id", email)
    )
    company_inboxes = set(
        Company.objects.filter(**{f"{email}__isnull": False}).values_list("organization_id", email)
    )
    for org_id, uuid, name, email_index in active.values_list(
        "organization_id", "uuid", "name", email
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

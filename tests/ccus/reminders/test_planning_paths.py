"""Planning in SQL plans the very rows planning in Python does, on one fixed set of firms."""

import datetime
import uuid
import zoneinfo
from collections import Counter

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccus.accounts.models import ManagerIdFee, Worker, WorkerStatus
from ccus.mail.models import DeliveryStatus
from ccus.reminders.dues import all_dues
from ccus.reminders.models import ReminderDelivery, ReminderPreference
from ccus.reminders.planning import due_counts, plan_in_python, plan_in_sql, plan_reminders
from tests.factories import make_company, make_organization, make_user, make_worker
from vault.firms.models import Membership

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
# The last day of February: six months before the 31st of August is the 28th of February.
FIRST_DAY = datetime.datetime(2027, 2, 28, 9, tzinfo=TOKYO)
# Fifteen days later: the reminders of the first day are unanswered for more than 14 days.
SECOND_DAY = datetime.datetime(2027, 3, 15, 9, tzinfo=TOKYO)
FEE_UUIDS = [uuid.UUID(int=n) for n in (1, 2)]


def member(firm, email: str, role: str, *, active: bool = True):
    user = make_user(email)
    if not active:
        type(user).objects.filter(pk=user.pk).update(is_active=False)
    Membership.objects.create(user=user, organization=firm, role=role)
    return user


def confirmed(account, when) -> None:
    type(account).objects.filter(pk=account.pk).update(last_confirmed_at=when)


def build_firms() -> None:
    """Three firms covering every kind of reminder and the edges of each."""
    a = make_organization("協力建設")
    b = make_organization("よその工務店")
    b.confirmation_policy_days = 365
    b.save()
    c = make_organization("担当者のいない会社")
    member(a, "a-owner@example.jp", "owner")
    admin = member(a, "a-admin@example.jp", "admin")
    member(a, "a-staff@example.jp", "staff")
    member(a, "a-gone@example.jp", "admin", active=False)
    member(b, "b-owner@example.jp", "owner")
    Membership.objects.create(user=admin, organization=b, role="admin")
    ReminderPreference.objects.create(user=admin, organization=a, kind="missing")
    recently = FIRST_DAY - datetime.timedelta(days=10)

    office = make_company(a, name="本社", ccus_id="11110000000001",
                          registered_email="office@a.example.jp",
                          registration_expires_on=datetime.date(2027, 8, 31))  # fmt: skip
    confirmed(office, recently)
    branch = make_company(a, name="支店", registration_expires_on=datetime.date(2027, 3, 1))
    confirmed(branch, recently)
    long_name = make_company(a, name="長" * 195, ccus_id="11110000000002",
                             registered_email="long@a.example.jp")  # fmt: skip
    confirmed(long_name, recently)
    ManagerIdFee.objects.create(uuid=FEE_UUIDS[0], company=office, label="事業者責任者ID",
                                due_on=datetime.date(2027, 3, 7))  # fmt: skip
    ManagerIdFee.objects.create(uuid=FEE_UUIDS[1], company=long_name, label="現場管理者ID",
                                due_on=datetime.date(2027, 3, 31))  # fmt: skip

    def worker(firm, name, *, ccus_id=None, email=None, card=None, when=recently, status=None):
        account = make_worker(firm, name=name, ccus_id=ccus_id, registered_email=email,
                              card_expires_on=card)  # fmt: skip
        confirmed(account, when)
        if status:
            Worker.objects.filter(pk=account.pk).update(status=status)
        return account

    worker(a, "八月末", ccus_id="22220000000001", email="w1@a.example.jp",
           card=datetime.date(2027, 8, 31))  # fmt: skip
    worker(a, "五月末", ccus_id="22220000000002", email="w2@a.example.jp",
           card=datetime.date(2027, 5, 28), when=None)  # fmt: skip
    worker(a, "当日", ccus_id="22220000000003", email="w3@a.example.jp",
           card=datetime.date(2027, 2, 28),
           when=datetime.datetime(2026, 8, 1, tzinfo=TOKYO))  # fmt: skip
    worker(a, "退職済", ccus_id="22220000000004", email="w4@a.example.jp",
           card=datetime.date(2026, 12, 1), when=None, status=WorkerStatus.LEFT)  # fmt: skip
    worker(a, "ID未登録", email="shared@a.example.jp")
    worker(a, "共用", ccus_id="22220000000006", email="shared@a.example.jp")
    worker(a, "会社の受信箱", ccus_id="22220000000007", email="office@a.example.jp")
    worker(a, "退職した相手", ccus_id="22220000000008", email="solo@a.example.jp",
           status=WorkerStatus.LEFT)  # fmt: skip
    worker(a, "一人", ccus_id="22220000000009", email="solo@a.example.jp")
    # Due exactly now: confirmed the shortest policy ago to the second.
    worker(a, "ちょうど", ccus_id="22220000000010", email="w10@a.example.jp",
           when=FIRST_DAY - datetime.timedelta(days=180))  # fmt: skip
    # Due at one in the morning in Tokyo, still the day before in UTC.
    worker(a, "深夜", ccus_id="22220000000011", email="w11@a.example.jp",
           when=datetime.datetime(2026, 8, 1, 16, tzinfo=datetime.UTC))  # fmt: skip
    worker(a, "何もなし", ccus_id="22220000000012")
    worker(b, "一年以内", ccus_id="33330000000001", email="b1@b.example.jp",
           when=datetime.datetime(2026, 6, 1, tzinfo=TOKYO))  # fmt: skip
    worker(b, "一年超", ccus_id="33330000000002", email="b2@b.example.jp",
           when=datetime.datetime(2025, 12, 1, tzinfo=TOKYO))  # fmt: skip
    make_company(b, name="よその本社", registration_expires_on=datetime.date(2027, 2, 27))
    worker(c, "誰も受け取らない", when=None)


def two_days(plan) -> list[tuple]:
    """Plan on the first day, send everything, answer one, plan again 15 days later."""
    with time_machine.travel(FIRST_DAY, tick=False):
        plan(FIRST_DAY)
    ReminderDelivery.objects.update(status=DeliveryStatus.SENT, sent_at=FIRST_DAY)
    confirmed(Worker.objects.get(name="五月末"), FIRST_DAY + datetime.timedelta(days=3))
    with time_machine.travel(SECOND_DAY, tick=False):
        plan(SECOND_DAY)
    rows = ReminderDelivery.objects.values_list(
        "key", "organization__name", "recipient__email", "kind", "subject_type", "subject_uuid",
        "subject_label", "due_on", "period", "status", "attempts", "last_error",
    )  # fmt: skip
    return sorted(rows)


def readable(rows) -> list[tuple]:
    """The rows without keys and account UUIDs, which differ from one build to the next."""
    return sorted(
        (org, email, kind, kind_of, label[:12], len(label), due_on and due_on.isoformat(), period)
        for _key, org, email, kind, kind_of, _uuid, label, due_on, period, *_ in rows
    )


def reset_to_first_state() -> None:
    ReminderDelivery.objects.all().delete()
    confirmed(Worker.objects.get(name="五月末"), None)


@pytest.mark.postgres
@pytest.mark.django_db
def test_sql_and_python_plan_the_same_rows_on_the_same_firms():
    build_firms()
    by_python = two_days(lambda now: plan_in_python(now))
    reset_to_first_state()
    by_sql = two_days(lambda now: plan_in_sql(now))
    assert len(by_python) == len(EXPECTED)
    assert by_sql == by_python


@pytest.mark.postgres
@pytest.mark.django_db
def test_sql_and_python_count_the_same_and_nothing_twice():
    build_firms()
    with time_machine.travel(FIRST_DAY, tick=False):
        dry_python = plan_in_python(FIRST_DAY, dry_run=True)
        dry_sql = plan_in_sql(FIRST_DAY, dry_run=True)
        assert ReminderDelivery.objects.count() == 0
        with CaptureQueriesContext(connection) as queries:
            first = plan_in_sql(FIRST_DAY)
        assert len(queries) <= 6
        again_sql = plan_in_sql(FIRST_DAY)
        again_python = plan_in_python(FIRST_DAY)
    assert dry_sql == dry_python
    assert due_counts(FIRST_DAY) == Counter(due.kind for due in all_dues(FIRST_DAY))
    assert first == dry_sql
    assert first.planned == ReminderDelivery.objects.count() > 0
    assert again_sql.planned == again_python.planned == 0
    assert again_sql.recipients == first.recipients


@pytest.mark.django_db
def test_planning_gives_the_pinned_rows_of_the_fixed_firms():
    build_firms()
    assert readable(two_days(lambda now: plan_reminders(now))) == EXPECTED


# Computed by planning in Python before planning moved into the database.
EXPECTED = [
    ("よその工務店", "a-admin@example.jp", "missing", "company", "よその本社", 5, None, "id+email"),
    (
        "よその工務店",
        "a-admin@example.jp",
        "registration_expiry",
        "company",
        "よその本社",
        5,
        "2027-02-27",
        "2027-02-27:after",
    ),
    (
        "よその工務店",
        "a-admin@example.jp",
        "unconfirmed",
        "worker",
        "一年超",
        3,
        None,
        "2026-12-01",
    ),
    (
        "よその工務店",
        "b-owner@example.jp",
        "escalation",
        "company",
        "よその本社",
        5,
        None,
        "missing:id+email",
    ),
    (
        "よその工務店",
        "b-owner@example.jp",
        "escalation",
        "company",
        "よその本社",
        5,
        None,
        "registration_expiry:2027-02-27:after",
    ),
    (
        "よその工務店",
        "b-owner@example.jp",
        "escalation",
        "worker",
        "一年超",
        3,
        None,
        "unconfirmed:2026-12-01",
    ),
    ("よその工務店", "b-owner@example.jp", "missing", "company", "よその本社", 5, None, "id+email"),
    (
        "よその工務店",
        "b-owner@example.jp",
        "registration_expiry",
        "company",
        "よその本社",
        5,
        "2027-02-27",
        "2027-02-27:after",
    ),
    (
        "よその工務店",
        "b-owner@example.jp",
        "unconfirmed",
        "worker",
        "一年超",
        3,
        None,
        "2026-12-01",
    ),
    (
        "協力建設",
        "a-admin@example.jp",
        "card_expiry",
        "worker",
        "五月末",
        3,
        "2027-05-28",
        "2027-05-28:3m",
    ),
    (
        "協力建設",
        "a-admin@example.jp",
        "card_expiry",
        "worker",
        "八月末",
        3,
        "2027-08-31",
        "2027-08-31:6m",
    ),
    (
        "協力建設",
        "a-admin@example.jp",
        "card_expiry",
        "worker",
        "当日",
        2,
        "2027-02-28",
        "2027-02-28:day",
    ),
    ("協力建設", "a-admin@example.jp", "email_health", "worker", "ID未登録", 5, None, "shared"),
    (
        "協力建設",
        "a-admin@example.jp",
        "email_health",
        "worker",
        "会社の受信箱",
        6,
        None,
        "company-inbox",
    ),
    ("協力建設", "a-admin@example.jp", "email_health", "worker", "共用", 2, None, "shared"),
    (
        "協力建設",
        "a-admin@example.jp",
        "fee_due",
        "company",
        "本社 事業者責任者ID",
        11,
        "2027-03-07",
        "00000000-0000-0000-0000-000000000001:2027-03-07:1w",
    ),
    (
        "協力建設",
        "a-admin@example.jp",
        "fee_due",
        "company",
        "長長長長長長長長長長長長",
        200,
        "2027-03-31",
        "00000000-0000-0000-0000-000000000002:2027-03-31:1m",
    ),
    (
        "協力建設",
        "a-admin@example.jp",
        "registration_expiry",
        "company",
        "支店",
        2,
        "2027-03-01",
        "2027-03-01:1m",
    ),
    (
        "協力建設",
        "a-admin@example.jp",
        "registration_expiry",
        "company",
        "支店",
        2,
        "2027-03-01",
        "2027-03-01:after",
    ),
    (
        "協力建設",
        "a-admin@example.jp",
        "registration_expiry",
        "company",
        "本社",
        2,
        "2027-08-31",
        "2027-08-31:6m",
    ),
    ("協力建設", "a-admin@example.jp", "unconfirmed", "worker", "ちょうど", 4, None, "2027-02-28"),
    ("協力建設", "a-admin@example.jp", "unconfirmed", "worker", "五月末", 3, None, "never"),
    ("協力建設", "a-admin@example.jp", "unconfirmed", "worker", "当日", 2, None, "2027-01-28"),
    ("協力建設", "a-admin@example.jp", "unconfirmed", "worker", "深夜", 2, None, "2027-01-29"),
    (
        "協力建設",
        "a-owner@example.jp",
        "card_expiry",
        "worker",
        "五月末",
        3,
        "2027-05-28",
        "2027-05-28:3m",
    ),
    (
        "協力建設",
        "a-owner@example.jp",
        "card_expiry",
        "worker",
        "八月末",
        3,
        "2027-08-31",
        "2027-08-31:6m",
    ),
    (
        "協力建設",
        "a-owner@example.jp",
        "card_expiry",
        "worker",
        "当日",
        2,
        "2027-02-28",
        "2027-02-28:day",
    ),
    ("協力建設", "a-owner@example.jp", "email_health", "worker", "ID未登録", 5, None, "shared"),
    (
        "協力建設",
        "a-owner@example.jp",
        "email_health",
        "worker",
        "会社の受信箱",
        6,
        None,
        "company-inbox",
    ),
    ("協力建設", "a-owner@example.jp", "email_health", "worker", "共用", 2, None, "shared"),
    (
        "協力建設",
        "a-owner@example.jp",
        "escalation",
        "company",
        "支店",
        2,
        None,
        "missing:id+email",
    ),
    (
        "協力建設",
        "a-owner@example.jp",
        "escalation",
        "company",
        "支店",
        2,
        None,
        "registration_expiry:2027-03-01:1m",
    ),
    (
        "協力建設",
        "a-owner@example.jp",
        "escalation",
        "company",
        "本社 事業者責任者ID",
        11,
        None,
        "fee_due:00000000-0000-0000-0000-000000000001:2027-03-07:1w",
    ),
    (
        "協力建設",
        "a-owner@example.jp",
        "escalation",
        "worker",
        "ID未登録",
        5,
        None,
        "email_health:shared",
    ),
    ("協力建設", "a-owner@example.jp", "escalation", "worker", "ID未登録", 5, None, "missing:id"),
    (
        "協力建設",
        "a-owner@example.jp",
        "escalation",
        "worker",
        "会社の受信箱",
        6,
        None,
        "email_health:company-inbox",
    ),
    (
        "協力建設",
        "a-owner@example.jp",
        "escalation",
        "worker",
        "何もなし",
        4,
        None,
        "missing:email",
    ),
    (
        "協力建設",
        "a-owner@example.jp",
        "escalation",
        "worker",
        "共用",
        2,
        None,
        "email_health:shared",
    ),
    (
        "協力建設",
        "a-owner@example.jp",
        "escalation",
        "worker",
        "当日",
        2,
        None,
        "card_expiry:2027-02-28:day",
    ),
    (
        "協力建設",
        "a-owner@example.jp",
        "escalation",
        "worker",
        "当日",
        2,
        None,
        "unconfirmed:2027-01-28",
    ),
    (
        "協力建設",
        "a-owner@example.jp",
        "escalation",
        "worker",
        "深夜",
        2,
        None,
        "unconfirmed:2027-01-29",
    ),
    (
        "協力建設",
        "a-owner@example.jp",
        "fee_due",
        "company",
        "本社 事業者責任者ID",
        11,
        "2027-03-07",
        "00000000-0000-0000-0000-000000000001:2027-03-07:1w",
    ),
    (
        "協力建設",
        "a-owner@example.jp",
        "fee_due",
        "company",
        "長長長長長長長長長長長長",
        200,
        "2027-03-31",
        "00000000-0000-0000-0000-000000000002:2027-03-31:1m",
    ),
    ("協力建設", "a-owner@example.jp", "missing", "company", "支店", 2, None, "id+email"),
    ("協力建設", "a-owner@example.jp", "missing", "worker", "ID未登録", 5, None, "id"),
    ("協力建設", "a-owner@example.jp", "missing", "worker", "何もなし", 4, None, "email"),
    (
        "協力建設",
        "a-owner@example.jp",
        "registration_expiry",
        "company",
        "支店",
        2,
        "2027-03-01",
        "2027-03-01:1m",
    ),
    (
        "協力建設",
        "a-owner@example.jp",
        "registration_expiry",
        "company",
        "支店",
        2,
        "2027-03-01",
        "2027-03-01:after",
    ),
    (
        "協力建設",
        "a-owner@example.jp",
        "registration_expiry",
        "company",
        "本社",
        2,
        "2027-08-31",
        "2027-08-31:6m",
    ),
    ("協力建設", "a-owner@example.jp", "unconfirmed", "worker", "ちょうど", 4, None, "2027-02-28"),
    ("協力建設", "a-owner@example.jp", "unconfirmed", "worker", "五月末", 3, None, "never"),
    ("協力建設", "a-owner@example.jp", "unconfirmed", "worker", "当日", 2, None, "2027-01-28"),
    ("協力建設", "a-owner@example.jp", "unconfirmed", "worker", "深夜", 2, None, "2027-01-29"),
]

"""Planning in PostgreSQL: two runs at once plan each reminder once, renamed accounts too."""

import datetime
import threading
import time
import zoneinfo

import pytest
import time_machine
from django.db import connection, transaction

from ccus.accounts.models import Worker
from ccus.mail.models import DeliveryStatus
from ccus.reminders import planning
from ccus.reminders.models import ReminderDelivery
from ccus.reminders.planning import plan_in_python, plan_in_sql
from tests.factories import make_member, make_organization, make_worker

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NOW = datetime.datetime(2026, 11, 24, 9, tzinfo=TOKYO)


def waiting_for_the_planning_lock() -> bool:
    """Tell, within ten seconds, whether a connection waits for an advisory lock."""
    with connection.cursor() as cursor:
        for _ in range(100):
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.1)
    return False


def _plan(outcomes: dict, name: str) -> None:
    try:
        outcomes[name] = plan_in_sql(NOW).planned
    except Exception as error:  # reported in outcomes, where the test shows it
        outcomes[name] = repr(error)
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_second_run_at_the_same_time_waits_and_plans_nothing_twice():
    firm = make_organization()
    make_member(firm, "owner")
    for n in range(3):
        make_worker(firm, name=f"IDなし{n}")
    outcomes: dict = {}
    with transaction.atomic():
        first = plan_in_sql(NOW).planned
        # Not committed yet: the second run must wait for this one, then find it all planned.
        second = threading.Thread(target=_plan, args=(outcomes, "second"))
        second.start()
        assert waiting_for_the_planning_lock()
    second.join(10)
    assert first > 0
    assert outcomes == {"second": 0}
    assert ReminderDelivery.objects.count() == first


@pytest.mark.postgres
@pytest.mark.django_db
def test_it_escalates_once_an_account_its_recipients_saw_under_two_names():
    firm = make_organization()
    owner = make_member(firm, "owner")
    make_member(firm, "admin")
    worker = make_worker(firm, name="旧姓")
    Worker.objects.filter(pk=worker.pk).update(last_confirmed_at=None)
    earlier = NOW - datetime.timedelta(days=20)
    with time_machine.travel(earlier, tick=False):
        plan_in_sql(earlier)
    # Renamed, and a reminder to one of them says so.
    ReminderDelivery.objects.exclude(recipient=owner).update(subject_label="新姓")
    ReminderDelivery.objects.update(status=DeliveryStatus.SENT, sent_at=earlier)
    sent = ReminderDelivery.objects.count()
    with time_machine.travel(NOW, tick=False):
        by_sql = plan_in_sql(NOW).planned
        ReminderDelivery.objects.filter(kind="escalation").delete()
        by_python = plan_in_python(NOW).planned
    escalated = ReminderDelivery.objects.filter(kind="escalation")
    assert by_sql == by_python == escalated.count() == sent // 2
    assert set(escalated.values_list("recipient", flat=True)) == {owner.pk}


def four_firms() -> list:
    """Four firms in a row, so that both halves (even and odd ids) have reminders due."""
    firms = [make_organization(f"協力会社{n}") for n in range(4)]
    for firm in firms:
        make_member(firm, "owner")
        make_member(firm, "admin")
        for n in range(3):
            make_worker(firm, name=f"IDなし{n}")
    return firms


def planned_rows() -> list[tuple]:
    return sorted(
        ReminderDelivery.objects.values_list("key", "organization_id", "recipient_id", "period")
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_plans_in_two_halves_the_rows_one_statement_plans():
    four_firms()
    halves = plan_in_sql(NOW).planned
    by_halves = planned_rows()
    ReminderDelivery.objects.all().delete()
    with transaction.atomic():
        whole = plan_in_sql(NOW).planned
    assert halves == whole == len(by_halves) > 0
    assert {org % 2 for _, org, _, _ in by_halves} == {0, 1}
    assert planned_rows() == by_halves
    assert plan_in_sql(NOW).planned == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_run_stopped_between_halves_leaves_the_rest_to_the_next_run(monkeypatch):
    four_firms()
    insert = planning._insert

    def lost_on_the_first_half(cursor, now, half=None):
        if half == 0:
            raise ConnectionError("connection lost")
        return insert(cursor, now, half)

    monkeypatch.setattr(planning, "_insert", lost_on_the_first_half)
    with pytest.raises(ConnectionError):
        plan_in_sql(NOW)
    # The other half was committed on its own connection, and only that half.
    stopped = planned_rows()
    assert stopped
    assert {org % 2 for _, org, _, _ in stopped} == {1}
    monkeypatch.undo()
    rest = plan_in_sql(NOW).planned
    resumed = planned_rows()
    assert plan_in_sql(NOW).planned == 0
    ReminderDelivery.objects.all().delete()
    assert plan_in_sql(NOW).planned == len(stopped) + rest == len(resumed)
    assert planned_rows() == resumed

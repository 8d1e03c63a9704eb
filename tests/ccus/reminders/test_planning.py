"""Reminder planning with time frozen: every kind and milestone once, holidays, escalation."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from ccus.accounts.models import ManagerIdFee, Worker
from ccus.mail.models import DeliveryStatus
from ccus.reminders.models import ReminderDelivery, ReminderPreference
from ccus.reminders.planning import plan_reminders
from ccus.reminders.preferences import reminder_preferences_set
from ccus.reminders.tasks import is_business_day, plan_daily_reminders
from tests.factories import make_company, make_worker
from vault.firms.models import Membership

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def at(day: str, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=TOKYO)


def planned(kind: str) -> list[tuple[str, str]]:
    return sorted(
        ReminderDelivery.objects.filter(kind=kind).values_list("recipient__email", "period")
    )


def run(day: str) -> int:
    with time_machine.travel(at(day), tick=False):
        return plan_reminders().planned


@pytest.fixture
def firm(organization, owner, admin_member, staff):
    """A firm with an owner and an admin (who get reminders) and staff (who does not)."""
    return organization


@pytest.mark.django_db
def test_it_reminds_of_a_business_registration_at_each_milestone_once(firm, owner, admin_member):
    company = make_company(
        firm,
        ccus_id="11112222333344",
        registered_email="c@example.jp",
        registration_expires_on=datetime.date(2027, 6, 15),
    )
    type(company).objects.filter(pk=company.pk).update(last_confirmed_at=at("2026-12-14"))
    assert run("2026-12-14") == 0
    seen = []
    for day, milestone in [
        ("2026-12-15", "6m"),
        ("2027-03-15", "3m"),
        ("2027-05-15", "1m"),
        ("2027-06-15", "day"),
        ("2027-06-16", "after"),
    ]:
        # Confirmed that day, so only the expiry is due.
        type(company).objects.filter(pk=company.pk).update(last_confirmed_at=at(day))
        assert run(day) == 2, day
        assert run(day) == 0, f"{day} twice"
        seen.append(milestone)
    periods = {period.split(":")[1] for _, period in planned("registration_expiry")}
    assert periods == set(seen)
    assert {email for email, _ in planned("registration_expiry")} == {
        owner.email,
        admin_member.email,
    }


@pytest.mark.django_db
def test_it_reminds_of_a_card_at_6_3_1_months_and_on_the_day(firm):
    worker = make_worker(
        firm,
        ccus_id="11112222333355",
        registered_email="w@example.jp",
        card_expires_on=datetime.date(2027, 6, 15),
    )
    for day in ["2026-12-15", "2027-03-15", "2027-05-15", "2027-06-15", "2027-06-16", "2027-09-01"]:
        Worker.objects.filter(pk=worker.pk).update(last_confirmed_at=at(day))
        run(day)
    milestones = sorted({period.split(":")[1] for _, period in planned("card_expiry")})
    assert milestones == ["1m", "3m", "6m", "day"]
    assert len(planned("card_expiry")) == 8


@pytest.mark.django_db
def test_it_reminds_of_a_manager_id_fee_a_month_and_a_week_before(firm):
    company = make_company(firm, ccus_id="11112222333366", registered_email="c@example.jp")
    ManagerIdFee.objects.create(
        company=company, label="事業者責任者ID", due_on=datetime.date(2027, 2, 20)
    )
    for day in ["2027-01-19", "2027-01-20", "2027-02-12", "2027-02-13", "2027-02-21"]:
        type(company).objects.filter(pk=company.pk).update(last_confirmed_at=at(day))
        run(day)
    assert sorted({p.split(":")[-1] for _, p in planned("fee_due")}) == ["1m", "1w"]


@pytest.mark.django_db
def test_it_reminds_of_accounts_not_confirmed_within_the_policy(firm):
    never = make_worker(
        firm, name="未確認", ccus_id="11112222333377", registered_email="a@example.jp"
    )
    recent = make_worker(
        firm, name="最近", ccus_id="11112222333388", registered_email="b@example.jp"
    )
    old = make_worker(firm, name="古い", ccus_id="11112222333399", registered_email="c@example.jp")
    Worker.objects.filter(pk=never.pk).update(last_confirmed_at=None)  # saved before confirming
    Worker.objects.filter(pk=recent.pk).update(last_confirmed_at=at("2026-10-01"))
    Worker.objects.filter(pk=old.pk).update(last_confirmed_at=at("2026-04-01"))
    run("2026-11-24")
    labels = set(
        ReminderDelivery.objects.filter(kind="unconfirmed").values_list("subject_label", flat=True)
    )
    assert labels == {never.name, old.name}
    firm.confirmation_policy_days = 365
    firm.save()
    ReminderDelivery.objects.all().delete()
    run("2026-11-24")
    labels = set(
        ReminderDelivery.objects.filter(kind="unconfirmed").values_list("subject_label", flat=True)
    )
    assert labels == {never.name}


@pytest.mark.django_db
def test_it_reminds_of_missing_essentials_and_email_health(firm):
    make_company(firm, name="本社", ccus_id="22223333444455", registered_email="office@firm.jp")
    make_worker(firm, name="IDなし", registered_email="x@example.jp")
    make_worker(firm, name="共用", ccus_id="22223333444466", registered_email="office@firm.jp")
    run("2026-11-24")
    missing = dict(
        ReminderDelivery.objects.filter(kind="missing")
        .values_list("subject_label", "period")
        .distinct()
    )
    assert missing == {"IDなし": "id"}
    health = set(
        ReminderDelivery.objects.filter(kind="email_health").values_list("subject_label", "period")
    )
    assert health == {("共用", "company-inbox")}


@pytest.mark.django_db
def test_it_escalates_an_unanswered_reminder_to_the_owner_after_14_days(firm, owner, admin_member):
    worker = make_worker(firm, ccus_id="33334444555566", registered_email="e@example.jp")
    answered = make_worker(firm, ccus_id="33334444555577", registered_email="f@example.jp")
    Worker.objects.update(last_confirmed_at=None)  # never confirmed
    run("2026-11-02")
    ReminderDelivery.objects.update(status=DeliveryStatus.SENT, sent_at=at("2026-11-02"))
    Worker.objects.filter(pk=answered.pk).update(last_confirmed_at=at("2026-11-05"))
    run("2026-11-13")
    assert not ReminderDelivery.objects.filter(kind="escalation").exists()
    run("2026-11-16")
    escalated = ReminderDelivery.objects.filter(kind="escalation")
    assert set(escalated.values_list("recipient", "subject_label")) == {(owner.pk, worker.name)}
    assert run("2026-11-17") == 0


@pytest.mark.django_db
def test_it_leaves_out_kinds_a_member_switched_off(firm, owner, admin_member):
    membership = Membership.objects.get(user=admin_member)
    reminder_preferences_set(
        membership=membership, kinds={"registration_expiry", "card_expiry"}, request=None
    )
    make_worker(firm, name="IDなし")
    run("2026-11-24")
    recipients = set(
        ReminderDelivery.objects.filter(kind="missing").values_list("recipient", flat=True)
    )
    assert recipients == {owner.pk}


@pytest.mark.django_db
def test_it_keeps_expiry_warnings_with_someone(firm, owner, admin_member):
    admin = Membership.objects.get(user=admin_member)
    owner_membership = Membership.objects.get(user=owner)
    reminder_preferences_set(membership=admin, kinds=set(), request=None)
    with pytest.raises(ValidationError) as caught:
        reminder_preferences_set(membership=owner_membership, kinds={"missing"}, request=None)
    assert caught.value.code == "kept_kind"
    assert not ReminderPreference.objects.filter(user=owner).exists()


@pytest.mark.parametrize(
    ("day", "business"),
    [
        ("2026-11-24", True),
        ("2026-11-23", False),
        ("2026-11-28", False),
        ("2027-01-01", False),
        ("2027-01-11", False),
        ("2027-01-12", True),
    ],
)
def test_it_knows_japanese_business_days(day, business):
    assert is_business_day(datetime.date.fromisoformat(day)) is business


@pytest.mark.django_db
def test_it_skips_planning_on_a_public_holiday(firm, django_capture_on_commit_callbacks):
    make_worker(firm, name="IDなし")
    with time_machine.travel(at("2026-11-23"), tick=False):
        assert plan_daily_reminders() == 0
    with (
        time_machine.travel(at("2026-11-24"), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert plan_daily_reminders() > 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_it_shows_a_dry_run_without_writing(firm):
    from io import StringIO

    from django.core.management import call_command

    make_worker(firm, name="IDなし")
    out = StringIO()
    call_command("send_due_reminders", "--dry-run", stdout=out)
    assert "Would plan" in out.getvalue()
    assert "  missing: 1 accounts due" in out.getvalue()
    assert ReminderDelivery.objects.count() == 0


@pytest.mark.django_db
def test_it_plans_in_the_same_number_of_queries_for_10_or_100_workers(firm):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(workers: int) -> int:
        ReminderDelivery.objects.all().delete()
        Worker.objects.all().delete()
        for n in range(workers):
            make_worker(firm, name=f"技能者{n}", card_expires_on=datetime.date(2027, 1, 1))
        with (
            time_machine.travel(at("2026-11-24"), tick=False),
            CaptureQueriesContext(connection) as captured,
        ):
            plan_reminders()
        return len(captured)

    assert queries_for(10) == queries_for(100)

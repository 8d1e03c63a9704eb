"""The recovery log: cases nobody finished are closed as abandoned by beat and counted per path."""

import datetime

import pytest
import time_machine

from ccus.recovery.models import RecoveryCase
from ccus.recovery.tasks import abandon_stale_recoveries
from tests.console import sign_in
from tests.factories import make_worker
from vault.celery import app
from vault.celery_config import BEAT_SCHEDULE

NOW = datetime.datetime(2026, 11, 25, 3, 0, tzinfo=datetime.UTC)


def _case(organization, path: str, *, days_ago: float, minutes: int | None = None) -> RecoveryCase:
    """Make a case started days_ago, solved after minutes (or still open)."""
    worker = make_worker(organization)
    case = RecoveryCase.objects.create(organization=organization, worker=worker, path=path)
    started = NOW - datetime.timedelta(days=days_ago)
    solved = started + datetime.timedelta(minutes=minutes) if minutes is not None else None
    RecoveryCase.objects.filter(pk=case.pk).update(started_at=started, completed_at=solved)
    return case


def test_beat_closes_abandoned_recoveries_every_day():
    app.loader.import_default_modules()
    (entry,) = [e for e in BEAT_SCHEDULE.values() if e["task"] == abandon_stale_recoveries.name]
    assert entry["schedule"].hour == {4} and entry["schedule"].day_of_week == set(range(7))
    # A worker knows every task beat sends it.
    assert {e["task"] for e in BEAT_SCHEDULE.values()} <= set(app.tasks)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_it_closes_the_cases_nobody_finished_within_14_days(organization, other_organization):
    stale = _case(organization, "password_reset", days_ago=15)
    elsewhere = _case(other_organization, "inquiry_id", days_ago=30)
    recent = _case(organization, "password_reset", days_ago=13)
    solved = _case(organization, "password_reset", days_ago=40, minutes=20)
    assert abandon_stale_recoveries.delay().get() == 2
    assert abandon_stale_recoveries.delay().get() == 0  # safe to run twice
    closed = set(RecoveryCase.objects.exclude(abandoned_at=None).values_list("pk", flat=True))
    assert closed == {stale.pk, elsewhere.pk}
    assert RecoveryCase.objects.get(pk=recent.pk).abandoned_at is None
    assert RecoveryCase.objects.get(pk=solved.pk).abandoned_at is None


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_log_reports_solved_abandoned_and_median_time_per_path(client, owner, organization):
    for minutes in (10, 30, 50):
        _case(organization, "password_reset", days_ago=20, minutes=minutes)
    _case(organization, "password_reset", days_ago=16)
    _case(organization, "inquiry_email", days_ago=30)
    _case(organization, "inquiry_email", days_ago=25, minutes=4 * 24 * 60)
    _case(organization, "security_code", days_ago=1)
    _case(organization, "security_code", days_ago=400, minutes=5)  # older than 12 months
    abandon_stale_recoveries.delay().get()

    sign_in(client, owner)
    response = client.get("/recovery/")
    summary = response.context["summary"]
    assert (summary["count"], summary["solved"], summary["abandoned"]) == (7, 4, 2)
    assert summary["median_minutes"] == 40
    rows = [
        (str(r["label"]), r["solved"], r["abandoned"], r["open"], r["median_minutes"])
        for r in summary["per_path"]
    ]
    assert rows == [
        ("お問い合わせフォームで登録メールアドレスを変更します", 1, 1, 0, 5760),
        ("パスワードを自分で再発行します", 3, 1, 0, 30),
        ("セキュリティコード", 0, 0, 1, None),
    ]
    body = response.content.decode()
    # Paths are read by their titles, never by their codes; abandoned cases have a table apart.
    for code in ("password_reset", "inquiry_email", "security_code"):
        assert code not in body
    assert [c.path for c in response.context["abandoned"]] == ["password_reset", "inquiry_email"]
    assert len(response.context["cases"]) == 6
    assert body.index("<h2>中断</h2>") > body.index("<h2>記録</h2>")


@pytest.mark.django_db
def test_a_case_finished_after_it_was_closed_counts_as_solved(owner_client, organization):
    case = _case(organization, "password_reset", days_ago=20)
    RecoveryCase.objects.filter(pk=case.pk).update(abandoned_at=NOW)
    owner_client.post(f"/recovery/{case.uuid}/done/", {"password": "new-pw-1"})
    case.refresh_from_db()
    assert case.completed_at is not None and case.abandoned_at is None

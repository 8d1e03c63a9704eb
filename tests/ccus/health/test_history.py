"""Readiness over time: weekly snapshots drawn as charts on the rollup, drill-down and report."""

import datetime
import re

import pytest
import time_machine

from ccus.health.models import HealthSnapshot
from ccus.health.tasks import snapshot_health
from ccus.oversight.models import Engagement, SubcontractorSnapshot
from tests.console import sign_in
from tests.factories import make_company, make_worker

NOW = datetime.datetime(2026, 11, 25, 3, 0, tzinfo=datetime.UTC)  # Wednesday, 12:00 JST
THIS_WEEK = datetime.date(2026, 11, 23)


@pytest.fixture
def engaged(prime, organization):
    make_company(organization, name="協力建設", ccus_id="55556666777788")
    make_worker(organization, ccus_id="12345678901234")
    engagement = Engagement.objects.create(prime=prime, subcontractor=organization, status="active")
    for weeks_ago, score in ((13, 5), (3, 20), (2, 30), (1, 45)):
        SubcontractorSnapshot.objects.create(
            prime=prime, subcontractor=organization, score=score,
            week=THIS_WEEK - datetime.timedelta(weeks=weeks_ago),
        )  # fmt: skip
    return engagement


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_rollup_draws_each_subcontractors_last_12_weeks(client, prime, engaged):
    sign_in(client, prime.owner)
    body = client.get("/oversight/").content.decode()
    assert "過去12週" in body
    live = client.get("/oversight/").context["rows"][0].stats["score"]
    # The snapshot of 13 weeks ago is left out; this week's point is the live score.
    assert f"週ごとの準備度：20, 30, 45, {live}" in body
    assert body.count('<svg class="sparkline"') == 1
    assert re.search(r'<polyline points="([\d.]+,[\d.]+ ?){4}"', body)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_drill_down_draws_a_larger_chart_with_its_numbers_as_text(client, prime, engaged):
    sign_in(client, prime.owner)
    response = client.get(f"/oversight/{engaged.uuid}/")
    body = response.content.decode()
    assert "準備度の推移（過去12週）" in body
    assert '<svg class="line-chart"' in body
    weeks = response.context["weeks"]
    assert [label for label, _score in weeks] == ["11/2", "11/9", "11/16", "11/23"]
    # Each figure is written in the chart and in a table for screen readers.
    for label, score in weeks:
        assert f"<tr><td>{label}</td><td>{score}</td></tr>" in body
        assert f">{score}</text>" in body


@pytest.mark.django_db
def test_the_weekly_task_keeps_each_firms_readiness_once(organization, other_organization):
    make_worker(organization, ccus_id="12345678901234")
    with time_machine.travel(NOW, tick=False):
        assert snapshot_health.delay().get() == 2
        assert snapshot_health.delay().get() == 0
    with time_machine.travel(NOW + datetime.timedelta(days=7), tick=False):
        assert snapshot_health.delay().get() == 2
    snapshot = HealthSnapshot.objects.filter(organization=organization).first()
    assert snapshot.week == THIS_WEEK and snapshot.stats["workers"] == 1
    assert HealthSnapshot.objects.count() == 4


@pytest.mark.django_db
def test_the_health_report_draws_the_firms_own_readiness_over_time(client, owner, organization):
    with time_machine.travel(NOW - datetime.timedelta(weeks=2), tick=False):
        snapshot_health.delay().get()
    make_company(organization, name="協力建設", ccus_id="55556666777788")
    with time_machine.travel(NOW - datetime.timedelta(weeks=1), tick=False):
        snapshot_health.delay().get()
    with time_machine.travel(NOW, tick=False):
        sign_in(client, owner)
        response = client.get("/")
    body = response.content.decode()
    assert "会社の準備度の推移（過去12週）" in body
    labels = [label for label, _score in response.context["weeks"]]
    assert labels == ["11/9", "11/16", "11/23"]
    assert '<svg class="line-chart"' in body

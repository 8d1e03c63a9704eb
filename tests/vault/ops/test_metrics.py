"""`/metrics`: requests and latency per route, queue, reminders and imports; only with the token."""

import pytest

from ccus.mail.models import DeliveryStatus
from ccus.reminders.models import ReminderDelivery
from ccus.rosters.models import ImportJob
from tests.console import sign_in
from tests.factories import make_secret_worker

TOKEN = "metrics-token-for-tests-0123456789"


@pytest.fixture
def scrape(client, settings):
    settings.METRICS_TOKEN = TOKEN

    def get() -> str:
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        return response.content.decode()

    return get


def _value(text: str, sample: str) -> float:
    for line in text.splitlines():
        if line.startswith(sample + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.mark.django_db
def test_it_counts_requests_by_route_and_times_them(client, staff, organization, scrape):
    sign_in(client, staff)
    sample = 'ccus_vault_http_requests_total{method="GET",route="workers/",status="200"}'
    before = _value(scrape(), sample)
    client.get("/workers/")
    client.get("/workers/")
    text = scrape()
    assert _value(text, sample) == before + 2
    assert 'ccus_vault_http_request_duration_seconds_bucket{le="0.25",route="workers/"}' in text


@pytest.mark.django_db
def test_it_reads_reminders_imports_and_the_queue_at_scrape(organization, owner, scrape):
    worker = make_secret_worker(organization)
    for n, status in enumerate([DeliveryStatus.SENT, DeliveryStatus.SENT, DeliveryStatus.FAILED]):
        ReminderDelivery.objects.create(
            key=f"k{n}", organization=organization, recipient=owner, kind="unconfirmed",
            subject_type="worker", subject_uuid=worker.uuid, subject_label="x",
            period=str(n), status=status,
        )  # fmt: skip
    ImportJob.objects.create(organization=organization, filename="a.csv", status="failed")
    text = scrape()
    assert _value(text, 'ccus_vault_reminder_deliveries{status="sent"}') == 2
    assert _value(text, 'ccus_vault_reminder_deliveries{status="failed"}') == 1
    assert _value(text, 'ccus_vault_import_jobs{status="failed"}') == 1
    assert _value(text, 'ccus_vault_broker_up{queue="celery"}') == 1
    assert 'ccus_vault_celery_queue_length{queue="celery"}' in text


@pytest.mark.django_db
def test_it_refuses_a_scrape_without_the_token(client, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


@pytest.mark.django_db
def test_it_is_not_there_without_a_token_setting(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404

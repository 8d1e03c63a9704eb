"""`/healthz/live` answers while the process does; `/healthz/ready` names what does not."""

import os
import socket
import time

import pytest

from vault import health
from vault.celery import app as celery_app


@pytest.fixture(autouse=True)
def _no_check_left_hanging(monkeypatch):
    monkeypatch.setattr(health, "_running", {})


@pytest.fixture
def broker_url():
    """Point the Celery app at another broker for one test."""
    original = celery_app.conf.broker_url

    def point_at(url: str) -> None:
        celery_app.conf.broker_url = url

    yield point_at
    celery_app.conf.broker_url = original


@pytest.fixture
def hanging_port():
    """A loopback port that accepts connections and never says a word, like a hung server."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]


@pytest.mark.django_db
def test_it_answers_200_when_database_and_broker_answer(client):
    for path in ("/healthz", "/healthz/ready"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": True, "broker": True, "cache": True}


def test_it_answers_live_without_asking_any_service(client, monkeypatch):
    monkeypatch.setattr(health, "database_answers", lambda: pytest.fail("asked the database"))
    response = client.get("/healthz/live")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.django_db
def test_it_answers_503_naming_the_broker_when_it_is_down(client, broker_url):
    broker_url("redis://127.0.0.1:1/0")
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable", "database": True, "broker": False, "cache": True,
    }  # fmt: skip


@pytest.mark.redis
@pytest.mark.django_db
def test_it_answers_200_with_a_real_redis_broker(client, broker_url):
    broker_url(os.environ["REDIS_URL"])
    response = client.get("/healthz/ready")
    assert (response.status_code, response.json()["broker"]) == (200, True)


@pytest.mark.django_db
def test_it_answers_503_within_a_second_when_the_broker_hangs(client, broker_url, hanging_port):
    broker_url(f"redis://127.0.0.1:{hanging_port}/0")
    started = time.monotonic()
    response = client.get("/healthz/ready")
    # The hung broker would hold a request for its socket timeouts (10 s and more).
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.json()["broker"] is False
    # A probe while the first check still hangs answers at once, without a second hung check.
    assert client.get("/healthz/ready").json()["broker"] is False


def test_it_answers_503_in_time_when_the_database_hangs(client, monkeypatch):
    monkeypatch.setattr(health, "database_answers", lambda: time.sleep(30))
    monkeypatch.setattr(health, "broker_answers", lambda: True)
    started = time.monotonic()
    response = client.get("/healthz/ready")
    assert time.monotonic() - started < 3
    assert (response.status_code, response.json()["database"]) == (503, False)


@pytest.mark.django_db
def test_it_needs_no_sign_in_and_refuses_post(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/healthz/live").status_code == 405


def test_it_answers_503_naming_the_database_when_it_is_down(client, monkeypatch):
    monkeypatch.setattr(health, "database_answers", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] is False


@pytest.mark.django_db
def test_it_is_not_redirected_to_https_so_probes_reach_it(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz/live").status_code == 200
    assert client.get("/workers/").status_code == 301

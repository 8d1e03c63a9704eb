"""`/healthz` says whether the database and the broker answer."""

import os

import pytest

from vault.celery import app as celery_app


@pytest.fixture
def broker_url():
    """Point the Celery app at another broker for one test."""
    original = celery_app.conf.broker_url

    def point_at(url: str) -> None:
        celery_app.conf.broker_url = url

    yield point_at
    celery_app.conf.broker_url = original


@pytest.mark.django_db
def test_it_answers_200_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "broker": True}


@pytest.mark.django_db
def test_it_answers_503_naming_the_broker_when_it_is_down(client, broker_url):
    broker_url("redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": True, "broker": False}


@pytest.mark.redis
@pytest.mark.django_db
def test_it_answers_200_with_a_real_redis_broker(client, broker_url):
    broker_url(os.environ["REDIS_URL"])
    response = client.get("/healthz")
    assert (response.status_code, response.json()["broker"]) == (200, True)


@pytest.mark.django_db
def test_it_needs_no_sign_in_and_refuses_post(client):
    assert client.post("/healthz").status_code == 405


def test_it_answers_503_naming_the_database_when_it_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OSError("database unreachable")

    monkeypatch.setattr("vault.health.connection.cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] is False

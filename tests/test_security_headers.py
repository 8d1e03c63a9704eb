"""Responses carry a strict Content-Security-Policy; forms refuse a missing CSRF token."""

import pytest
from django.test import Client

from tests.console import sign_in
from tests.factories import make_worker


@pytest.mark.django_db
def test_it_sends_a_content_security_policy(client):
    policy = client.get("/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_it_refuses_a_post_without_csrf_token(staff, organization):
    worker = make_worker(organization)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, staff)
    response = client.post("/workers/confirm/", {"accounts": [str(worker.uuid)]})
    assert response.status_code == 403

"""Secrets stay masked on every page; a reveal shows exactly one value, audited, not cached."""

import re

import pytest
from django.test import override_settings

from ccus.accounts.models import Worker
from tests.console import sign_in
from tests.factories import SECRETS, leaked, make_company, make_secret_worker
from vault.audit.models import AuditEvent


def _assert_no_secret(body: str) -> None:
    assert leaked(body) == []
    assert "1981-02-03" not in body


@pytest.mark.django_db
def test_it_never_shows_a_secret_on_list_and_detail_pages(client, owner, organization):
    worker = make_secret_worker(organization)
    company_secrets = {k: v for k, v in SECRETS.items() if k not in ("initial_password", "ccus_id")}
    company = make_company(organization, ccus_id="99998888777766", **company_secrets)
    sign_in(client, owner)
    pages = [
        "/",
        "/workers/",
        f"/workers/{worker.uuid}/",
        f"/workers/{worker.uuid}/edit/",
        f"/workers/{worker.uuid}/left/",
        "/companies/",
        f"/companies/{company.uuid}/",
        f"/companies/{company.uuid}/edit/",
        "/workers/?q=ヒミツ",
        "/firm/audit/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_no_secret(response.content.decode())
    detail = client.get(f"/workers/{worker.uuid}/").content.decode()
    assert "•••• •••• ••12 34" in detail
    assert "s•••@example.jp" in detail


@pytest.mark.django_db
@pytest.mark.parametrize("field", sorted(SECRETS))
def test_it_reveals_exactly_one_value_and_records_it(client, owner, organization, field):
    worker = make_secret_worker(organization)
    sign_in(client, owner)
    response = client.post(f"/workers/{worker.uuid}/reveal/", {"field": field})
    body = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    shown = leaked(body)
    assert shown == [field]
    event = AuditEvent.objects.get(action="secret.reveal")
    assert (event.actor, event.field, event.target_uuid) == (owner, field, worker.uuid)
    assert leaked(str(AuditEvent.objects.values().get(pk=event.pk))) == []


@pytest.mark.django_db
def test_it_asks_to_confirm_identity_when_the_last_confirmation_is_old(client, owner, organization):
    worker = make_secret_worker(organization)
    sign_in(client, owner, reauthenticated=False)
    detail = f"/workers/{worker.uuid}/"
    response = client.post(f"{detail}reveal/", {"field": "password"}, HTTP_REFERER=detail)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/confirm/?next=")
    assert not AuditEvent.objects.filter(action="secret.reveal").exists()
    response = client.post("/account/confirm/", {"secret": "correct-horse-battery", "next": detail})
    assert response["Location"] == detail
    response = client.post(f"{detail}reveal/", {"field": "password"})
    assert SECRETS["password"] in response.content.decode()


@pytest.mark.django_db
def test_it_refuses_a_wrong_password_on_confirmation(client, owner, organization):
    sign_in(client, owner, reauthenticated=False)
    response = client.post("/account/confirm/", {"secret": "wrong", "next": "/"})
    assert response.status_code == 200
    assert "パスワードまたはコードが正しくありません" in response.content.decode()


@pytest.mark.django_db
@override_settings(REVEALS_PER_10_MINUTES=3)
def test_it_limits_how_many_values_are_shown(client, owner, organization):
    worker = make_secret_worker(organization)
    sign_in(client, owner)
    url = f"/workers/{worker.uuid}/reveal/"
    codes = [client.post(url, {"field": "phone"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert AuditEvent.objects.filter(action="secret.reveal").count() == 3


@pytest.mark.django_db
def test_it_shows_no_reveal_buttons_to_a_viewer(client, viewer, organization):
    worker = make_secret_worker(organization)
    sign_in(client, viewer)
    body = client.get(f"/workers/{worker.uuid}/").content.decode()
    assert not re.search(r'name="field" value="password"', body)
    assert "reveal" not in body


@pytest.mark.django_db
def test_it_keeps_password_buttons_from_staff(client, staff, organization):
    worker = make_secret_worker(organization)
    sign_in(client, staff)
    body = client.get(f"/workers/{worker.uuid}/").content.decode()
    assert 'value="registered_email"' in body
    assert 'value="password"' not in body and 'value="security_code"' not in body


@pytest.mark.django_db
def test_it_confirms_nothing_of_another_firm(client, outsider, organization):
    worker = make_secret_worker(organization)
    Worker.objects.filter(pk=worker.pk).update(last_confirmed_at=None)
    sign_in(client, outsider)
    client.post("/workers/confirm/", {"accounts": [str(worker.uuid)]})
    assert Worker.objects.get(pk=worker.pk).last_confirmed_at is None

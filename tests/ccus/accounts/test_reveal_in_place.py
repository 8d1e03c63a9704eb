"""Values shown in place or copied unseen: the same checks and audit as a reveal page."""

import pytest
from django.test import override_settings

from tests.console import sign_in
from tests.factories import SECRETS, leaked, make_secret_worker, make_worker
from vault.audit.models import AuditEvent

FRAGMENT = {"HTTP_X_FRAGMENT": "1"}


@pytest.mark.django_db
def test_it_answers_the_script_with_the_value_alone_not_cached(client, owner, organization):
    worker = make_secret_worker(organization)
    sign_in(client, owner)
    response = client.post(f"/workers/{worker.uuid}/reveal/", {"field": "password"}, **FRAGMENT)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "data-revealed>Pa55-secret-word</span>" in body
    assert leaked(body) == ["password"]
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action__startswith="secret.")
    assert (event.action, event.actor, event.field) == ("secret.reveal", owner, "password")


@pytest.mark.django_db
def test_it_records_a_copy_without_showing_as_its_own_action(client, owner, organization):
    worker = make_secret_worker(organization)
    sign_in(client, owner)
    url = f"/workers/{worker.uuid}/reveal/"
    response = client.post(url, {"field": "password", "purpose": "copy"}, **FRAGMENT)
    assert leaked(response.content.decode()) == ["password"]
    event = AuditEvent.objects.get(action__startswith="secret.")
    assert (event.action, event.field) == ("secret.copy", "password")
    assert event.target_uuid == worker.uuid
    assert leaked(str(AuditEvent.objects.values().get(action__startswith="secret."))) == []
    # A page with the value is a reveal, whatever the form said.
    client.post(url, {"field": "password", "purpose": "copy"})
    assert AuditEvent.objects.filter(action="secret.reveal").count() == 1


@pytest.mark.django_db
def test_it_brings_the_user_back_to_the_value_asked_for_after_confirming(
    client, owner, organization
):
    worker = make_secret_worker(organization)
    sign_in(client, owner, reauthenticated=False)
    response = client.post(
        f"/workers/{worker.uuid}/reveal/", {"field": "password", "purpose": "copy"},
        HTTP_REFERER="http://testserver/workers/", **FRAGMENT,
    )  # fmt: skip
    assert not AuditEvent.objects.filter(action__startswith="secret.").exists()
    asked = f"/workers/{worker.uuid}/?reveal=password#secret-password"
    confirm = client.get(response["Location"])
    assert confirm.context["next"] == asked
    back = client.post("/account/confirm/", {"secret": "correct-horse-battery", "next": asked})
    assert back["Location"] == asked
    detail = client.get(asked).content.decode()
    assert '<dd id="secret-password" class="asked">' in detail
    assert leaked(detail) == []
    assert not AuditEvent.objects.filter(action__startswith="secret.").exists()


@pytest.mark.django_db
@override_settings(REVEALS_PER_10_MINUTES=2)
def test_it_counts_copies_and_reveals_together_against_the_limit(client, owner, organization):
    worker = make_secret_worker(organization)
    sign_in(client, owner)
    url = f"/workers/{worker.uuid}/reveal/"
    client.post(url, {"field": "phone", "purpose": "copy"}, **FRAGMENT)
    client.post(url, {"field": "phone"}, **FRAGMENT)
    refused = client.post(url, {"field": "phone", "purpose": "copy"}, **FRAGMENT)
    assert refused.status_code == 429
    assert "10分後にもう一度お試しください" in refused.content.decode()
    assert leaked(refused.content.decode()) == []
    assert AuditEvent.objects.filter(action__startswith="secret.").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "copies"),
    [("owner", {"ccus_id", "password"}), ("admin", {"ccus_id", "password"}),
     ("staff", {"ccus_id"}), ("viewer", set())],
)  # fmt: skip
def test_it_puts_copy_buttons_in_the_list_by_role(client, organization, role, copies):
    from tests.factories import make_member

    make_secret_worker(organization)
    make_worker(organization, name="パスワードなし", ccus_id="11112222333344")
    sign_in(client, make_member(organization, role))
    body = client.get("/workers/").content.decode()
    shown = {field for field in ("ccus_id", "password") if f'data-field="{field}"' in body}
    assert shown == copies
    assert body.count('data-field="password"') == (1 if "password" in copies else 0)
    assert leaked(body) == []
    assert ("30秒後にクリップボードから消えます" in body) == bool(copies)


@pytest.mark.django_db
def test_it_keeps_another_firms_values_from_the_script(client, outsider, organization):
    worker = make_secret_worker(organization)
    sign_in(client, outsider)
    url = f"/workers/{worker.uuid}/reveal/"
    response = client.post(url, {"field": "password", "purpose": "copy"}, **FRAGMENT)
    assert response.status_code == 404
    assert SECRETS["password"] not in response.content.decode()
    assert not AuditEvent.objects.filter(action__startswith="secret.").exists()

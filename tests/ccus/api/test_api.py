"""The prime's read-only API: tokens, tenancy, masked IDs, rate limit, audit, schema, queries."""

import json

import pytest
from django.test import override_settings
from openapi_spec_validator import validate

from ccus.api.models import ApiToken
from ccus.api.tokens import api_token_issue
from ccus.oversight.models import Engagement, Site
from tests.factories import (
    SECRETS,
    leaked,
    make_company,
    make_organization,
    make_secret_worker,
    make_worker,
)
from vault.audit.models import AuditEvent


def _engage(prime, sub, *, sharing=Engagement.Sharing.STATUS) -> Engagement:
    return Engagement.objects.create(
        prime=prime, subcontractor=sub, status=Engagement.Status.ACTIVE, sharing=sharing
    )


@pytest.fixture
def setting(prime, organization):
    """A prime, its subcontractor (sharing full IDs), a site with both, and a token of each."""
    make_company(organization, name="協力建設", ccus_id="55556666777788",
                 registered_email="office@sub.example.jp", password="company-secret-pw",
                 security_code="9876", security_code_hint="金庫")  # fmt: skip
    worker = make_secret_worker(organization)
    engagement = _engage(prime, organization, sharing=Engagement.Sharing.IDS)
    site = Site.objects.create(organization=prime, name="梅田現場", site_code="12345678901234")
    site.engagements.add(engagement)
    site.workers.add(worker)
    _token, text = api_token_issue(organization=prime, name="入退場", actor=None, request=None)
    _other, other_text = api_token_issue(
        organization=make_organization("よその元請"), name="x", actor=None, request=None
    )
    return {"engagement": engagement, "site": site, "worker": worker,
            "token": text, "other": other_text}  # fmt: skip


def _get(client, path: str, token: str | None, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1{path}", **headers, **extra)


def _paths(setting) -> list[str]:
    e, s = setting["engagement"].uuid, setting["site"].uuid
    return ["/rollup", f"/subcontractors/{e}", f"/subcontractors/{e}/workers", "/sites",
            f"/sites/{s}/roster"]  # fmt: skip


@pytest.mark.django_db
def test_it_reads_every_endpoint_with_the_firm_token(client, setting):
    e = setting["engagement"]
    rollup = _get(client, "/rollup", setting["token"]).json()
    assert rollup["firm"] == "元請建設"
    [row] = rollup["subcontractors"]
    assert row["uuid"] == str(e.uuid) and row["name"] == "協力建設株式会社"
    assert row["workers"] == 1 and row["with_id"] == 1 and row["shares_full_ids"] is True
    one = _get(client, f"/subcontractors/{e.uuid}", setting["token"]).json()
    assert one == row
    workers = _get(client, f"/subcontractors/{e.uuid}/workers", setting["token"]).json()
    assert workers["count"] == 1
    assert workers["items"][0]["worker_id"] == SECRETS["ccus_id"]
    assert workers["items"][0]["worker_id_is_full"] is True
    sites = _get(client, "/sites", setting["token"]).json()
    assert sites == [
        {"uuid": str(setting["site"].uuid), "name": "梅田現場", "address": "",
         "site_code": "12345678901234", "subcontractor_uuids": [str(e.uuid)]}
    ]  # fmt: skip
    roster = _get(client, f"/sites/{setting['site'].uuid}/roster", setting["token"]).json()
    assert roster["items"][0]["subcontractor"] == "協力建設株式会社"
    assert roster["items"][0]["name"] == "秘密 太郎"


@pytest.mark.django_db
def test_it_masks_ids_where_the_subcontractor_shares_status_only(client, setting):
    Engagement.objects.update(sharing=Engagement.Sharing.STATUS)
    e, s = setting["engagement"].uuid, setting["site"].uuid
    for path in (f"/subcontractors/{e}/workers", f"/sites/{s}/roster"):
        item = _get(client, path, setting["token"]).json()["items"][0]
        assert item["worker_id"] == "•••• •••• ••12 34" and item["worker_id_is_full"] is False


@pytest.mark.django_db
def test_it_never_returns_a_secret(client, setting):
    for path in _paths(setting):
        body = _get(client, path, setting["token"]).content.decode()
        assert leaked(body, {k: v for k, v in SECRETS.items() if k != "ccus_id"}) == [], path
        for value in (
            "office@sub.example.jp",
            "company-secret-pw",
            "9876",
            "金庫",
            "55556666777788",
        ):
            assert value not in body, path


@pytest.mark.django_db
def test_every_endpoint_answers_another_firms_token_with_404_or_its_own_nothing(client, setting):
    for path in _paths(setting):
        response = _get(client, path, setting["other"])
        if path in ("/rollup", "/sites"):
            assert response.status_code == 200
            assert "協力建設" not in response.content.decode()
            assert "梅田現場" not in response.content.decode()
        else:
            assert response.status_code == 404, path


@pytest.mark.django_db
def test_it_refuses_no_token_a_wrong_one_a_revoked_one_and_writes(client, setting):
    for path in _paths(setting):
        assert _get(client, path, None).status_code == 401
        assert _get(client, path, "ccv_not-a-token").status_code == 401
    assert client.post("/api/v1/rollup", HTTP_AUTHORIZATION=f"Bearer {setting['token']}",
                       ).status_code in (401, 405)  # fmt: skip
    ApiToken.objects.filter(organization__name="元請建設").update(revoked_at="2026-01-01T00:00Z")
    for path in _paths(setting):
        assert _get(client, path, setting["token"]).status_code == 401


@pytest.mark.django_db
def test_it_keeps_only_a_hash_of_each_token(setting):
    stored = json.dumps(list(ApiToken.objects.values_list()), default=str)
    assert setting["token"] not in stored and setting["token"][4:] not in stored
    assert setting["token"][:8] in stored  # the visible prefix only


@pytest.mark.django_db
@override_settings(API_RATE_LIMIT="3/min")
def test_it_limits_the_rate_of_each_token(client, setting):
    statuses = [_get(client, "/sites", setting["token"]).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = _get(client, "/sites", setting["token"])
    assert int(limited["Retry-After"]) > 0
    # Another token is counted on its own.
    assert _get(client, "/sites", setting["other"]).status_code == 200


@pytest.mark.django_db
def test_it_writes_each_read_to_the_audit_log(client, setting):
    _get(client, f"/subcontractors/{setting['engagement'].uuid}", setting["token"])
    event = AuditEvent.objects.get(action="api.read")
    assert event.organization.name == "元請建設"
    assert event.target_type == "apitoken" and event.target_label.startswith("入退場 (ccv_")
    assert event.details == {"endpoint": ["subcontractor"]}
    assert AuditEvent.objects.filter(action="api_token.issue").count() == 2


@pytest.mark.django_db
def test_its_openapi_document_is_valid_and_has_no_secret_field(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    paths = sorted(schema["paths"])
    assert paths == [
        "/api/v1/rollup", "/api/v1/sites", "/api/v1/sites/{uuid}/roster",
        "/api/v1/subcontractors/{uuid}", "/api/v1/subcontractors/{uuid}/workers",
    ]  # fmt: skip
    assert all(set(item) == {"get"} for item in schema["paths"].values())
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle" in docs and "cdn" not in docs
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    properties = {
        name for component in schema["components"]["schemas"].values()
        for name in component.get("properties", {})
    }  # fmt: skip
    for word in ("password", "security_code", "hint", "email", "birth", "address_of_worker"):
        assert not any(word in name and name != "without_registered_email" for name in properties)


@pytest.mark.django_db
def test_its_query_count_does_not_grow_with_the_data(
    client, prime, setting, django_assert_num_queries
):
    site = setting["site"]

    def grow(subs: int, workers: int) -> None:
        for n in range(subs):
            firm = make_organization(f"協力{n}")
            site.engagements.add(_engage(prime, firm))
            for _ in range(workers):
                make_worker(firm, ccus_id=None)

    def counts() -> list[int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        seen = []
        for path in _paths(setting):
            with CaptureQueriesContext(connection) as queries:
                assert _get(client, path, setting["token"]).status_code == 200
            seen.append(len(queries))
        return seen

    counts()  # the first call notes the token's last use
    grow(1, 2)
    small = counts()
    grow(8, 5)
    assert counts() == small
    assert max(small) <= 8, small


@pytest.mark.django_db
def test_owners_make_see_and_revoke_tokens_on_their_page(client, prime, setting):
    from tests.console import sign_in

    owner = prime.owner
    sign_in(client, owner)
    page = client.post("/firm/api-tokens/", {"name": "安全書類システム"})
    body = page.content.decode()
    assert "no-store" in page["Cache-Control"]
    token = ApiToken.objects.get(name="安全書類システム")
    shown = body.split('id="api-token" class="mono" value="')[1].split('"')[0]
    assert shown.startswith(token.prefix)
    assert _get(client, "/sites", shown).status_code == 200
    assert shown not in client.get("/firm/api-tokens/").content.decode()
    client.post(f"/firm/api-tokens/{token.uuid}/revoke/")
    assert _get(client, "/sites", shown).status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=owner).count() == 1
    empty = client.post("/firm/api-tokens/", {"name": ""})
    assert "このフィールドは必須です" in empty.content.decode()

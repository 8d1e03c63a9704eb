"""Every console URL for every role, compared with a table of expected status codes."""

import pytest

from ccus.api.tokens import api_token_issue
from ccus.handoff.services import handoff_create
from tests.console import sign_in
from tests.factories import SECRETS, make_company, make_organization, make_secret_worker

ROLES = ["owner", "admin_member", "staff", "viewer", "outsider", "anonymous"]

# url name -> (method, expected status per role, in the order of ROLES)
TABLE = {
    "dashboard": ("get", [200, 200, 200, 200, 200, 302]),
    "workers": ("get", [200, 200, 200, 200, 200, 302]),
    "companies": ("get", [200, 200, 200, 200, 200, 302]),
    "workers-create": ("get", [200, 200, 200, 403, 200, 302]),
    "companies-create": ("get", [200, 200, 200, 403, 200, 302]),
    "workers-detail": ("get", [200, 200, 200, 200, 404, 302]),
    "companies-detail": ("get", [200, 200, 200, 200, 404, 302]),
    "workers-edit": ("get", [200, 200, 200, 403, 404, 302]),
    "companies-edit": ("get", [200, 200, 200, 403, 404, 302]),
    "workers-left": ("get", [200, 200, 200, 403, 404, 302]),
    "workers-reveal-id": ("post", [200, 200, 200, 403, 404, 302]),
    "workers-reveal-password": ("post", [200, 200, 403, 403, 404, 302]),
    "companies-reveal-code": ("post", [200, 200, 403, 403, 404, 302]),
    "workers-reveal-get": ("get", [405, 405, 405, 405, 405, 302]),
    "workers-confirm": ("post", [302, 302, 302, 403, 302, 302]),
    "workers-confirm-get": ("get", [405, 405, 405, 405, 405, 302]),
    "workers-left-post": ("post", [302, 302, 302, 403, 404, 302]),
    "workers-warnings": ("post", [200, 200, 200, 403, 404, 302]),
    "workers-new-warnings": ("post", [200, 200, 200, 403, 200, 302]),
    "workers-warnings-get": ("get", [405, 405, 405, 405, 405, 302]),
    "workers-delete": ("get", [200, 200, 403, 403, 404, 302]),
    "companies-delete": ("get", [200, 200, 403, 403, 404, 302]),
    "trash": ("get", [200, 200, 403, 403, 200, 302]),
    "members": ("get", [200, 200, 403, 403, 200, 302]),
    "policy": ("get", [200, 403, 403, 403, 200, 302]),
    "audit_log": ("get", [200, 200, 403, 403, 200, 302]),
    "audit_log_csv": ("get", [200, 200, 403, 403, 200, 302]),
    "workers-handoff": ("get", [200, 200, 403, 403, 404, 302]),
    "workers-handoff-post": ("post", [200, 200, 403, 403, 404, 302]),
    "handoff-cancel": ("post", [302, 302, 403, 403, 404, 302]),
    "handoff-cancel-get": ("get", [405, 405, 405, 405, 405, 302]),
    "calendar": ("get", [200, 200, 200, 200, 200, 302]),
    "calendar-issue": ("post", [200, 200, 200, 200, 200, 302]),
    "api-tokens": ("get", [200, 403, 403, 403, 200, 302]),
    "api-token-revoke": ("post", [302, 403, 403, 403, 404, 302]),
    "restore": ("get", [200, 403, 403, 403, 200, 302]),
}


def _request(name: str, worker, company, link=None, token=None) -> tuple[str, dict]:
    w, c = f"/workers/{worker.uuid}/", f"/companies/{company.uuid}/"
    return {
        "dashboard": ("/", {}),
        "workers": ("/workers/", {}),
        "companies": ("/companies/", {}),
        "workers-create": ("/workers/new/", {}),
        "companies-create": ("/companies/new/", {}),
        "workers-detail": (w, {}),
        "companies-detail": (c, {}),
        "workers-edit": (f"{w}edit/", {}),
        "companies-edit": (f"{c}edit/", {}),
        "workers-left": (f"{w}left/", {}),
        "workers-reveal-id": (f"{w}reveal/", {"field": "ccus_id"}),
        "workers-reveal-password": (f"{w}reveal/", {"field": "password"}),
        "companies-reveal-code": (f"{c}reveal/", {"field": "security_code"}),
        "workers-reveal-get": (f"{w}reveal/", {}),
        "workers-confirm": ("/workers/confirm/", {"accounts": [str(worker.uuid)]}),
        "workers-confirm-get": ("/workers/confirm/", {}),
        "workers-left-post": (f"{w}left/", {"left_on": "2026-11-01", "anyway": "1"}),
        "workers-warnings": (f"{w}warnings/", {"field": "registered_email"}),
        "workers-new-warnings": ("/workers/new/warnings/", {"field": "registered_email"}),
        "workers-warnings-get": (f"{w}warnings/", {}),
        "workers-delete": (f"{w}delete/", {}),
        "companies-delete": (f"{c}delete/", {}),
        "trash": ("/trash/", {}),
        "members": ("/firm/members/", {}),
        "policy": ("/firm/policy/", {}),
        "audit_log": ("/firm/audit/", {}),
        "audit_log_csv": ("/firm/audit/?format=csv", {}),
        "workers-handoff": (f"{w}handoff/", {}),
        "workers-handoff-post": (f"{w}handoff/", {"items": ["password"], "pin_length": 6}),
        "handoff-cancel": (f"/handoff/{link.uuid}/cancel/", {}),
        "handoff-cancel-get": (f"/handoff/{link.uuid}/cancel/", {}),
        "calendar": ("/calendar/", {}),
        "calendar-issue": ("/calendar/", {"action": "issue"}),
        "api-tokens": ("/firm/api-tokens/", {}),
        "api-token-revoke": (f"/firm/api-tokens/{token.uuid}/revoke/", {}),
        "restore": ("/backup/restore/", {}),
    }[name]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TABLE))
def test_it_answers_each_role_as_the_table_says(client, request, organization, name):
    worker = make_secret_worker(organization)
    company = make_company(organization, ccus_id="22223333444455", security_code="1234")
    link = handoff_create(worker=worker, fields=["password"], pin_length=6, actor=None,
                          request=None).link  # fmt: skip
    token, _text = api_token_issue(organization=organization, name="x", actor=None, request=None)
    method, expected = TABLE[name]
    url, data = _request(name, worker, company, link, token)
    seen = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            sign_in(client, request.getfixturevalue(role))
        response = getattr(client, method)(url, data)
        seen.append(response.status_code)
    assert seen == expected


# The URLs opened without a session: a one-time link by its state, a calendar feed and the API
# by their token. Each is answered the same whoever is signed in, so each row is tried once per
# role of the console as well; the API never lets a session (a viewer's or an owner's) stand in
# for a token.
LINK_STATES = {"open": 200, "viewed": 410, "expired": 410, "burnt": 410, "revoked": 410}
TOKEN_CASES = {
    "own": [200, 200, 200, 200, 200],
    "another firm's": [200, 404, 404, 200, 404],
    "revoked": [401, 401, 401, 401, 401],
    "none": [401, 401, 401, 401, 401],
}


def _sessions(client, request):
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            sign_in(client, request.getfixturevalue(role))
        yield role


@pytest.mark.django_db
@pytest.mark.parametrize("state", sorted(LINK_STATES))
def test_a_one_time_link_answers_by_its_state_whoever_asks(client, request, organization, state):
    from ccus.handoff.models import HandoffLink

    made = handoff_create(worker=make_secret_worker(organization), fields=["password"],
                          pin_length=6, actor=None, request=None)  # fmt: skip
    HandoffLink.objects.filter(pk=made.link.pk).update(status=state)
    if state == "expired":  # still marked open, but past its 72 hours
        HandoffLink.objects.filter(pk=made.link.pk).update(
            status="open", expires_at="2020-01-01T00:00Z"
        )
    seen = {
        role: client.get(f"/h/{made.link.uuid}/").status_code for role in _sessions(client, request)
    }
    assert set(seen.values()) == {LINK_STATES[state]}
    pin_post = client.post(f"/h/{made.link.uuid}/", {"secret": made.secret, "pin": made.pin})
    assert pin_post.status_code == LINK_STATES[state]
    assert (SECRETS["password"] in pin_post.content.decode()) == (state == "open")


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(TOKEN_CASES))
def test_the_api_answers_by_token_never_by_session(client, request, organization, case):
    from ccus.api.models import ApiToken
    from ccus.oversight.models import Engagement, Site

    prime = make_organization("元請建設")
    engagement = Engagement.objects.create(prime=prime, subcontractor=organization, status="active")
    site = Site.objects.create(organization=prime, name="現場")
    site.engagements.add(engagement)
    token = {
        "own": api_token_issue(organization=prime, name="a", actor=None, request=None)[1],
        "another firm's": api_token_issue(
            organization=organization, name="b", actor=None, request=None
        )[1],
        "revoked": api_token_issue(organization=prime, name="c", actor=None, request=None)[1],
        "none": None,
    }[case]
    ApiToken.objects.filter(name="c").update(revoked_at="2026-01-01T00:00Z")
    e, s = engagement.uuid, site.uuid
    paths = ["/rollup", f"/subcontractors/{e}", f"/subcontractors/{e}/workers", "/sites",
             f"/sites/{s}/roster"]  # fmt: skip
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    for role in _sessions(client, request):
        seen = [client.get(f"/api/v1{path}", **headers).status_code for path in paths]
        assert seen == TOKEN_CASES[case], role


@pytest.mark.django_db
def test_a_calendar_feed_answers_by_its_token_whoever_asks(client, request, organization, viewer):
    from ccus.calendar.services import calendar_feed_issue, calendar_feed_revoke
    from vault.firms.models import Membership

    membership = Membership.objects.get(user=viewer)
    old = calendar_feed_issue(membership=membership, language="ja", request=None)
    live = calendar_feed_issue(membership=membership, language="ja", request=None)
    other = calendar_feed_issue(
        membership=Membership.objects.get(user=request.getfixturevalue("outsider")),
        language="ja", request=None,
    )  # fmt: skip
    for _role in _sessions(client, request):
        assert client.get(f"/calendar/{live}.ics").status_code == 200
        assert client.get(f"/calendar/{old}.ics").status_code == 404
        assert organization.name not in client.get(f"/calendar/{other}.ics").content.decode()
    calendar_feed_revoke(membership=membership, request=None)
    assert client.get(f"/calendar/{live}.ics").status_code == 404

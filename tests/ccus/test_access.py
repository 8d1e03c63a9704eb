"""Every console URL for every role, compared with a table of expected status codes."""

import pytest

from tests.console import sign_in
from tests.factories import make_company, make_secret_worker

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
    "members": ("get", [200, 200, 403, 403, 200, 302]),
    "policy": ("get", [200, 403, 403, 403, 200, 302]),
    "audit_log": ("get", [200, 200, 403, 403, 200, 302]),
    "audit_log_csv": ("get", [200, 200, 403, 403, 200, 302]),
}


def _request(name: str, worker, company) -> tuple[str, dict]:
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
        "workers-left-post": (f"{w}left/", {"left_on": "2026-11-01"}),
        "members": ("/firm/members/", {}),
        "policy": ("/firm/policy/", {}),
        "audit_log": ("/firm/audit/", {}),
        "audit_log_csv": ("/firm/audit/?format=csv", {}),
    }[name]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TABLE))
def test_it_answers_each_role_as_the_table_says(client, request, organization, name):
    worker = make_secret_worker(organization)
    company = make_company(organization, ccus_id="22223333444455", security_code="1234")
    method, expected = TABLE[name]
    url, data = _request(name, worker, company)
    seen = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            sign_in(client, request.getfixturevalue(role))
        response = getattr(client, method)(url, data)
        seen.append(response.status_code)
    assert seen == expected

"""Log lines are JSON with the request's id, user and firm, and never carry a secret."""

import json
import logging

import pytest

from tests.console import sign_in
from tests.factories import SECRETS, leaked, make_secret_worker
from vault.ops.logs import JsonFormatter, RequestContextFilter, scrub


@pytest.fixture
def json_lines():
    """Capture what the console handler would print, formatted as in production."""
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Keep()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in lines]
    root.removeHandler(handler)


def test_it_logs_one_json_line_per_request_with_ids_and_no_values(
    client, staff, organization, json_lines
):
    worker = make_secret_worker(organization)
    sign_in(client, staff)
    response = client.get("/workers/", {"q": SECRETS["ccus_id"]}, HTTP_X_REQUEST_ID="req-abc12345")
    assert response.status_code == 200 and response["X-Request-ID"] == "req-abc12345"
    [line] = [e for e in json_lines() if e["logger"] == "vault.request"]
    assert line["request_id"] == "req-abc12345"
    assert (line["user_id"], line["firm_id"]) == (staff.pk, organization.pk)
    assert (line["method"], line["route"], line["status"]) == ("GET", "workers/", 200)
    assert isinstance(line["duration_ms"], float)
    assert not {"levelno", "lineno", "created", "msecs", "args"} & set(line)
    text = json.dumps(json_lines(), ensure_ascii=False)
    assert leaked(text) == []
    assert str(worker.uuid) not in text  # the route, never the path


def test_it_names_the_url_pattern_not_the_path(client, staff, organization, json_lines):
    worker = make_secret_worker(organization)
    sign_in(client, staff)
    client.get(f"/workers/{worker.uuid}/")
    [line] = [e for e in json_lines() if e["logger"] == "vault.request"]
    assert line["route"] == "workers/<uuid:uuid>/"


def test_it_makes_up_a_request_id_when_the_given_one_could_carry_a_value(client, json_lines):
    response = client.get("/healthz/live", HTTP_X_REQUEST_ID="12345678901234 secret@example.jp")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32 and "secret" not in request_id
    assert json_lines()[-1]["request_id"] == request_id


def test_it_masks_ids_and_emails_that_reach_a_message_by_mistake(json_lines):
    logging.getLogger("ccus.test").warning(
        "lookup id=%s mail=%s", "１２３４５６７８９０１２３４", SECRETS["registered_email"]
    )
    line = json_lines()[-1]
    assert line["message"] == "lookup id=[digits] mail=[email]"
    assert scrub("import_job=42 rows=5000") == "import_job=42 rows=5000"


def test_it_keeps_an_exception_type_and_masks_its_text(json_lines):
    try:
        raise ValueError(f"bad id {SECRETS['ccus_id']}")
    except ValueError:
        logging.getLogger("ccus.test").exception("failed")
    line = json_lines()[-1]
    assert line["error"] == "ValueError"
    assert SECRETS["ccus_id"] not in json.dumps(line) and "test_logs.py" in line["traceback"]


def test_it_leaves_out_the_request_django_attaches_to_its_own_records(client, json_lines):
    client.get("/workers/?q=12345", HTTP_HOST="evil.example.com")
    [line] = [e for e in json_lines() if e["logger"] == "django.security.DisallowedHost"]
    assert "request" not in line and "12345" not in json.dumps(line)

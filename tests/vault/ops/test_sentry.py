"""Error reports to Sentry leave without a value: no ID, password, email, cookie or form data."""

import json

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from tests.console import sign_in
from tests.factories import SECRETS, leaked, make_secret_worker
from vault.ops.sentry import init_sentry, scrub_event


class Outbox(Transport):
    """A Sentry transport that keeps the envelopes it would send."""

    sent: list[str] = []

    def capture_envelope(self, envelope) -> None:
        Outbox.sent.append(envelope.serialize().decode("utf-8", "replace"))


@pytest.fixture
def sentry():
    Outbox.sent = []
    init_sentry("http://public@127.0.0.1:9/1", environment="test", transport=Outbox)
    yield Outbox.sent
    sentry_sdk.get_client().close()
    sentry_sdk.init(dsn=None)


@pytest.mark.django_db
def test_it_sends_an_error_of_a_page_without_any_value(client, admin_member, organization,
                                                        sentry, monkeypatch):  # fmt: skip
    worker = make_secret_worker(organization)
    sign_in(client, admin_member)

    def broken(request, account, *args, **kwargs):
        password = account.password  # a local variable holding a secret
        raise RuntimeError(
            f"cannot show {account.ccus_id} to {account.registered_email} {password}"
        )

    monkeypatch.setattr("ccus.accounts.reveal.reveal_value", broken)
    client.raise_request_exception = False
    response = client.post(f"/workers/{worker.uuid}/reveal/?q={SECRETS['ccus_id']}",
                           {"field": "password", "note": SECRETS["notes"]})  # fmt: skip
    assert response.status_code == 500
    sentry_sdk.flush()
    assert len(sentry) == 1
    report = sentry[0]
    assert "RuntimeError" in report and "[Filtered]" in report and "reveal.py" in report
    # Outside the report's own ids (its trace id is random hex and may hold the 4-digit code).
    assert leaked(report) == []
    assert leaked(report, {name: json.dumps(value)[1:-1] for name, value in SECRETS.items()}) == []
    assert client.cookies["sessionid"].value not in report
    assert "csrftoken" not in report and '"vars"' not in report


def test_it_scrubs_messages_breadcrumbs_and_request_details():
    event = {
        "request": {"url": "https://vault.example.jp/workers/?q=12345678901234", "method": "GET",
                    "data": {"password": "x"}, "cookies": {"sessionid": "s"},
                    "headers": {"Cookie": "sessionid=s"}, "query_string": "q=12345678901234"},
        "user": {"id": 7, "email": "someone@example.jp", "ip_address": "198.51.100.1"},
        "logentry": {"message": "saved %s", "params": ["someone@example.jp"],
                     "formatted": "saved someone@example.jp"},
        "breadcrumbs": {"values": [{"message": "SELECT 12345678901234", "data": {"p": "x"}}]},
        "extra": {"sys.argv": ["manage.py"]},
    }  # fmt: skip
    scrubbed = json.dumps(scrub_event(event))
    for value in ("12345678901234", "someone@example.jp", "sessionid", "198.51.100.1", '"p"'):
        assert value not in scrubbed, value
    assert event["request"] == {"method": "GET", "url": "https://vault.example.jp/workers/"}
    assert event["user"] == {"id": 7}

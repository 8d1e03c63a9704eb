"""Two web servers (gunicorn, production settings) on one PostgreSQL and one Redis, as two hosts.

A session, a re-authentication, a lockout, a reveal limit and an import started on one server
are honoured on the other: nothing lives in one process's memory or on one host's disk.
"""

import os
import re
import subprocess
import sys
import uuid

import pytest
import redis
from django.conf import settings
from django.db import connection

from ccus.accounts.models import Worker
from tests.factories import SECRETS, make_member, make_secret_worker
from tests.live import ROOT, LiveServer, Visitor

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
PASSWORD = "two-servers-password-1"
METRICS_TOKEN = "two-servers-metrics-token-000000"


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory):
    """Start server A (two workers) and server B (one), as a proxy-fronted deployment would."""
    tmp = tmp_path_factory.mktemp("two-servers")
    database = settings.DATABASES["default"]
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vault.settings",
        "VAULT_ENV_FILE": os.devnull,
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "VAULT_ENCRYPTION_KEYS": ",".join(settings.VAULT_ENCRYPTION_KEYS),
        "VAULT_BLIND_INDEX_KEY": settings.VAULT_BLIND_INDEX_KEY,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{connection.settings_dict['NAME']}",
        "DEBUG": "false",
        "BEHIND_TLS_PROXY": "true",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(tmp / "static"),
        "AXES_FAILURE_LIMIT": "3",
        "REVEALS_PER_10_MINUTES": "3",
        "METRICS_TOKEN": METRICS_TOKEN,
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=env, check=True, timeout=120,
    )  # fmt: skip
    started = []
    try:
        for name, workers in (("a", 2), ("b", 1)):
            host_env = {**env, "PROMETHEUS_MULTIPROC_DIR": str(tmp / f"metrics-{name}")}
            started.append(LiveServer(host_env, tmp / f"{name}.log", workers=workers).start())
        yield started
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def cast(transactional_db, settings, organization):
    """A staff member whose password the servers' hashers read, and a worker with secrets."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    staff = make_member(organization, "staff")
    staff.set_password(PASSWORD)
    staff.save()
    return staff, make_secret_worker(organization)


def _signed_in(server, staff) -> Visitor:
    visitor = Visitor()
    status, headers, _ = visitor.sign_in(server.url, staff.email, PASSWORD)
    assert status == 302 and headers["Location"] == "/", headers
    return visitor


def test_it_honours_a_session_from_one_server_on_the_other(servers, cast):
    a, b = servers
    staff, _worker = cast
    visitor = _signed_in(a, staff)
    status, _, page = visitor.request(b.url, "/")
    assert status == 200 and staff.email in page
    session = visitor.cookies["sessionid"]
    keys = redis.Redis.from_url(os.environ["REDIS_URL"]).keys(f"*cached_db{session}")
    assert keys, "the session is read from Redis"
    visitor.request(b.url, "/logout/", {})
    assert visitor.request(a.url, "/")[0] == 302


def test_it_honours_a_re_authentication_and_the_reveal_limit_on_both(servers, cast):
    a, b = servers
    staff, worker = cast
    visitor = _signed_in(a, staff)
    reveal = f"/workers/{worker.uuid}/reveal/"
    status, headers, _ = visitor.request(b.url, reveal, {"field": "registered_email"})
    assert status == 302 and headers["Location"].startswith("/account/confirm/")
    assert visitor.request(a.url, "/account/confirm/", {"secret": PASSWORD})[0] == 302
    for server in (b, a, b):  # REVEALS_PER_10_MINUTES=3, counted across the servers
        status, headers, page = visitor.request(server.url, reveal, {"field": "registered_email"})
        assert status == 200 and SECRETS["registered_email"] in page
        assert "no-store" in headers["Cache-Control"]
    status, _, page = visitor.request(a.url, reveal, {"field": "registered_email"})
    assert status == 429 and SECRETS["registered_email"] not in page


def test_it_locks_out_a_user_whose_wrong_passwords_went_to_both_servers(servers, cast):
    a, b = servers
    staff, _worker = cast
    visitor = Visitor()
    for server in (a, b, a):  # AXES_FAILURE_LIMIT=3
        visitor.sign_in(server.url, staff.email, "not-the-password")
    status, _, page = visitor.sign_in(b.url, staff.email, PASSWORD)
    assert status != 302 and "sessionid" not in visitor.cookies
    assert status == 429 and "ログインを一時的に停止しています" in page, (status, page[-800:])


def test_it_confirms_on_one_server_an_import_uploaded_on_the_other(servers, cast):
    a, b = servers
    staff, _worker = cast
    visitor = _signed_in(a, staff)
    visitor.csrf(a.url, "/workers/import/")
    boundary = uuid.uuid4().hex
    csv = "氏名,フリガナ,技能者ID\r\n取込 一郎,ﾄﾘｺﾐ ｲﾁﾛｳ,１２３４５６７８９０１２００\r\n".encode(
        "cp932"
    )
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nworker\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="encoding"\r\n\r\n\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="名簿.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + csv
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, headers, _ = visitor.request(
        a.url, "/workers/import/", body=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )  # fmt: skip
    assert status == 302, headers
    preview = headers["Location"]
    status, _, page = visitor.request(b.url, preview)
    assert status == 200 and "取込 一郎" in page
    confirm = preview.replace("/preview/", "/confirm/")
    assert visitor.request(b.url, confirm, {})[0] == 302
    imported = Worker.objects.get(name="取込 一郎")
    assert (imported.ccus_id, imported.name_kana) == ("12345678901200", "トリコミ イチロウ")


def test_it_serves_hashed_static_files_compressed_with_a_long_cache(servers, cast):
    a, _b = servers
    staff, _worker = cast
    visitor = _signed_in(a, staff)
    page = visitor.request(a.url, "/")[2]
    stylesheet = re.search(r'href="(/static/css/vault\.[0-9a-f]{12}\.css)"', page).group(1)
    request = Visitor()
    request.opener.addheaders = [("Accept-Encoding", "gzip")]
    status, headers, _ = request.request(a.url, stylesheet)
    assert status == 200
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert headers["Content-Encoding"] == "gzip"


def test_it_reports_readiness_and_metrics_of_every_worker_process(servers, cast):
    a, _b = servers
    staff, _worker = cast
    probe = Visitor(proxy_https=False)
    status, _, body = probe.request(a.url, "/healthz/ready")
    assert status == 200 and '"database": true' in body and '"cache": true' in body
    visitor = _signed_in(a, staff)
    for _ in range(6):
        visitor.request(a.url, "/workers/")
    probe.opener.addheaders = [("Authorization", f"Bearer {METRICS_TOKEN}")]
    status, _, text = probe.request(a.url, "/metrics")
    assert status == 200
    sample = re.search(
        r'ccus_vault_http_requests_total\{method="GET",route="workers/",status="200"\} (\S+)', text
    )
    assert float(sample.group(1)) >= 6
    assert 'ccus_vault_broker_up{queue="celery"} 1.0' in text
    assert Visitor(proxy_https=False).request(a.url, "/metrics")[0] == 401

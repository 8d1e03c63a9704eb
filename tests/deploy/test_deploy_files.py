"""The deployment files agree with the code: one server config, trusted headers, every setting."""

import configparser
import re
import runpy
from pathlib import Path

from ccus.rosters.views import MAX_UPLOAD_BYTES
from tests.live import GUNICORN_CONFIG, ROOT, LiveServer

DEPLOY = ROOT / "deploy"


def _gunicorn(monkeypatch, **env) -> dict:
    for name in ("PORT", "GUNICORN_BIND", "WEB_CONCURRENCY", "DEBUG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONFIG))


def test_it_serves_make_run_and_production_with_the_same_gunicorn_config():
    procfile = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines())
    assert procfile["web"] == "gunicorn --config deploy/gunicorn.conf.py vault.wsgi"
    assert "runserver" not in (ROOT / "Procfile").read_text()
    unit = (DEPLOY / "systemd" / "ccus-vault-web.service").read_text()
    assert "gunicorn --config deploy/gunicorn.conf.py vault.wsgi" in unit
    assert LiveServer({}, Path("/dev/null")).command()[-3:] == [
        "--config", str(GUNICORN_CONFIG), "vault.wsgi",
    ]  # fmt: skip


def test_it_binds_port_8000_on_loopback_unless_told_and_sizes_workers_by_cores(monkeypatch):
    import multiprocessing

    config = _gunicorn(monkeypatch)
    assert config["bind"] == "127.0.0.1:8000"
    assert config["workers"] == multiprocessing.cpu_count() + 1
    assert (config["accesslog"], config["reload"], config["max_requests"]) == (None, False, 20000)
    assert config["secure_scheme_headers"] == {}  # the settings decide what HTTPS is
    config = _gunicorn(monkeypatch, PORT="8123", WEB_CONCURRENCY="2", DEBUG="true")
    assert (config["bind"], config["workers"], config["reload"]) == ("127.0.0.1:8123", 2, True)
    assert _gunicorn(monkeypatch, GUNICORN_BIND="10.0.0.5:8000")["bind"] == "10.0.0.5:8000"


def test_it_sets_the_proxy_headers_the_settings_trust_and_lets_rosters_through():
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert "proxy_set_header X-Forwarded-Proto https;" in nginx
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in nginx
    assert "$proxy_add_x_forwarded_for" not in nginx  # a client could prepend any address
    assert "ssl_certificate " in nginx and "return 301 https://" in nginx
    assert '"$request_method $uri"' in nginx and "$request " not in nginx  # no query in its log
    body = int(re.search(r"client_max_body_size (\d+)m;", nginx).group(1))
    assert body * 1024 * 1024 > MAX_UPLOAD_BYTES
    env = (DEPLOY / "ccus-vault.env.example").read_text()
    assert "BEHIND_TLS_PROXY=true" in env


def test_it_runs_every_unit_as_the_service_user_from_the_env_file():
    for path in (DEPLOY / "systemd").glob("*.service"):
        unit = configparser.ConfigParser(interpolation=None, strict=False)
        unit.read_string(path.read_text())
        assert unit["Service"]["User"] == "ccus-vault", path.name
        assert "/etc/ccus-vault/env" in (
            unit["Service"].get("EnvironmentFile", "") + unit["Service"].get("Environment", "")
        ), path.name


def test_it_documents_every_environment_variable_the_settings_read():
    settings_source = (ROOT / "vault" / "settings.py").read_text()
    gunicorn_source = GUNICORN_CONFIG.read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_source))
    read |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', gunicorn_source))
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in read if f"`{name}`" not in readme)
    assert missing == []

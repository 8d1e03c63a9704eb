"""Real web servers in their own processes, and a client that signs in to them over HTTP."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """The production server (gunicorn) or runserver on a free loopback port, as a process group."""

    def __init__(self, env: dict, log: Path, *, server: str = "gunicorn", workers: int | None = 1):
        self.env, self.log, self.server, self.workers = env, log, server, workers
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        if self.server == "runserver":
            return [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}",
                    "--noreload", "--nothreading"]  # fmt: skip
        return [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG),
                "vault.wsgi"]  # fmt: skip

    def start(self, timeout: float = 60) -> "LiveServer":
        env = {**self.env, "PORT": str(self.port)}
        if self.workers:
            env["WEB_CONCURRENCY"] = str(self.workers)
        env.pop("GUNICORN_BIND", None)
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.command(), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"{self.server} did not start: {self.log.read_text()[-3000:]}")
            try:
                opener = urllib.request.build_opener(NoRedirect)
                with opener.open(f"{self.url}/healthz/live", timeout=2) as response:
                    if response.status == 200:
                        return self
            except urllib.error.HTTPError:
                return self  # it answers
            except OSError:
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Visitor:
    """A browser's cookies and CSRF token, over plain HTTP, to any of several servers.

    Requests carry `X-Forwarded-Proto: https` as a TLS-terminating proxy would, so the
    servers' secure cookies and HTTPS-only checks behave as in production.
    """

    def __init__(self, proxy_https: bool = True) -> None:
        self.cookies: dict[str, str] = {}
        self.proxy_https = proxy_https
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(
        self, base: str, path: str, data: dict | None = None, *, body: bytes | None = None,
        content_type: str = "",
    ) -> tuple[int, dict, str]:  # fmt: skip
        """Send one request; return status, headers and decoded body (redirects not followed)."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if self.proxy_https:
            headers["X-Forwarded-Proto"] = "https"
        host = urllib.parse.urlsplit(base).netloc
        if data is not None or body is not None:
            headers["Referer"] = f"{'https' if self.proxy_https else 'http'}://{host}/"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            if body is None:
                body = urllib.parse.urlencode(data, doseq=True).encode()
                content_type = "application/x-www-form-urlencoded"
            headers["Content-Type"] = content_type
        req = urllib.request.Request(base + path, data=body, headers=headers)
        try:
            response = self.opener.open(req, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return response.status, dict(response.headers), text

    def csrf(self, base: str, path: str) -> str:
        """Open a page so the CSRF cookie is set; return the page."""
        return self.request(base, path)[2]

    def sign_in(self, base: str, email: str, password: str) -> tuple[int, dict, str]:
        """Post the sign-in form of one server."""
        self.csrf(base, "/login/")
        return self.request(base, "/login/", {"username": email, "password": password})

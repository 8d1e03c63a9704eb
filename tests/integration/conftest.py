"""A real Celery worker process on the real Redis, and a real SMTP server on loopback."""

import asyncio
import email
import email.policy
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from vault.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent.parent
logging.getLogger("mail.log").setLevel(logging.WARNING)


class Mailbox:
    """An SMTP handler that keeps what it accepts and can refuse or dawdle on purpose."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refuse_next = 0
        self.refuse_always = False
        self.delay = 0.0
        # Called on every RCPT and QUIT, to put a fault at an exact point of the conversation.
        self.on_rcpt = None
        self.on_quit = None
        self.receiving = threading.Event()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # Dawdle before the mail is handed over, so a test can kill the client mid-conversation.
        self.receiving.set()
        if self.on_rcpt:
            self.on_rcpt()
        await asyncio.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse_always or self.refuse_next > 0:
                self.refuse_next = max(self.refuse_next - 1, 0)
                return "421 4.3.0 Try again later"
            self.messages.append(
                email.message_from_bytes(envelope.content, policy=email.policy.default)
            )
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope):
        # A client says QUIT only after the server's "250" for its message.
        if self.on_quit:
            self.on_quit()
        return "221 Bye"

    def wait_for(self, count: int, timeout: float = 60) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.1)
        raise AssertionError(f"{len(self.messages)} of {count} emails arrived in {timeout} s")

    def digests(self) -> list[str]:
        with self.lock:
            return [m["X-CCUS-Vault-Digest"] for m in self.messages]


@pytest.fixture
def smtp():
    mailbox = Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        mailbox.port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    yield mailbox
    controller.stop()


@pytest.fixture
def broker():
    """The real Redis broker, emptied, with this process sending to it instead of eagerly."""
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.flushdb()
    celery_app.conf.task_always_eager = False
    yield client
    celery_app.conf.task_always_eager = True
    client.flushdb()


class WorkerProcess:
    """`celery worker` as a separate process group, started and killed like in production."""

    def __init__(self, env: dict, log: Path) -> None:
        self.env, self.log, self.process = env, log, None

    def start(self) -> None:
        self.log.write_text("")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "--app",
                "vault",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while "ready." not in self.log.read_text():
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.2)

    def kill(self) -> None:
        self.kill_now()
        self.process.wait(10)

    def kill_now(self) -> None:
        """Send SIGKILL to the worker and its children, without waiting (from any thread)."""
        os.killpg(self.process.pid, signal.SIGKILL)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


def worker_env(smtp, **overrides) -> dict:
    """Return the environment of a worker (or beat) on this test's database, Redis and SMTP."""
    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{connection.settings_dict['NAME']}"
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vault.test_settings",
        "VAULT_TEST_REAL_SERVICES": "1",
        "DATABASE_URL": url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "REMINDER_RETRY_BASE": "0",
        **overrides,
    }


@pytest.fixture
def worker(smtp, broker, transactional_db, tmp_path):
    """A worker process using this test's database, the real Redis and the loopback SMTP."""
    process = WorkerProcess(worker_env(smtp), tmp_path / "worker.log")
    process.start()
    yield process
    process.stop()

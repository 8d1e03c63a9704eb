"""Beat runs once: a second beat started by mistake waits, and no reminder goes out twice."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import transaction

from ccus.mail.models import DeliveryStatus
from ccus.reminders.models import ReminderDelivery
from ccus.reminders.planning import plan_reminders
from tests.factories import make_member, make_organization, make_worker
from tests.integration.conftest import ROOT, WorkerProcess, worker_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
SENDING = "Sending due task"


class Beat:
    """`celery beat` as its own process group, with its log."""

    def __init__(self, env: dict, log: Path) -> None:
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "--app", "vault", "beat", "--loglevel", "INFO"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def text(self) -> str:
        return self.log.read_text()

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(20)


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_it_sends_each_reminder_once_with_a_second_beat_and_fails_over(
    smtp, broker, transactional_db, tmp_path
):
    recipients = []
    for n in range(3):
        firm = make_organization(f"定期建設{n}")
        recipients += [make_member(firm, "owner"), make_member(firm, "admin")]
        make_worker(firm, name=f"IDなし{n}")
    with transaction.atomic():
        plan_reminders()  # pending, queued by nobody: the beats' sweep must queue them
    env = worker_env(smtp, REMINDER_PENDING_GRACE="0", BEAT_LOCK_SECONDS="3")
    worker = WorkerProcess(env, tmp_path / "worker.log")
    worker.start()
    beat_env = {**env, "DJANGO_SETTINGS_MODULE": "tests.integration.beat_settings"}
    beats = [Beat(beat_env, tmp_path / f"beat-{n}.log") for n in (1, 2)]
    try:
        _wait(lambda: any("Acquired lock" in b.text() for b in beats), 60, "no beat started")
        active, standby = sorted(beats, key=lambda b: "Acquired lock" not in b.text())
        received = smtp.wait_for(len(recipients))
        time.sleep(2)  # both beats have ticked twice since
        assert Counter(m["To"] for m in smtp.messages) == Counter(u.email for u in recipients)
        assert len(received) == len(smtp.messages) == len(recipients)
        assert SENDING in active.text()
        assert SENDING not in standby.text() and "Acquired lock" not in standby.text()
        active.stop(signal.SIGKILL)  # the host of the active beat dies
        _wait(lambda: SENDING in standby.text(), 30, "the standby beat did not take over")
        time.sleep(1)
        assert len(smtp.messages) == len(recipients)
        statuses = set(ReminderDelivery.objects.values_list("status", flat=True))
        assert statuses == {DeliveryStatus.SENT}
    finally:
        for beat in beats:
            beat.stop(signal.SIGKILL)
        worker.stop()

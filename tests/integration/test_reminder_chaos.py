"""Chaos rounds against a real worker, Redis and SMTP: no digest lost; a second copy is the same.

Each round plans one digest for each of a firm's members and puts one fault at a seeded point:
the worker killed in the middle of an SMTP conversation, the worker killed right after the
server accepted a message (before it could mark it sent), the Redis queue flushed while the
worker sends, or the server refusing for a while. Then the operator's remedies run (the sweep,
a restarted worker) and every member's inbox is counted: lost, once, or duplicated.
"""

import datetime
import itertools
import os
import random
import threading
import time
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from ccus.mail.models import DeliveryStatus
from ccus.reminders.digests import stale
from ccus.reminders.models import ReminderDelivery
from ccus.reminders.planning import plan_reminders
from ccus.reminders.tasks import enqueue_digests
from tests.factories import make_member, make_organization, make_worker

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

FAULTS = ("kill_during_smtp", "kill_after_accept", "queue_flushed", "smtp_refusing")
ROUNDS = int(os.environ.get("CHAOS_ROUNDS", "40"))
SEED = int(os.environ.get("CHAOS_SEED", "15"))


def _at_call(number: int, action, fired: threading.Event):
    """Return a hook that runs action on its number-th call, then sets fired."""
    calls = itertools.count(1)

    def hook() -> None:
        if next(calls) == number:
            action()
            fired.set()

    return hook


def _members_with_a_digest_due(number: int, size: int) -> list:
    firm = make_organization(f"試験建設{number:02d}")
    members = [make_member(firm, "owner")] + [make_member(firm, "admin") for _ in range(size - 1)]
    make_worker(firm, name=f"IDなし{number:02d}")
    return members


def _sweep_once_no_claim_is_alive() -> None:
    """What the periodic sweep does once its time limits have passed."""
    later = timezone.now() + datetime.timedelta(hours=1)
    with transaction.atomic():
        enqueue_digests(stale(claimed_before=later, pending_before=later))


def _wait(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _bodies(message) -> tuple[str, str, str]:
    return (
        str(message["Subject"]),
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


def _inject(fault: str, target: int, rng: random.Random, worker, smtp, broker):
    """Arm the fault at the target-th digest of the round; return the event it sets."""
    fired = threading.Event()
    smtp.on_rcpt = smtp.on_quit = None
    if fault == "kill_during_smtp":
        smtp.on_rcpt = _at_call(target, worker.kill_now, fired)
    elif fault == "kill_after_accept":
        smtp.on_quit = _at_call(target, worker.kill_now, fired)
    elif fault == "queue_flushed":
        smtp.on_rcpt = _at_call(target, broker.flushdb, fired)
    else:
        smtp.refuse_next = rng.randint(1, 3)
        fired.set()
    return fired


def _recover(fault: str, fired: threading.Event, worker, members) -> None:
    """Do what an operator's setup does after the fault: restart the worker, run the sweep."""
    assert fired.wait(60), f"{fault} did not happen"
    if fault.startswith("kill"):
        worker.process.wait(30)
        _sweep_once_no_claim_is_alive()
        worker.start()
    elif fault == "queue_flushed":
        # The worker finishes the digest it holds; the tasks queued behind it are gone.
        claimed = ReminderDelivery.objects.filter(
            recipient__in=members, status=DeliveryStatus.CLAIMED
        )
        assert _wait(lambda: not claimed.exists()), "the worker kept a digest claimed"
        _sweep_once_no_claim_is_alive()


def test_it_loses_no_digest_and_sends_a_second_copy_as_the_same_email(worker, smtp, broker, capsys):
    rng = random.Random(SEED)
    faults = [FAULTS[n % len(FAULTS)] for n in range(ROUNDS)]
    rng.shuffle(faults)
    tally: Counter = Counter()
    duplicated_by: Counter = Counter()
    started = time.monotonic()
    for number, fault in enumerate(faults, start=1):
        members = _members_with_a_digest_due(number, size=rng.randint(2, 4))
        already = len(smtp.messages)
        fired = _inject(fault, rng.randint(1, len(members)), rng, worker, smtp, broker)
        with transaction.atomic():
            enqueue_digests(plan_reminders().recipients)
        _recover(fault, fired, worker, members)
        waiting = ReminderDelivery.objects.filter(recipient__in=members).exclude(
            status=DeliveryStatus.SENT
        )
        _wait(lambda waiting=waiting: not waiting.exists())
        smtp.on_rcpt = smtp.on_quit = None
        received = smtp.messages[already:]
        for member in members:
            copies = [m for m in received if m["To"] == member.email]
            if not copies:
                tally["lost"] += 1
            elif len(copies) == 1:
                tally["once"] += 1
            else:
                tally["duplicated"] += 1
                duplicated_by[fault] += 1
                assert len({m["Message-ID"] for m in copies}) == 1, f"round {number}: {fault}"
                assert len({_bodies(m) for m in copies}) == 1, f"round {number}: {fault}"
    with capsys.disabled():
        print(
            f"\nreminder chaos: seed={SEED} rounds={ROUNDS} "
            f"digests={sum(tally.values())} lost={tally['lost']} once={tally['once']} "
            f"duplicated={tally['duplicated']} ({dict(duplicated_by) or 'none'}) "
            f"in {time.monotonic() - started:.0f} s"
        )
    assert set(faults) == set(FAULTS)
    assert tally["lost"] == 0
    # Only a crash between the server's "250" and the database update sends a second copy.
    assert set(duplicated_by) <= {"kill_after_accept"}
    assert duplicated_by["kill_after_accept"] == faults.count("kill_after_accept")

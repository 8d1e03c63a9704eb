"""The weekly oversight email: once per member and week, what changed, no secret."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail

from ccus.accounts.models import Worker
from ccus.oversight.models import OversightDigest, SubcontractorSnapshot
from ccus.oversight.tasks import plan_weekly_oversight
from tests.ccus.oversight.test_oversight import engage
from tests.factories import leaked, make_member, make_organization, make_secret_worker

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def monday(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=9, tzinfo=TOKYO)


@pytest.fixture
def engaged(organization, owner, django_capture_on_commit_callbacks):
    prime = make_organization("元請建設")
    prime.owner = make_member(prime, "owner")
    prime.viewer = make_member(prime, "viewer")
    make_secret_worker(organization)
    engage(prime, organization, prime.owner, owner)

    def run(day: str) -> int:
        with (
            time_machine.travel(monday(day), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return plan_weekly_oversight()

    return prime, run


@pytest.mark.django_db
def test_it_sends_each_member_of_the_prime_one_weekly_email(engaged, organization):
    prime, run = engaged
    assert run("2026-11-30") == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([prime.owner.email, prime.viewer.email])
    message = mail.outbox[0]
    assert message.subject.startswith("【CCUS Vault】") and prime.name in message.subject
    assert organization.name in message.body
    assert leaked(message.body) == [] and leaked(message.alternatives[0][0]) == []
    assert run("2026-11-30") == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_it_tells_what_changed_since_last_week(engaged, organization):
    _prime, run = engaged
    run("2026-11-23")
    Worker.objects.filter(organization=organization).update(ccus_id_index=None)
    mail.outbox.clear()
    run("2026-11-30")
    before, after = SubcontractorSnapshot.objects.order_by("week")
    assert after.score < before.score
    assert f"({after.score - before.score})" in mail.outbox[0].body
    assert OversightDigest.objects.filter(status="sent").count() == 4


@pytest.mark.django_db
def test_it_sends_a_weekly_email_put_back_after_a_crash_with_the_same_message_id(engaged):
    from ccus.oversight.digest import send_weekly

    _prime, run = engaged
    run("2026-11-30")
    digest = OversightDigest.objects.select_related("recipient").first()
    # The worker died after the server's reply; the sweep put the digest back.
    OversightDigest.objects.filter(id=digest.id).update(status="pending")
    assert send_weekly(digest.id, final_attempt=False)
    first, second = [m for m in mail.outbox if m.to == [digest.recipient.email]]
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert first.extra_headers["Message-ID"] == f"<weekly-{digest.uuid}@ccus-vault>"


@pytest.mark.django_db
def test_it_lists_the_lowest_scores_and_counts_the_rest_for_a_large_prime(engaged, monkeypatch):
    from ccus.oversight import digest
    from tests.ccus.oversight.test_oversight import _subcontractors

    prime, run = engaged
    _subcontractors(prime, 4)
    monkeypatch.setattr(digest, "DIGEST_ROWS", 2)
    run("2026-11-30")
    message = next(m for m in mail.outbox if m.to == [prime.owner.email])
    assert message.body.count("■ ") == 2
    assert "ほか 3社" in message.body and "ほか 3社" in message.alternatives[0][0]
    shown = [line for line in message.body.splitlines() if line.startswith("■ ")]
    lowest = sorted(SubcontractorSnapshot.objects.values_list("score", flat=True))[:2]
    assert [int(line.split("準備状況 ")[1].split()[0]) for line in shown] == lowest

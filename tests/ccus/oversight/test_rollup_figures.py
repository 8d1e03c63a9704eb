"""The rollup's figures and exports on a fixed set of firms stay exactly what they were."""

import csv
import datetime
import hashlib
import io
import random
import zoneinfo

import pytest
import time_machine

from ccus.accounts.lookup import index_fields
from ccus.accounts.models import Company, Worker
from ccus.oversight.models import Engagement, Site
from ccus.oversight.rollup import readiness_figures
from ccus.reminders.models import ReminderDelivery
from tests.console import sign_in
from tests.factories import make_member, make_organization

NOW = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
STATUSES = ["active", "active", "active", "active", "left"]


def build_chain(prime) -> Site:
    """Six direct subcontractors, two tiers below, 20 workers each, every kind of figure."""
    rng = random.Random(16)
    firms = [make_organization(f"協力会社{n}") for n in range(8)]
    firms[2].confirmation_policy_days = 30
    firms[2].save(update_fields=["confirmation_policy_days"])
    for n, firm in enumerate(firms[:6]):
        Engagement.objects.create(prime=prime, subcontractor=firm, status="active",
                                  sharing="status_ids" if n % 2 else "status")  # fmt: skip
    Engagement.objects.create(prime=firms[0], subcontractor=firms[6], status="active", pass_up=True)
    Engagement.objects.create(prime=firms[6], subcontractor=firms[7], status="active", pass_up=True)
    owner = make_member(firms[0], "owner")
    for n, firm in enumerate(firms):
        if n != 3:
            Company.objects.create(
                organization=firm, name=firm.name,
                **index_fields(firm, ccus_id=None if n == 5 else f"{n:014d}", email=None),
                last_confirmed_at=NOW - datetime.timedelta(days=rng.randint(0, 400)),
                registration_expires_on=NOW.date() + datetime.timedelta(days=rng.randint(-30, 400)),
            )  # fmt: skip
        for w in range(20):
            worker = Worker.objects.create(
                organization=firm, name=f"技能者{n}-{w:02d}", name_kana=f"ギノウ{19 - w:02d}",
                status=STATUSES[w % 5],
                **index_fields(firm, ccus_id=None if w % 7 == 0 else f"{n:07d}{w:07d}",
                               email=None if w % 6 == 0 else f"w{n}-{w}@fixed.jp"),
                card_expires_on=None if w % 11 == 0
                else NOW.date() + datetime.timedelta(days=rng.randint(-90, 500)),
                last_confirmed_at=None if w % 13 == 0
                else NOW - datetime.timedelta(days=rng.randint(0, 400)),
            )  # fmt: skip
            if w % 4 == 0 and n in (0, 4, 7):
                ReminderDelivery.objects.create(
                    key=f"esc-{n}-{w}", organization=firm, recipient=owner, kind="escalation",
                    subject_type="worker", subject_uuid=worker.uuid, subject_label="x",
                    period="2026-11", status="failed" if w == 8 else "sent",
                )  # fmt: skip
    site = Site.objects.create(organization=prime, name="駅前ビル新築")
    site.engagements.set(Engagement.objects.filter(prime=prime, subcontractor__in=firms[:4]))
    # Every worker the site can see is chosen for its roster (firm 0 passes up firms 6 and 7).
    site.workers.set(Worker.objects.filter(organization__in=[*firms[:4], *firms[6:]]))
    return site


FIGURES = ["score", "workers", "with_id", "confirmed", "expiring_all", "expired_all",
           "missing_email", "unanswered", "companies_confirmed"]  # fmt: skip

# Computed by the rollup before it was paginated and streamed; it must not change.
EXPECTED = [
    ("協力会社4", 1, [84, 16, 14, 9, 3, 0, 4, 4, 1]),
    ("協力会社6", 2, [80, 16, 14, 8, 6, 2, 4, 0, 1]),
    ("協力会社0", 1, [65, 16, 14, 10, 5, 0, 4, 4, 0]),
    ("協力会社3", 1, [59, 16, 14, 6, 8, 1, 4, 0, 0]),
    ("協力会社7", 3, [58, 16, 14, 7, 6, 3, 4, 4, 0]),
    ("協力会社1", 1, [55, 16, 14, 4, 5, 2, 4, 0, 0]),
    ("協力会社5", 1, [51, 16, 14, 6, 4, 7, 4, 0, 0]),
    ("協力会社2", 1, [48, 16, 14, 1, 4, 5, 4, 0, 0]),
]
EXPECTED_CSV = [
    "協力会社0,1,65,0,16,14,10,5,0,4,4,2026-11-30",
    "協力会社1,1,55,0,16,14,4,5,2,4,0,2026-11-30",
    "協力会社2,1,48,0,16,14,1,4,5,4,0,2026-11-30",
    "協力会社3,1,59,0,16,14,6,8,1,4,0,2026-11-30",
    "協力会社4,1,84,1,16,14,9,3,0,4,4,2026-11-30",
    "協力会社5,1,51,0,16,14,6,4,7,4,0,2026-11-30",
    "協力会社6,2,80,1,16,14,8,6,2,4,0,2026-11-30",
    "協力会社7,3,58,0,16,14,7,6,3,4,4,2026-11-30",
]
# The roster of the site (120 workers, full IDs where shared), byte for byte.
EXPECTED_ROSTER_SHA256 = "d40fa28b964bfb761687de7a28378df5df582da301f1cf1c4fea91360e543168"


def _figures(rows) -> list:
    return [(v.firm.name, v.tier, [v.stats[name] for name in FIGURES]) for v in rows]


def _download(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.django_db
def test_it_keeps_the_rollup_figures_and_exports_of_a_fixed_chain(client, prime):
    with time_machine.travel(NOW, tick=False):
        site = build_chain(prime)
        sign_in(client, prime.owner)
        rows = client.get("/oversight/").context["rows"]
        rollup_csv = _download(client.get("/oversight/?sort=name&format=csv")).decode()
        roster_csv = _download(
            client.get(f"/oversight/sites/{site.uuid}/roster/?format=csv&left=1")
        )
    assert _figures(rows) == EXPECTED
    assert rollup_csv.splitlines()[1:] == EXPECTED_CSV
    assert hashlib.sha256(roster_csv).hexdigest() == EXPECTED_ROSTER_SHA256
    roster_rows = list(csv.reader(io.StringIO(roster_csv.decode())))
    assert len(roster_rows) == 121 and roster_rows[1][:3] == ["協力会社0", "技能者0-19", "ギノウ00"]


@pytest.mark.django_db
@pytest.mark.parametrize("microsecond", [0, 123_456], ids=["whole-second", "fraction"])
def test_a_firm_s_last_update_reads_back_to_the_microsecond(microsecond):
    firm = make_organization("更新日の会社")
    worker = Worker.objects.create(organization=firm, name="技能者", name_kana="ギノウシャ")
    company = Company.objects.create(organization=firm, name=firm.name)
    latest = datetime.datetime(2026, 11, 29, 23, 59, 58, microsecond, tzinfo=datetime.UTC)
    Worker.objects.filter(pk=worker.pk).update(updated_at=latest - datetime.timedelta(days=3))
    Company.objects.filter(pk=company.pk).update(updated_at=latest)
    assert readiness_figures([firm])[firm.id]["last_update"] == latest
    Worker.objects.filter(pk=worker.pk).update(updated_at=latest + datetime.timedelta(days=1))
    assert readiness_figures([firm])[firm.id]["last_update"] == latest + datetime.timedelta(days=1)
    empty = make_organization("空の会社")
    assert readiness_figures([empty])[empty.id]["last_update"] is None
    assert readiness_figures([]) == {}


@pytest.mark.django_db
def test_a_prime_without_subcontractors_sees_how_to_invite_one(client, prime):
    sign_in(client, prime.owner)
    for url in ("/oversight/", "/oversight/?sort=name&format=csv"):
        assert client.get(url).status_code == 200
    page = client.get("/oversight/").content.decode()
    assert "まだ協力会社はありません。" in page and "招待する" in page

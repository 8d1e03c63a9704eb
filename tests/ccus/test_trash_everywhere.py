"""An account in the trash is gone from pages, counts, reminders, feeds, API, exports, backups."""

import csv
import datetime
import io
import re
import zoneinfo

import pytest
import time_machine
from django.test import RequestFactory

from ccus.accounts.models import ManagerIdFee, Worker
from ccus.accounts.trash import account_delete, account_restore
from ccus.api.tokens import api_token_issue
from ccus.handoff.models import HandoffLink
from ccus.handoff.services import handoff_create, handoff_open
from ccus.oversight.engagements import engagement_answer, engagement_invite
from ccus.reminders.models import ReminderDelivery
from ccus.reminders.planning import plan_reminders
from ccus.rosters.backup import backup_archive, read_backup
from ccus.rosters.restore_plan import restore_plan
from tests.console import sign_in
from tests.factories import make_company, make_secret_worker, make_worker

pytestmark = pytest.mark.django_db
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
PASSPHRASE = "ごみ箱-passphrase-2026"


@pytest.fixture
def trashed(organization, owner):
    """A firm with one worker kept and one (with an ID, a card date and an email) in the trash."""
    make_worker(organization, name="残る 人", card_expires_on=datetime.date(2027, 6, 30))
    gone = make_worker(
        organization, name="消えた 人", ccus_id="98765432109876",
        registered_email="gone@example.jp", card_expires_on=datetime.date(2027, 6, 30),
    )  # fmt: skip
    account_delete(account=gone, actor=owner)
    return gone


def test_lists_and_every_kind_of_search_leave_it_out(owner_client, trashed):
    for query in ("", "消えた", "キエタ", "9876", "98765432109876"):
        body = owner_client.get("/workers/", {"q": query}).content.decode()
        assert "消えた 人" not in body, query
    assert "残る 人" in owner_client.get("/workers/").content.decode()


def test_the_figures_count_it_out_at_once_and_back_in_on_restore(owner_client, owner, trashed):
    def counted() -> str:
        body = owner_client.get("/workers/").content.decode()
        return re.search(r"<p>(\d+)\s*(?:件|account)", body).group(1)

    assert counted() == "1"
    account_restore(account=trashed, actor=owner)
    assert counted() == "2"  # the cached figure of the firm was versioned away
    account_delete(account=trashed, actor=owner)
    assert counted() == "1"


def test_the_health_report_counts_it_out_and_back_in(owner_client, organization, owner):
    make_worker(organization, name="共有 一郎", registered_email="same@example.jp")
    twin = make_worker(organization, name="共有 二郎", registered_email="same@example.jp")

    def workers() -> dict:
        sections = owner_client.get("/").context["sections"]
        return next(counts for _label, kind, counts in sections if kind == "workers")

    assert (workers()["total"], workers()["shared_email"]) == (2, 2)
    account_delete(account=twin, actor=owner)
    assert (workers()["total"], workers()["shared_email"]) == (1, 0)
    account_restore(account=twin, actor=owner)
    assert (workers()["total"], workers()["shared_email"]) == (2, 2)


def test_reminders_leave_it_out(organization, owner, trashed):
    with time_machine.travel(datetime.datetime(2027, 6, 30, 9, tzinfo=TOKYO), tick=False):
        plan_reminders()
    labels = set(ReminderDelivery.objects.values_list("subject_label", flat=True))
    assert "残る 人" in labels and "消えた 人" not in labels


def test_a_business_in_the_trash_takes_its_fee_reminders_and_feed_dates_along(
    client, organization, owner
):
    company = make_company(organization, name="消えた 事業者")
    ManagerIdFee.objects.create(company=company, label="第1", due_on=datetime.date(2027, 4, 1))
    account_delete(account=company, actor=owner)
    assert not ManagerIdFee.objects.exists()
    with time_machine.travel(datetime.datetime(2027, 3, 25, 9, tzinfo=TOKYO), tick=False):
        plan_reminders()
    assert not ReminderDelivery.objects.filter(subject_label="消えた 事業者").exists()
    feed = _feed(client, owner)
    assert "消えた 事業者" not in feed


def _feed(client, user) -> str:
    sign_in(client, user)
    response = client.post("/calendar/", {"action": "issue"})
    url = re.search(r'id="calendar-url" class="mono" value="([^"]+)"', response.content.decode())
    client.logout()
    return client.get(url.group(1).removeprefix("http://testserver")).content.decode()


def test_the_calendar_feed_leaves_it_out(client, owner, trashed):
    feed = _feed(client, owner)
    assert "残る 人" in feed and "消えた 人" not in feed


def test_oversight_and_the_api_leave_it_out(client, organization, owner, prime, trashed):
    engagement = engagement_invite(
        prime=prime, subcontractor=organization, actor=prime.owner, request=None
    )
    engagement_answer(engagement=engagement, accept=True, sharing="status_ids", pass_up=False,
                      actor=owner, request=None)  # fmt: skip
    _token, text = api_token_issue(organization=prime, name="x", actor=None, request=None)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {text}"}
    rollup = client.get("/api/v1/rollup", **headers).json()
    assert rollup["subcontractors"][0]["workers"] == 1
    workers = client.get(f"/api/v1/subcontractors/{engagement.uuid}/workers", **headers).json()
    assert [w["name"] for w in workers["items"]] == ["残る 人"]
    sign_in(client, prime.owner)
    page = client.get(f"/oversight/{engagement.uuid}/").content.decode()
    assert "残る 人" in page and "消えた 人" not in page


def test_exports_leave_it_out(owner_client, trashed):
    rows = list(
        csv.reader(io.StringIO(owner_client.get("/workers/export/").content.decode("utf-8-sig")))
    )
    names = {row[0] for row in rows[1:]}
    assert "残る 人" in names and "消えた 人" not in names


def test_a_backup_carries_no_trash_and_an_older_one_cannot_bring_it_back_unasked(
    organization, owner
):
    worker = make_worker(organization, name="あとで 削除")
    older, _counts = backup_archive(organization, PASSPHRASE)
    account_delete(account=worker, actor=owner)
    _data, counts = backup_archive(organization, PASSPHRASE)
    assert counts["workers"] == 0
    [plan] = restore_plan(organization, read_backup(older, PASSPHRASE))
    assert plan.action == "error"
    assert any("trash" in str(e) or "ごみ箱" in str(e) for e in plan.errors)


def test_a_one_time_link_of_a_worker_in_the_trash_no_longer_opens(organization, owner):
    worker = make_secret_worker(organization)
    new = handoff_create(worker=worker, fields=["password"], pin_length=6, actor=None,
                         request=None)  # fmt: skip
    account_delete(account=worker, actor=owner)
    request = RequestFactory().post("/")
    opened = handoff_open(uuid=new.link.uuid, secret=new.secret, pin=new.pin, request=request)
    assert not opened.values
    assert HandoffLink.objects.get().status == HandoffLink.Status.REVOKED
    assert Worker.with_trash.filter(pk=worker.pk).exists()

"""A real digest: expired apart from expiring, what to do in one line, what its link confirms."""

import datetime
import re

import pytest
import time_machine
from django.core import mail

from ccus.accounts.models import Company, Worker
from ccus.reminders.planning import plan_reminders
from ccus.reminders.tasks import enqueue_digests
from tests.console import sign_in
from tests.factories import (
    leaked,
    make_company,
    make_organization,
    make_secret_worker,
    make_worker,
)

NOW = datetime.datetime(2026, 11, 25, 1, 0, tzinfo=datetime.UTC)  # 10:00 JST
TODAY = datetime.date(2026, 11, 25)
FAR = TODAY + datetime.timedelta(days=3000)


def _worker(organization, name: str, n: int, **fields) -> Worker:
    fields.setdefault("ccus_id", f"{n:014d}")
    fields.setdefault("registered_email", f"w{n}@example.jp")
    fields.setdefault("card_expires_on", FAR)
    return make_worker(organization, name=name, **fields)


@pytest.fixture
def digest(organization, owner, django_capture_on_commit_callbacks):
    """Send the owner's digest about a firm with one account of each kind of trouble."""
    make_company(
        organization, name="近い建設", ccus_id="99990000111122", registered_email="o@example.jp",
        registration_expires_on=TODAY + datetime.timedelta(days=20),
    )  # fmt: skip
    # Every secret is saved on this one, so that the email is seen to hold none of them.
    make_secret_worker(
        organization, name="切れ 一郎", card_expires_on=TODAY - datetime.timedelta(days=10)
    )
    _worker(organization, "近い 二郎", 2, card_expires_on=TODAY + datetime.timedelta(days=50))
    _worker(organization, "IDなし 三郎", 3, ccus_id=None)
    _worker(organization, "古い 四郎", 4)
    _worker(organization, "良好 五郎", 5)
    _worker(make_organization("他社"), "他社 六郎", 6, card_expires_on=TODAY)
    Worker.objects.filter(name="古い 四郎").update(
        last_confirmed_at=NOW - datetime.timedelta(days=400)
    )
    Worker.objects.update(last_confirmed_by=None)
    Company.objects.update(last_confirmed_by=None)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_digests(plan_reminders().recipients)
    (message,) = mail.outbox
    return message


def _groups(body: str) -> dict[str, list[str]]:
    """Return each 【group】 of a text digest with its lines (its action and its accounts)."""
    groups, current = {}, None
    for line in body.splitlines():
        if heading := re.match(r"【(.+?)】", line):
            current = groups.setdefault(heading.group(1), [])
        elif current is not None and line.strip() and not line.startswith("  "):
            current.append(line)
    return groups


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_it_separates_the_expired_from_the_expiring_with_what_to_do(digest):
    groups = _groups(digest.body)
    names = list(groups)
    assert names[:2] == ["すでに期限切れ", "期限間近"]
    expired, expiring = groups["すでに期限切れ"], groups["期限間近"]
    assert expired[0].startswith("→ 更新するまでCCUSで使えません")
    assert expired[1:] == ["・切れ 一郎 (2026-11-15)"]
    assert expiring[0].startswith("→ 期限までにCCUSで更新を申請")
    assert expiring[1:] == ["・近い 二郎 (2027-01-14)", "・近い建設 (2026-12-15)"]
    assert groups["IDまたは登録メールアドレスが未登録"][1:] == ["・IDなし 三郎"]
    assert groups["確認期限切れ"][0].startswith("→ CCUSと見比べ")
    # Every group says in one line what to do.
    assert all(lines[0].startswith("→ ") for lines in groups.values())
    html = digest.alternatives[0][0]
    assert html.index("すでに期限切れ") < html.index("期限間近")
    assert "IDが登録されているもの" in digest.body
    assert "他社" not in digest.body and "良好" not in digest.body
    assert leaked(digest.body) == [] and leaked(html) == []
    assert "1981-02-03" not in digest.body + html


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_its_link_confirms_only_the_listed_accounts_that_have_an_id(client, owner, digest):
    link = re.search(r"http://[^/]+(/reminders/confirm/[^/\s]+/)", digest.body).group(1)
    sign_in(client, owner)
    page = client.get(link)
    listed = {account.name for account in page.context["accounts"]}
    assert listed == {"切れ 一郎", "近い 二郎", "古い 四郎", "近い建設"}
    assert [account.name for account, _url in page.context["without_id"]] == ["IDなし 三郎"]
    assert "IDがまだありません" in page.content.decode()

    client.post(link)
    confirmed = {
        *Worker.objects.filter(last_confirmed_by=owner).values_list("name", flat=True),
        *Company.objects.filter(last_confirmed_by=owner).values_list("name", flat=True),
    }
    assert confirmed == {"切れ 一郎", "近い 二郎", "古い 四郎", "近い建設"}
    assert Worker.objects.get(name="IDなし 三郎").last_confirmed_by is None


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_its_link_confirms_nothing_for_someone_else(client, staff, digest):
    link = re.search(r"http://[^/]+(/reminders/confirm/[^/\s]+/)", digest.body).group(1)
    sign_in(client, staff)
    client.post(link)
    assert not Worker.objects.filter(last_confirmed_by__isnull=False).exists()

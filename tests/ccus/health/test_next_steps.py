"""The health report says what to do next, most urgent first; a new firm sees its first steps."""

import datetime

import pytest
import time_machine

from ccus.accounts.models import Worker
from tests.console import sign_in
from tests.factories import make_company, make_member, make_worker

NOW = datetime.datetime(2026, 11, 25, 3, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 11, 25)


def _worker(organization, name: str, n: int, **fields) -> Worker:
    fields.setdefault("ccus_id", f"{n:014d}")
    fields.setdefault("registered_email", f"w{n}@example.jp")
    fields.setdefault("card_expires_on", TODAY + datetime.timedelta(days=3000))
    return make_worker(organization, name=name, **fields)


@pytest.fixture
def troubled(organization):
    """A firm with one account per problem, one in good order and one who left."""
    make_company(
        organization, name="期限切れ建設", ccus_id="99990000111122",
        registered_email="office@example.jp",
        registration_expires_on=TODAY - datetime.timedelta(days=3),
    )  # fmt: skip
    _worker(organization, "切れ 一郎", 1, card_expires_on=TODAY - datetime.timedelta(days=1))
    _worker(organization, "近い 二郎", 2, card_expires_on=TODAY + datetime.timedelta(days=40))
    _worker(organization, "IDなし 三郎", 3, ccus_id=None)
    _worker(organization, "メールなし 四郎", 4, registered_email=None)
    _worker(organization, "古い 五郎", 5)
    _worker(organization, "良好 六郎", 6)
    _worker(organization, "退職 七郎", 7, card_expires_on=TODAY - datetime.timedelta(days=9))
    stale = NOW - datetime.timedelta(days=400)
    Worker.objects.filter(name="古い 五郎").update(last_confirmed_at=stale)
    Worker.objects.filter(name="退職 七郎").update(status="left")


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_it_lists_what_to_do_next_most_urgent_first(client, staff, troubled):
    sign_in(client, staff)
    steps = client.get("/").context["next_steps"]
    assert [(str(s["label"]), str(s["accounts"]), s["count"]) for s in steps] == [
        ("期限切れ", "事業者アカウント", 1),
        ("期限切れ", "技能者アカウント", 1),
        ("6か月以内に期限切れ", "技能者アカウント", 1),
        ("IDが未登録", "技能者アカウント", 1),
        ("登録メールアドレスが未登録", "技能者アカウント", 1),
        ("確認期限切れ", "技能者アカウント", 1),
    ]
    body = client.get("/").content.decode()
    assert body.index("次にやること") < body.index("概要")
    assert "CCUSで更新を申請してください" in body


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_each_step_opens_a_list_of_exactly_its_accounts(client, staff, troubled):
    sign_in(client, staff)
    expected = {
        "/companies/?filter=expired": ["期限切れ建設"],
        "/workers/?filter=expired": ["切れ 一郎"],
        "/workers/?filter=expiring": ["近い 二郎"],
        "/workers/?filter=missing_id": ["IDなし 三郎"],
        "/workers/?filter=missing_email": ["メールなし 四郎"],
        "/workers/?filter=unconfirmed": ["古い 五郎"],
    }
    steps = client.get("/").context["next_steps"]
    assert [s["url"] for s in steps] == list(expected)
    for step in steps:
        page = client.get(step["url"]).context["page"]
        assert [account.name for account in page] == expected[step["url"]]
        assert page.paginator.count == step["count"]


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_it_says_when_nothing_is_urgent(client, staff, organization):
    _worker(organization, "良好 六郎", 6)
    sign_in(client, staff)
    response = client.get("/")
    assert response.context["next_steps"] == []
    assert "急ぎの作業はありません" in response.content.decode()


@pytest.mark.django_db
def test_a_firm_without_records_sees_its_first_steps_instead_of_zeros(client, owner, organization):
    sign_in(client, owner)
    response = client.get("/")
    body = response.content.decode()
    assert [(str(s["label"]), s["done"]) for s in response.context["first_steps"]] == [
        ("事業者アカウント（事業者ID）を登録する", False),
        ("技能者を名簿ファイルから取り込む", False),
        ("事務所のスタッフを招待する", False),
    ]
    for url in ('href="/companies/new/"', 'href="/workers/import/"', 'href="/firm/members/"'):
        assert url in body
    assert "次にやること" not in body and "合計" not in body

    make_company(organization, name="自社建設")
    make_member(organization, "staff")
    steps = client.get("/").context["first_steps"]
    assert [s["done"] for s in steps] == [True, False, True]
    make_worker(organization)
    response = client.get("/")
    assert response.context["first_steps"] is None
    assert "次にやること" in response.content.decode()


@pytest.mark.django_db
def test_a_viewer_sees_the_first_steps_without_links_it_cannot_follow(client, viewer):
    sign_in(client, viewer)
    steps = client.get("/").context["first_steps"]
    assert [s["url"] for s in steps] == ["", "", ""]


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_it_counts_once_per_version_of_the_accounts(
    client, staff, troubled, django_assert_max_num_queries
):
    sign_in(client, staff)
    client.get("/workers/")  # the session and the membership are loaded and cached
    with django_assert_max_num_queries(12):
        client.get("/")
    # Once counted, no account is read again while nothing changed: the session, the
    # membership, the invitations and the unreadable values are all that is asked.
    with django_assert_max_num_queries(5) as warm:
        client.get("/")
    tables = " ".join(query["sql"] for query in warm.captured_queries)
    assert "ccus_worker" not in tables and "ccus_company" not in tables
    # A change to the accounts is counted at once.
    _worker(staff.memberships.get().organization, "新人 八郎", 8, ccus_id=None)
    steps = client.get("/").context["next_steps"]
    fresh = {(str(s["label"]), str(s["accounts"])): s["count"] for s in steps}
    assert fresh[("IDが未登録", "技能者アカウント")] == 2

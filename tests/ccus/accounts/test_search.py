"""The quick search: names, readings in any kana, ID digits; one firm; no secret shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.console import sign_in
from tests.factories import leaked, make_company, make_secret_worker, make_worker

FRAGMENT = {"HTTP_X_FRAGMENT": "1"}


def _names(response) -> list[str]:
    return [account.name for group in response.context["groups"] for account in group["accounts"]]


@pytest.fixture
def yamada(organization):
    return make_worker(
        organization, name="山田 太郎", name_kana="ヤマダ タロウ", ccus_id="12345678905678"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    ["山田", "ヤマダ", "やまだ", "ﾔﾏﾀﾞ", "やまだ たろう", "5678", "１２３４５６７８９０５６７８",
     "1234-5678-9056-78"],
)  # fmt: skip
def test_it_finds_a_worker_by_name_reading_or_id_digits(client, viewer, yamada, typed):
    make_worker(yamada.organization, name="佐藤 花子", name_kana="サトウ ハナコ",
                ccus_id="99998888777766")  # fmt: skip
    sign_in(client, viewer)
    response = client.get("/search/", {"q": typed}, **FRAGMENT)
    assert response.status_code == 200
    assert _names(response) == ["山田 太郎"]
    assert f"/workers/{yamada.uuid}/" in response.content.decode()


@pytest.mark.django_db
def test_it_finds_businesses_too_and_never_another_firms_accounts(
    client, staff, organization, other_organization, yamada
):
    make_company(organization, name="山田建設", name_kana="ヤマダケンセツ")
    make_worker(other_organization, name="山田 次郎", name_kana="ヤマダ ジロウ",
                ccus_id="12345678905678")  # fmt: skip
    sign_in(client, staff)
    groups = client.get("/search/", {"q": "やまだ"}).context["groups"]
    found = [[account.name for account in group["accounts"]] for group in groups]
    assert found == [["山田 太郎"], ["山田建設"]]
    by_id = client.get("/search/", {"q": "12345678905678"})
    assert _names(by_id) == ["山田 太郎"]


@pytest.mark.django_db
def test_it_shows_no_secret_in_the_results(client, owner, organization):
    make_secret_worker(organization)
    sign_in(client, owner)
    for typed in ("ひみつ", "1234"):
        for headers in ({}, FRAGMENT):
            body = client.get("/search/", {"q": typed}, **headers).content.decode()
            assert "秘密 太郎" in body
            assert leaked(body) == []


@pytest.mark.django_db
def test_it_answers_the_box_with_a_fragment_and_the_form_with_a_page(client, staff, yamada):
    sign_in(client, staff)
    with CaptureQueriesContext(connection) as queries:
        fragment = client.get("/search/", {"q": "やまだ"}, **FRAGMENT)
    page = client.get("/search/", {"q": "やまだ"})
    assert "<html" not in fragment.content.decode() and "<html" in page.content.decode()
    assert "「やまだ」の検索結果" in page.content.decode()
    assert fragment["Cache-Control"] == "no-store"
    # Session, user, memberships, then one query per kind of account.
    assert len(queries) <= 6


@pytest.mark.django_db
def test_it_says_so_when_nothing_matches_and_links_to_the_list_when_more_match(
    client, staff, organization
):
    for n in range(6):
        make_worker(organization, name=f"鈴木 {n}", name_kana="スズキ")
    sign_in(client, staff)
    body = client.get("/search/", {"q": "たなか"}, **FRAGMENT).content.decode()
    assert "「たなか」に一致する技能者・事業者はありません。" in body
    more = client.get("/search/", {"q": "すずき"}, **FRAGMENT)
    assert len(_names(more)) == 5
    assert "/workers/?q=%E3%81%99%E3%81%9A%E3%81%8D" in more.content.decode()


@pytest.mark.django_db
def test_it_keeps_people_without_a_firm_out(client, django_user_model):
    user = django_user_model.objects.create_user("nobody@example.jp", "correct-horse-battery")
    sign_in(client, user)
    assert client.get("/search/", {"q": "山田"}).status_code == 404
    client.logout()
    assert client.get("/search/", {"q": "山田"}).status_code == 302


@pytest.mark.django_db
def test_it_puts_the_search_box_on_every_console_page(client, viewer):
    sign_in(client, viewer)
    for url in ("/", "/workers/", "/companies/"):
        assert 'action="/search/"' in client.get(url, follow=True).content.decode()

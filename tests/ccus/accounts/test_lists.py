"""The health report and the lists: counts in SQL, exact ID search, no decryption per row."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ccus.accounts.models import Worker
from tests.console import sign_in
from tests.factories import make_company, make_worker
from vault.crypto import fields


@pytest.fixture
def decryptions(monkeypatch):
    """Count how many values are decrypted."""
    calls = []
    original = fields.open_sealed

    def counting(*args):
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(fields, "open_sealed", counting)
    return calls


def _months(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n * 30)


@pytest.mark.django_db
def test_it_counts_each_problem_and_links_to_the_matching_list(client, staff, organization):
    company = make_company(organization, registered_email="office@firm.example.jp")
    make_worker(
        organization,
        ccus_id="11111111111111",
        registered_email="a@example.jp",
        card_expires_on=_months(3),
    )
    make_worker(
        organization,
        registered_email="office@firm.example.jp",
        card_expires_on=_months(-1),
        security_code_hint="1234",
    )
    make_worker(organization, ccus_id="22222222222222", company=company)
    confirmed = make_worker(organization, ccus_id="33333333333333", registered_email="c@example.jp")
    Worker.objects.exclude(pk=confirmed.pk).update(last_confirmed_at=None)  # saved long ago
    left = make_worker(organization, ccus_id="44444444444444")
    Worker.objects.filter(pk=left.pk).update(status="left")
    sign_in(client, staff)
    counts = dict(client.get("/").context["sections"][1][2])
    assert counts == {
        "total": 4,
        "missing_id": 1,
        "missing_email": 1,
        "unconfirmed": 3,
        "expiring": 1,
        "expired": 1,
        "shared_email": 1,
        "hint_is_code": 1,
    }
    listed = client.get("/workers/?filter=expiring").context["page"].object_list
    assert [w.card_expires_on for w in listed] == [_months(3)]
    shared = client.get("/workers/?filter=shared_email").context["page"].object_list
    assert [w.pk for w in shared] == [Worker.objects.get(hint_is_code=True).pk]


@pytest.mark.django_db
def test_it_finds_a_worker_by_full_id_through_the_blind_index(client, staff, organization):
    wanted = make_worker(organization, name="探す 人", ccus_id="12345678901234")
    make_worker(organization, name="別の 人", ccus_id="12345678901235")
    sign_in(client, staff)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/workers/?q=１２３４ ５６７８ ９０１２ ３４").context["page"]
    assert list(page.object_list) == [wanted]
    lookups = [
        q["sql"] for q in queries if "ccus_id_index" in q["sql"] and "ccus_worker" in q["sql"]
    ]
    assert lookups and all("LIKE" not in sql for sql in lookups)


@pytest.mark.django_db
def test_it_searches_by_name_and_kana(client, staff, organization):
    make_worker(organization, name="山田 太郎", name_kana="ヤマダ タロウ")
    make_worker(organization, name="佐藤 花子", name_kana="サトウ ハナコ")
    sign_in(client, staff)
    assert [w.name for w in client.get("/workers/?q=ヤマダ").context["page"]] == ["山田 太郎"]
    assert [w.name for w in client.get("/workers/?q=花子").context["page"]] == ["佐藤 花子"]


@pytest.mark.django_db
def test_it_lists_a_page_without_decrypting_and_in_constant_queries(
    client, staff, organization, decryptions, django_assert_max_num_queries
):
    company = make_company(organization, password="company-secret")
    for n in range(60):
        make_worker(
            organization,
            name=f"技能者{n:03d}",
            ccus_id=f"{n:014d}",
            company=company,
            password="pw",
            registered_email=f"w{n}@example.jp",
        )
    sign_in(client, staff)
    decryptions.clear()
    with django_assert_max_num_queries(12):
        response = client.get("/workers/")
    assert len(response.context["page"].object_list) == 50
    assert decryptions == []
    assert "•••• •••• ••00 59" not in response.content.decode()
    assert "•••• •••• ••00 49" in response.content.decode()

"""Account forms: typed values kept on rejection, Japanese messages, full-width digits."""

import pytest
from django.utils import translation

from ccus.accounts.models import Worker
from tests.console import sign_in
from tests.factories import SECRETS, make_company, make_secret_worker, make_worker
from vault.audit.models import AuditEvent


@pytest.fixture
def signed_in(client, staff):
    sign_in(client, staff)
    return client


@pytest.mark.django_db
def test_it_adds_a_worker_from_full_width_digits(signed_in, organization):
    response = signed_in.post(
        "/workers/new/",
        {
            "name": "新人 一郎",
            "name_kana": "シンジン イチロウ",
            "ccus_id": "１２３４ ５６７８ ９０１２ ３４",
        },
    )
    worker = Worker.objects.get(name="新人 一郎")
    assert response["Location"] == f"/workers/{worker.uuid}/"
    assert worker.ccus_id == "12345678901234"
    assert AuditEvent.objects.filter(action="worker.create", target_uuid=worker.uuid).exists()


@pytest.mark.django_db
def test_it_keeps_what_was_typed_and_says_what_is_wrong_in_japanese(signed_in, organization):
    typed = {
        "name": "入力 保持",
        "name_kana": "ニュウリョク",
        "ccus_id": "123456789012",
        "registered_email": "keep@example.jp",
        "phone": "090-1111-2222",
    }
    with translation.override("ja"):
        response = signed_in.post("/workers/new/", typed)
    body = response.content.decode()
    assert response.status_code == 200
    assert "12桁です。14桁の数字を入力してください。" in body
    for value in typed.values():
        assert f'value="{value}"' in body
    assert Worker.objects.count() == 0


@pytest.mark.django_db
def test_it_offers_the_card_reading_and_applies_it_only_when_asked(signed_in, organization):
    typed = {"name": "カード 番号", "ccus_id": "123456789012345678"}
    response = signed_in.post("/workers/new/", typed)
    body = response.content.decode()
    assert 'name="accept_id" value="12345678901234"' in body
    assert Worker.objects.count() == 0
    signed_in.post("/workers/new/", {**typed, "accept_id": "99999999999999"})
    assert Worker.objects.count() == 0  # only the digits that were offered
    signed_in.post("/workers/new/", {**typed, "accept_id": "12345678901234"})
    assert Worker.objects.get().ccus_id == "12345678901234"


@pytest.mark.django_db
def test_it_names_the_holder_of_a_duplicate_id(signed_in, organization):
    make_secret_worker(organization)
    response = signed_in.post("/workers/new/", {"name": "二重", "ccus_id": SECRETS["ccus_id"]})
    assert "秘密 太郎" in response.content.decode()
    assert Worker.objects.count() == 1


@pytest.mark.django_db
def test_it_keeps_stored_secrets_when_left_blank_on_edit(signed_in, organization):
    worker = make_secret_worker(organization)
    response = signed_in.post(
        f"/workers/{worker.uuid}/edit/", {"name": "秘密 次郎", "phone": "", "password": ""}
    )
    assert response.status_code == 302
    fresh = Worker.objects.get(pk=worker.pk)
    assert (fresh.name, fresh.phone, fresh.password) == (
        "秘密 次郎",
        SECRETS["phone"],
        SECRETS["password"],
    )


@pytest.mark.django_db
def test_it_replaces_a_secret_typed_on_edit(signed_in, organization):
    worker = make_secret_worker(organization)
    signed_in.post(f"/workers/{worker.uuid}/edit/", {"name": worker.name, "password": "new-pw"})
    assert Worker.objects.get(pk=worker.pk).password == "new-pw"


@pytest.mark.django_db
def test_it_offers_only_this_firms_businesses(signed_in, organization, other_organization):
    make_company(organization, name="自社")
    make_company(other_organization, name="よその会社")
    body = signed_in.get("/workers/new/").content.decode()
    assert "自社" in body and "よその会社" not in body


@pytest.mark.django_db
def test_it_marks_many_accounts_confirmed_at_once(signed_in, organization, staff):
    workers = [make_worker(organization) for _ in range(3)]
    signed_in.post("/workers/confirm/", {"accounts": [str(w.uuid) for w in workers[:2]]})
    confirmed = Worker.objects.filter(last_confirmed_by=staff)
    assert set(confirmed) == set(workers[:2])
    assert AuditEvent.objects.filter(action="worker.confirm").count() == 2


@pytest.mark.django_db
def test_it_marks_a_worker_left_and_lists_the_handover(signed_in, organization):
    worker = make_worker(organization)
    response = signed_in.post(
        f"/workers/{worker.uuid}/left/", {"left_on": "2026-10-31", "anyway": "1"}, follow=True
    )
    fresh = Worker.objects.get(pk=worker.pk)
    assert (fresh.status, str(fresh.left_on)) == ("left", "2026-10-31")
    assert 'id="handover"' in response.content.decode()

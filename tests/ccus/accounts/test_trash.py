"""The trash: move a mistaken record there, restore it, purge it after 30 days; clear a secret."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone, translation

from ccus.accounts.models import Company, Worker
from ccus.accounts.tasks import purge_trash
from ccus.accounts.trash import account_delete
from tests.console import sign_in
from tests.factories import SECRETS, leaked, make_company, make_secret_worker, make_worker
from vault.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _delete(client, account) -> None:
    kind = "workers" if isinstance(account, Worker) else "companies"
    response = client.post(f"/{kind}/{account.uuid}/delete/")
    assert response.status_code == 302


def test_it_asks_before_moving_to_the_trash_and_then_moves_it(owner_client, organization):
    worker = make_worker(organization, name="間違い 登録")
    with translation.override("ja"):
        page = owner_client.get(f"/workers/{worker.uuid}/delete/").content.decode()
    assert "ごみ箱" in page
    assert Worker.objects.filter(pk=worker.pk).exists()
    with translation.override("ja"):
        response = owner_client.post(f"/workers/{worker.uuid}/delete/", follow=True)
    assert "「間違い 登録」をごみ箱に移しました" in response.content.decode()
    assert not Worker.objects.filter(pk=worker.pk).exists()
    trashed = Worker.with_trash.get(pk=worker.pk)
    assert trashed.deleted_at is not None and trashed.deleted_by is not None
    event = AuditEvent.objects.get(action="worker.delete")
    assert event.target_uuid == worker.uuid
    assert owner_client.get(f"/workers/{worker.uuid}/").status_code == 404


def test_only_owners_and_admins_may_delete(client, organization, staff, admin_member, outsider):
    worker = make_worker(organization)
    for user, status in ((staff, 403), (outsider, 404), (admin_member, 302)):
        client.logout()
        sign_in(client, user)
        assert client.post(f"/workers/{worker.uuid}/delete/").status_code == status


def test_it_keeps_a_business_that_workers_still_belong_to(owner_client, organization):
    company = make_company(organization, name="所属先")
    make_worker(organization, company=company)
    with translation.override("ja"):
        response = owner_client.post(f"/companies/{company.uuid}/delete/", follow=True)
    assert (
        "1人の技能者アカウントがこの事業者アカウントに所属しています" in response.content.decode()
    )
    assert Company.objects.filter(pk=company.pk).exists()


def test_a_deleted_id_does_not_block_adding_it_again(owner_client, organization):
    worker = make_worker(organization, ccus_id="12345678901234")
    _delete(owner_client, worker)
    response = owner_client.post("/workers/new/", {"name": "再登録", "ccus_id": "12345678901234"})
    assert response.status_code == 302
    assert Worker.objects.get(name="再登録").ccus_id == "12345678901234"


def test_an_owner_restores_from_the_trash_page(owner_client, organization):
    worker = make_worker(organization, name="戻す 人")
    _delete(owner_client, worker)
    with translation.override("ja"):
        page = owner_client.get("/trash/").content.decode()
    assert "戻す 人" in page and "元に戻す" in page
    response = owner_client.post(f"/workers/{worker.uuid}/restore/")
    assert response["Location"] == f"/workers/{worker.uuid}/"
    assert Worker.objects.filter(pk=worker.pk).exists()
    assert AuditEvent.objects.filter(action="worker.restore", target_uuid=worker.uuid).exists()
    with translation.override("ja"):
        assert "ごみ箱は空です" in owner_client.get("/trash/").content.decode()


def test_only_an_owner_restores(client, organization, owner, admin_member, staff, outsider):
    worker = make_worker(organization)
    account_delete(account=worker, actor=owner)
    expected = ((staff, 403), (admin_member, 403), (outsider, 404))
    for user, status in expected:
        client.logout()
        sign_in(client, user)
        assert client.post(f"/workers/{worker.uuid}/restore/").status_code == status
    assert client.get(f"/workers/{worker.uuid}/restore/").status_code == 405
    client.logout()
    sign_in(client, staff)
    assert client.get("/trash/").status_code == 403


def test_a_restore_that_would_clash_names_the_account_holding_the_id(owner_client, organization):
    worker = make_worker(organization, name="古い 登録", ccus_id="12345678901234")
    _delete(owner_client, worker)
    make_worker(organization, name="新しい 登録", ccus_id="12345678901234")
    with translation.override("ja"):
        response = owner_client.post(f"/workers/{worker.uuid}/restore/", follow=True)
    assert "「新しい 登録」" in response.content.decode()
    assert Worker.with_trash.get(pk=worker.pk).deleted_at is not None


def test_a_worker_comes_back_only_after_its_business(owner_client, organization, owner):
    company = make_company(organization, name="親 事業者")
    worker = make_worker(organization, company=company)
    account_delete(account=worker, actor=owner)
    account_delete(account=company, actor=owner)
    with translation.override("ja"):
        response = owner_client.post(f"/workers/{worker.uuid}/restore/", follow=True)
    assert "「親 事業者」もごみ箱にあります" in response.content.decode()
    owner_client.post(f"/companies/{company.uuid}/restore/")
    owner_client.post(f"/workers/{worker.uuid}/restore/")
    assert Worker.objects.get(pk=worker.pk).company == company


def test_the_audit_log_names_trash_actions_in_japanese(owner_client, organization, owner):
    worker = make_worker(organization)
    account_delete(account=worker, actor=owner)
    with translation.override("ja"):
        body = owner_client.get("/firm/audit/").content.decode()
        csv = owner_client.get("/firm/audit/?format=csv").content.decode("utf-8-sig")
    text = re.sub(r"<[^>]*>", " ", body)  # what is read; the filter's option values keep codes
    assert "技能者アカウントをごみ箱に移動" in text and "worker.delete" not in text
    assert "技能者アカウントをごみ箱に移動" in csv


def test_the_beat_task_purges_after_30_days_only(organization, owner):
    worker = make_secret_worker(organization)
    kept = make_worker(organization)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        account_delete(account=worker, actor=owner)
    with time_machine.travel(now + datetime.timedelta(days=29), tick=False):
        assert purge_trash.delay().get() == 0
    with time_machine.travel(now + datetime.timedelta(days=30, seconds=1), tick=False):
        assert purge_trash.delay().get() == 1
        assert purge_trash.delay().get() == 0
    assert not Worker.with_trash.filter(pk=worker.pk).exists()
    assert Worker.objects.filter(pk=kept.pk).exists()
    event = AuditEvent.objects.get(action="worker.purge")
    assert event.target_uuid == worker.uuid and leaked(str(event.details)) == []


def test_a_business_is_purged_once_its_workers_in_the_trash_are(organization, owner):
    company = make_company(organization)
    worker = make_worker(organization, company=company)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        account_delete(account=worker, actor=owner)
    with time_machine.travel(now + datetime.timedelta(days=1), tick=False):
        account_delete(account=company, actor=owner)
    with time_machine.travel(now + datetime.timedelta(days=31), tick=False):
        assert purge_trash.delay().get() == 2
    assert not Company.with_trash.filter(pk=company.pk).exists()


def test_it_clears_a_stored_secret_on_purpose_and_audits_that_field(owner_client, organization):
    worker = make_secret_worker(organization)
    with translation.override("ja"):
        page = owner_client.get(f"/workers/{worker.uuid}/edit/").content.decode()
    assert "保存済みのパスワードを消す" in page
    assert leaked(page) == []
    response = owner_client.post(
        f"/workers/{worker.uuid}/edit/",
        {"name": worker.name, "name_kana": worker.name_kana, "clear_password": "on"},
    )
    assert response.status_code == 302
    worker = Worker.objects.get(pk=worker.pk)
    assert worker.password is None
    assert worker.registered_email == SECRETS["registered_email"]
    event = AuditEvent.objects.get(action="worker.update", target_uuid=worker.uuid)
    assert event.details["fields"] == ["password"]


def test_it_refuses_a_new_value_and_clear_together(owner_client, organization):
    worker = make_secret_worker(organization)
    with translation.override("ja"):
        response = owner_client.post(
            f"/workers/{worker.uuid}/edit/",
            {"name": worker.name, "password": "new-pass", "clear_password": "on"},
        )
    assert response.status_code == 200
    assert "新しい値を入力するか" in response.content.decode()
    assert Worker.objects.get(pk=worker.pk).password == SECRETS["password"]

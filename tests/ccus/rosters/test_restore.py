"""Restore from a backup: preview per record, all or nothing, audited; bad files change nothing."""

import datetime
import hashlib
import io
import json
import logging

import pytest
import pyzipper
from django.core.files.uploadedfile import SimpleUploadedFile

from ccus.accounts.models import Worker
from ccus.accounts.services import account_update
from ccus.rosters.backup import backup_archive
from ccus.rosters.models import BackupRestore
from tests.ccus.rosters.backups import PASSPHRASE, delete_accounts, make_awkward_firm, snapshot
from tests.console import sign_in
from tests.factories import SECRETS, leaked, make_worker
from vault.audit.models import AuditEvent


def _upload(client, data: bytes, passphrase: str = PASSPHRASE, name: str = "backup.zip"):
    return client.post(
        "/backup/restore/", {"file": SimpleUploadedFile(name, data), "passphrase": passphrase}
    )


@pytest.fixture
def backed_up(organization, owner) -> bytes:
    make_awkward_firm(organization, owner)
    data, _counts = backup_archive(organization, PASSPHRASE)
    return data


@pytest.mark.django_db
def test_it_brings_back_every_field_of_every_record_through_the_pages(
    client, organization, owner, backed_up, caplog
):
    caplog.set_level(logging.DEBUG)
    before = snapshot(organization)
    delete_accounts(organization)
    sign_in(client, owner)
    workers = {kind: counts for _label, kind, counts in client.get("/").context["sections"]}
    assert workers["workers"]["total"] == 0  # counted now, and kept until the accounts change
    response = _upload(client, backed_up)
    job = BackupRestore.objects.get()
    assert response["Location"] == f"/backup/restore/{job.uuid}/"
    preview = client.get(response["Location"])
    page = preview.content.decode()
    assert preview.context["counts"] == {"new": 4, "changed": 0, "same": 0, "error": 0}
    assert "=協力建設" in page and "秘密 太郎" in page and "新規" in page
    assert leaked(page) == []
    assert Worker.objects.count() == 0
    client.post(f"/backup/restore/{job.uuid}/confirm/")
    assert snapshot(organization) == before
    job.refresh_from_db()
    assert (job.status, job.content, job.counts) == (
        "done", None, {"created": 4, "updated": 0, "unchanged": 0}
    )  # fmt: skip
    event = AuditEvent.objects.get(action="backup.restore")
    assert (event.actor, event.details) == (owner, {"created": 4, "updated": 0, "unchanged": 0})
    page = client.get(f"/backup/restore/{job.uuid}/").content.decode()
    assert "4件のアカウントを追加し" in page
    workers = {kind: counts for _label, kind, counts in client.get("/").context["sections"]}
    assert workers["workers"]["total"] == 2  # the worker who left is not counted
    assert "backup_restore organization=" in caplog.text
    assert leaked(caplog.text) == []


@pytest.mark.django_db
def test_it_names_the_changed_fields_never_the_values_and_restores_only_on_confirmation(
    client, organization, owner, backed_up
):
    worker = Worker.objects.get(name="秘密 太郎")
    account_update(account=worker, password="a-new-password-99", phone="090-0000-1111")
    Worker.objects.get(name="空欄 だけ").delete()
    make_worker(organization, name="後から追加")
    sign_in(client, owner)
    job_url = _upload(client, backed_up)["Location"]
    preview = client.get(job_url)
    assert preview.context["counts"] == {"new": 1, "changed": 1, "same": 2, "error": 0}
    changed = [row for row in preview.context["rows"] if row["action"] == "changed"]
    assert changed == [
        {"kind": "技能者アカウント", "name": "秘密 太郎", "action": "changed", "label": "変更あり",
         "fields": ["パスワード", "電話番号"], "errors": []},
    ]  # fmt: skip
    now = {"password": "a-new-password-99", "phone": "090-0000-1111"}
    assert (
        leaked(preview.content.decode(), {**SECRETS, **{f"now {k}": v for k, v in now.items()}})
        == []
    )
    only_new = client.get(f"{job_url}?show=new").context["rows"]
    assert [row["name"] for row in only_new] == ["空欄 だけ"]
    assert Worker.objects.get(name="秘密 太郎").password == "a-new-password-99"
    client.post(f"{job_url}confirm/")
    worker.refresh_from_db()
    assert (worker.password, worker.phone) == (SECRETS["password"], SECRETS["phone"])
    assert Worker.objects.filter(name__in=["空欄 だけ", "後から追加"]).count() == 2


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("wrong passphrase", "パスフレーズでは、このバックアップを開けません"),
        ("truncated", "途中で止まったダウンロードなど"),
        ("other firm", "「よその工務店」のもので、「協力建設株式会社」のものではありません"),
        ("not a zip", "途中で止まったダウンロードなど"),
    ],
)
@pytest.mark.django_db
def test_it_refuses_a_bad_file_with_a_japanese_message_and_changes_nothing(
    client, organization, other_organization, owner, backed_up, case, message
):
    data = {
        "wrong passphrase": backed_up,
        "truncated": backed_up[: len(backed_up) * 2 // 3],
        "other firm": backup_archive(other_organization, PASSPHRASE)[0],
        "not a zip": "氏名,技能者ID\r\n山田,12345678901234\r\n".encode("cp932"),
    }[case]
    Worker.objects.filter(name="空欄 だけ").delete()
    before = snapshot(organization)
    sign_in(client, owner)
    response = _upload(client, data, PASSPHRASE + "x" if case == "wrong passphrase" else PASSPHRASE)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BackupRestore.objects.exists()
    assert snapshot(organization) == before
    assert not AuditEvent.objects.filter(action="backup.restore").exists()


@pytest.mark.django_db
def test_it_asks_for_a_fresh_confirmation_and_keeps_others_out(
    client, organization, owner, admin_member, outsider, backed_up
):
    sign_in(client, owner, reauthenticated=False)
    assert client.get("/backup/restore/")["Location"].startswith("/account/confirm/")
    sign_in(client, owner)
    job_url = _upload(client, backed_up)["Location"]
    assert client.get(f"{job_url}confirm/").status_code == 405
    session = client.session
    session["reauthenticated_at"] = 0  # confirmed long ago
    session.save()
    assert client.post(f"{job_url}confirm/")["Location"].startswith("/account/confirm/")
    assert BackupRestore.objects.get().status == "preview"
    client.logout()
    sign_in(client, admin_member)
    assert client.get("/backup/restore/").status_code == 403
    assert client.get(job_url).status_code == 403
    client.logout()
    sign_in(client, outsider)
    assert client.get(job_url).status_code == 404
    assert client.post(f"{job_url}confirm/").status_code == 404


@pytest.mark.django_db
def test_it_cancels_a_restore_and_drops_the_backup_it_kept(client, owner, backed_up):
    sign_in(client, owner)
    job_url = _upload(client, backed_up)["Location"]
    client.post(f"{job_url}cancel/")
    job = BackupRestore.objects.get()
    assert (job.status, job.content) == ("cancelled", None)
    assert "取り消されました" in client.get(job_url).content.decode()
    assert client.post(f"{job_url}confirm/").status_code == 302
    assert not AuditEvent.objects.filter(action="backup.restore").exists()


def _edited(data: bytes, edit) -> bytes:
    """Return the backup with its workers.csv changed by hand, as someone could with 7-Zip."""
    with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
        archive.setpassword(PASSPHRASE.encode())
        files = {name: archive.read(name) for name in archive.namelist()}
    files["workers.csv"] = edit(files["workers.csv"].decode("utf-8-sig")).encode("utf-8-sig")
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["workers.csv"]["sha256"] = hashlib.sha256(files["workers.csv"]).hexdigest()
    files["manifest.json"] = json.dumps(manifest).encode()
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(buffer, "w", encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(PASSPHRASE.encode())
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.django_db
def test_it_lists_records_that_cannot_be_restored_and_restores_none(client, organization, owner):
    make_worker(organization, name="正しい人", ccus_id="12345678901234")
    make_worker(organization, name="短い人", ccus_id="12345678900000")
    make_worker(organization, name="同じ人", ccus_id="12345678901111")
    make_worker(organization, name="誕生日", birth_date=datetime.date(1981, 2, 3))
    data = _edited(
        backup_archive(organization, PASSPHRASE)[0],
        lambda text: (
            text.replace("12345678900000", "1234567890000")
            .replace("12345678901111", "12345678901234")
            .replace("1981-02-03", "1981-02-30")
        ),
    )
    delete_accounts(organization)
    sign_in(client, owner)
    job_url = _upload(client, data)["Location"]
    preview = client.get(job_url)
    assert preview.context["counts"] == {"new": 1, "changed": 0, "same": 0, "error": 3}
    errors = {row["name"]: row["errors"] for row in preview.context["rows"] if row["errors"]}
    assert errors == {
        "短い人": ["バックアップの「技能者ID」は、この項目に合う値ではありません。"],
        "同じ人": ["同じIDがバックアップ内の「正しい人」にもあります。"],
        "誕生日": ["バックアップの「生年月日」は、この項目に合う値ではありません。"],
    }
    page = preview.content.decode()
    assert "アカウントを復元する" not in page
    for value in ("1234567890000", "1981-02-30", "12345678901234"):
        assert value not in page
    client.post(f"{job_url}confirm/")
    job = BackupRestore.objects.get()
    assert (job.status, job.error) == ("failed", "errors")
    assert "復元できない記録があるため" in client.get(job_url).content.decode()
    assert Worker.objects.count() == 0


@pytest.mark.django_db
def test_it_puts_back_a_value_that_no_longer_opens(client, organization, owner, backed_up):
    from django.db import connection

    from vault.crypto.fields import UNREADABLE, read_value

    # Someone copied another worker's sealed password over this one's: it does not open.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ccus_worker SET password = (SELECT password FROM ccus_worker WHERE name = %s)"
            " WHERE name = %s",
            ["秘密 太郎", "\tタブ"],
        )
    assert read_value(Worker.objects.get(name="\tタブ"), "password") is UNREADABLE
    sign_in(client, owner)
    job_url = _upload(client, backed_up)["Location"]
    changed = [row for row in client.get(job_url).context["rows"] if row["action"] == "changed"]
    assert [(row["name"], row["fields"]) for row in changed] == [("\tタブ", ["パスワード"])]
    client.post(f"{job_url}confirm/")
    assert read_value(Worker.objects.get(name="\tタブ"), "password") is None


@pytest.mark.django_db
def test_it_matches_an_account_added_again_by_hand_by_its_id(organization, owner, backed_up):
    from ccus.accounts.models import Company
    from ccus.rosters.backup import read_backup
    from ccus.rosters.restore import backup_restore
    from tests.factories import make_company

    # After the backup the business was deleted and typed in again: same ID, another UUID.
    delete_accounts(organization)
    again = make_company(organization, name="=協力建設", ccus_id="11112222333344")
    counts = backup_restore(organization=organization, backup=read_backup(backed_up, PASSPHRASE))
    assert counts == {"created": 3, "updated": 1, "unchanged": 0}
    assert Company.objects.get().uuid == again.uuid
    assert Worker.objects.get(name="秘密 太郎").company_id == again.id

"""`manage.py restore_backup`: a firm back from its backup zip, into a database without it."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from ccus.accounts.models import Worker
from ccus.rosters.backup import backup_archive
from tests.ccus.rosters.backups import PASSPHRASE, delete_accounts, make_awkward_firm, snapshot
from tests.factories import leaked
from vault.audit.models import AuditEvent
from vault.auth.models import User
from vault.firms.models import Membership, Organization


@pytest.fixture
def backup_file(tmp_path, organization, owner):
    make_awkward_firm(organization, owner)
    path = tmp_path / "ccus-vault-backup.zip"
    path.write_bytes(backup_archive(organization, PASSPHRASE)[0])
    (tmp_path / "passphrase.txt").write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


@pytest.mark.django_db
def test_it_restores_a_firm_that_the_database_lost_and_gives_it_an_owner(
    backup_file, organization, owner, django_capture_on_commit_callbacks
):
    before = snapshot(organization)
    uuid, name = organization.uuid, organization.name
    # A database that lost everything: no firm, no account, no user, no audit event.
    delete_accounts(organization)
    organization.delete()
    User.objects.all().delete()
    AuditEvent.objects.all().delete()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "restore_backup", str(backup_file), owner="new.owner@example.jp", yes=True,
            passphrase_file=backup_file.parent / "passphrase.txt", stdout=out,
        )  # fmt: skip
    restored = Organization.objects.get(uuid=uuid)
    assert restored.name == name
    # Every field comes back, but who confirmed an account: that person is not in this database.
    for row in before.values():
        if "last_confirmed_by_id" in row:
            row["last_confirmed_by_id"] = None
    assert snapshot(restored) == before
    output = out.getvalue()
    assert "この事業者はデータベースにないため、新しく作ります。" in output
    assert "新規: 4件" in output and "100%" in output and "追加 4件" in output
    assert leaked(output) == []
    membership = Membership.objects.get(organization=restored)
    assert (membership.user.email, membership.role) == ("new.owner@example.jp", "owner")
    assert mail.outbox[0].to == ["new.owner@example.jp"]
    assert AuditEvent.objects.get(action="backup.restore").details["created"] == 4


@pytest.mark.django_db
def test_it_refuses_a_wrong_passphrase_and_creates_nothing(backup_file, organization, monkeypatch):
    delete_accounts(organization)
    organization.delete()
    monkeypatch.setenv("CCUS_BACKUP_PASSPHRASE", "not-the-passphrase")
    with pytest.raises(CommandError, match="このパスフレーズでは、このバックアップを開けません"):
        call_command("restore_backup", str(backup_file), yes=True, stdout=io.StringIO())
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_it_changes_nothing_when_the_operator_says_no(backup_file, organization, monkeypatch):
    Worker.objects.filter(organization=organization).delete()
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    monkeypatch.setattr("getpass.getpass", lambda prompt: PASSPHRASE)
    out = io.StringIO()
    call_command("restore_backup", str(backup_file), stdout=out)
    assert "何も変更していません。" in out.getvalue()
    assert not Worker.objects.exists()

"""Every value is bound to its table, column, record and firm: swaps are refused and shown."""

import logging

import pytest
from django.db import connection
from django.test import override_settings

from ccus.accounts.models import Company, Worker
from ccus.recovery.models import HandoverStep
from tests.console import sign_in
from tests.factories import SECRETS, make_company, make_secret_worker, make_worker
from vault.crypto import firm_keys
from vault.crypto.envelope import decrypt_value, encrypt_value
from vault.crypto.fields import UNREADABLE, read_value
from vault.crypto.keyring import UndecryptableValue, key_ring
from vault.crypto.models import UnreadableValue

UNREADABLE_JA = "読めません（改ざんの可能性）"


def _copy(source_table, source_id, source_column, target_table, target_id, target_column):
    """Do what a database writer can: copy one stored value over another, byte for byte."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {target_table} SET {target_column} = "  # noqa: S608
            f"(SELECT {source_column} FROM {source_table} WHERE id = %s) WHERE id = %s",
            [source_id, target_id],
        )


def _refused(model, pk, field: str) -> bool:
    try:
        getattr(model.objects.get(pk=pk), field)
    except UndecryptableValue:
        return True
    return False


@pytest.mark.django_db
def test_it_refuses_a_value_copied_to_another_row_of_the_same_firm(organization):
    first = make_secret_worker(organization)
    second = make_worker(organization, password="second-password")
    _copy("ccus_worker", first.pk, "password", "ccus_worker", second.pk, "password")
    assert _refused(Worker, second.pk, "password")
    assert Worker.objects.get(pk=first.pk).password == SECRETS["password"]


@pytest.mark.django_db
def test_it_refuses_a_value_copied_to_another_column(organization):
    worker = make_secret_worker(organization)
    _copy("ccus_worker", worker.pk, "password", "ccus_worker", worker.pk, "notes")
    assert _refused(Worker, worker.pk, "notes")


@pytest.mark.django_db
def test_it_refuses_a_value_copied_to_another_firm(organization, other_organization):
    ours = make_secret_worker(organization)
    theirs = make_worker(other_organization, password="their-password")
    _copy("ccus_worker", ours.pk, "password", "ccus_worker", theirs.pk, "password")
    assert _refused(Worker, theirs.pk, "password")


@pytest.mark.django_db
def test_it_refuses_a_value_copied_to_another_table(organization):
    worker = make_secret_worker(organization, ccus_id="12345678901234")
    company = make_company(organization, ccus_id="99998888777766")
    _copy("ccus_worker", worker.pk, "ccus_id", "ccus_company", company.pk, "ccus_id")
    assert _refused(Company, company.pk, "ccus_id")


@pytest.mark.django_db
def test_it_refuses_an_old_format_value_once_old_values_are_no_longer_read(organization):
    worker = make_worker(organization)
    old = key_ring().encrypt(b"\x80\x04\x95\x07\x00\x00\x00\x00\x00\x00\x00\x8c\x03abc\x94.")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ccus_worker SET password = %s WHERE id = %s", [old, worker.pk])
    assert Worker.objects.get(pk=worker.pk).password == "abc"
    with override_settings(VAULT_READ_OLD_FORMAT=False):
        assert _refused(Worker, worker.pk, "password")


@pytest.mark.django_db
def test_it_logs_the_refusal_with_the_record_never_the_value(organization, caplog):
    first = make_secret_worker(organization)
    second = make_worker(organization, password="second-password")
    _copy("ccus_worker", first.pk, "password", "ccus_worker", second.pk, "password")
    with caplog.at_level(logging.WARNING, logger="vault.crypto.fields"):
        assert read_value(Worker.objects.get(pk=second.pk), "password") is UNREADABLE
    assert f"record={second.uuid}" in caplog.text and "field=password" in caplog.text
    for value in [*SECRETS.values(), "second-password"]:
        assert value not in caplog.text
    assert UnreadableValue.objects.filter(record_uuid=second.uuid, field="password").exists()


@pytest.mark.django_db
def test_it_shows_a_swapped_field_as_unreadable_in_the_console(client, owner, organization):
    first = make_secret_worker(organization)
    second = make_secret_worker(organization, ccus_id="55556666777788", name="二人目")
    _copy("ccus_worker", first.pk, "password", "ccus_worker", second.pk, "password")
    sign_in(client, owner)
    page = client.get(f"/workers/{second.uuid}/").content.decode()
    assert UNREADABLE_JA in page
    shown = client.post(f"/workers/{second.uuid}/reveal/", {"field": "password"})
    assert shown.status_code == 200 and UNREADABLE_JA in shown.content.decode()
    assert SECRETS["password"] not in shown.content.decode()
    report = client.get("/").content.decode()
    assert "1件の値が読めません（改ざんの可能性）" in report


@pytest.mark.django_db
def test_it_lets_an_unreadable_value_be_typed_again(client, owner, organization):
    first = make_secret_worker(organization)
    second = make_secret_worker(organization, ccus_id="55556666777788", name="二人目")
    _copy("ccus_worker", first.pk, "password", "ccus_worker", second.pk, "password")
    sign_in(client, owner)
    assert "改ざん" not in client.get("/").content.decode()  # nobody has read it yet
    assert "改ざん" in client.get(f"/workers/{second.uuid}/").content.decode()
    assert "改ざん" in client.get("/").content.decode()
    response = client.post(
        f"/workers/{second.uuid}/edit/",
        {"name": "二人目", "name_kana": "ニニンメ", "password": "typed-again", "status": "active"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Worker.objects.get(pk=second.pk).password == "typed-again"
    assert "改ざん" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_it_binds_a_handover_note_to_its_worker_and_firm(organization):
    worker = make_secret_worker(organization)
    step = HandoverStep.objects.create(
        worker=worker, step="email_moved", done_on="2026-01-05", note="本人のアドレスへ"
    )
    assert HandoverStep.objects.get(pk=step.pk).note == "本人のアドレスへ"
    other = HandoverStep.objects.create(
        worker=worker, step="consent_withdrawn", done_on="2026-01-06"
    )
    _copy("ccus_handoverstep", step.pk, "note", "ccus_handoverstep", other.pk, "note")
    assert _refused(HandoverStep, other.pk, "note")


@pytest.mark.django_db
def test_it_gives_other_code_one_function_to_encrypt_and_one_to_decrypt(organization):
    worker = make_worker(organization)
    token = encrypt_value(Worker, "password", worker.uuid, organization, "written by COPY")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ccus_worker SET password = %s WHERE id = %s", [token, worker.pk])
    assert Worker.objects.get(pk=worker.pk).password == "written by COPY"
    assert decrypt_value(Worker, "password", worker.uuid, organization.uuid, token) == (
        "written by COPY"
    )
    with pytest.raises(UndecryptableValue):
        decrypt_value(Worker, "notes", worker.uuid, organization.uuid, token)


@pytest.mark.django_db
def test_it_forgets_nothing_when_a_transaction_that_made_a_key_rolls_back(other_organization):
    from django.db import transaction

    firm_keys.forget()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_worker(other_organization, password="lost with the rollback")
        raise RuntimeError
    worker = make_worker(other_organization, password="kept")
    firm_keys.forget()
    assert Worker.objects.get(pk=worker.pk).password == "kept"


@pytest.mark.django_db
def test_it_finds_every_swapped_value_in_the_nightly_check(client, owner, organization):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from vault.crypto.tasks import verify_encrypted_values

    first = make_secret_worker(organization)
    second = make_worker(organization, password="second-password", ccus_id="55556666777788")
    _copy("ccus_worker", first.pk, "ccus_id", "ccus_worker", second.pk, "ccus_id")
    assert verify_encrypted_values.delay().get() == 1
    entry = UnreadableValue.objects.get()
    assert (entry.record_uuid, entry.field, entry.organization_id) == (
        second.uuid,
        "ccus_id",
        organization.pk,
    )
    sign_in(client, owner)
    assert "1件の値が読めません（改ざんの可能性）" in client.get("/").content.decode()
    with pytest.raises(CommandError, match="1 values did not open"):
        call_command("verify_encryption", stdout=__import__("io").StringIO())

"""Field encryption: round trip, typed text, only isnull lookups, master and firm key rotation."""

import io
import uuid

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from ccus.accounts.models import Company, Worker
from tests.factories import SECRETS, leaked, make_company, make_organization, make_secret_worker
from vault.crypto import firm_keys
from vault.crypto.envelope import from_typed_text, token_version, typed_text
from vault.crypto.keyring import UndecryptableValue
from vault.crypto.models import FirmKey

KEY_1 = "rotation-key-one-000000000000000000000000000"
KEY_2 = "rotation-key-two-000000000000000000000000000"
KEY_3 = "rotation-key-three-0000000000000000000000000"


def _secrets_of(worker: Worker) -> dict:
    fresh = Worker.objects.get(pk=worker.pk)
    return {name: getattr(fresh, name) for name in SECRETS}


def _stored(model, pk, column: str) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])  # noqa: S608
        return bytes(cursor.fetchone()[0])


def _command(name: str, *args, **options) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _fresh_key_cache():
    firm_keys.forget()
    yield
    firm_keys.forget()


@pytest.mark.django_db
def test_it_round_trips_every_encrypted_field(organization):
    worker = make_secret_worker(organization)
    fresh = Worker.objects.get(pk=worker.pk)
    assert _secrets_of(worker) == SECRETS
    assert str(fresh.birth_date) == "1981-02-03"


@pytest.mark.django_db
def test_it_reads_every_record_after_secret_key_changes(organization):
    worker = make_secret_worker(organization)
    with override_settings(SECRET_KEY="a-completely-different-secret-key-000000000000"):
        assert _secrets_of(worker) == SECRETS


def test_it_serialises_values_as_typed_text_not_pickle():
    import datetime

    assert typed_text("秘密") == "s秘密".encode()
    assert typed_text(datetime.date(1981, 2, 3)) == b"d1981-02-03"
    assert from_typed_text(b"d1981-02-03") == datetime.date(1981, 2, 3)
    with pytest.raises(TypeError):
        typed_text(["a", "list"])
    with pytest.raises(UndecryptableValue):
        from_typed_text(b"\x80\x04anything")


@pytest.mark.django_db
def test_it_stores_the_new_format_under_the_firms_own_key(organization, other_organization):
    worker = make_secret_worker(organization)
    other = make_secret_worker(other_organization)
    token = _stored(Worker, worker.pk, "password")
    assert token[:1] == b"\x02" and token_version(token) == 1
    keys = FirmKey.objects.filter(
        organization_uuid__in=[organization.uuid, other_organization.uuid]
    )
    assert keys.count() == 2
    assert len({bytes(k.wrapped) for k in keys}) == 2
    assert _stored(Worker, other.pk, "password") != token


@pytest.mark.django_db
def test_it_allows_only_isnull_lookups_on_encrypted_fields(organization):
    with pytest.raises(FieldError):
        list(Worker.objects.filter(password="x"))
    assert Worker.objects.filter(password__isnull=True).count() == 0


@pytest.mark.django_db
def test_it_refuses_to_write_a_value_without_its_record(organization):
    make_secret_worker(organization)
    with pytest.raises(TypeError, match="written only with its record"):
        Worker.objects.update(password="no record to bind to")


@pytest.mark.django_db
def test_it_rewraps_only_the_key_table_when_the_master_key_rotates(
    organization, other_organization
):
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_1]):
        worker = make_secret_worker(organization)
        company = make_company(other_organization, ccus_id="11112222333344", password="company-pw")
    before = _stored(Worker, worker.pk, "password"), _stored(Company, company.pk, "password")
    with (
        override_settings(VAULT_ENCRYPTION_KEYS=[KEY_2, KEY_1]),
        CaptureQueriesContext(connection) as queries,
    ):
        report = _command("rotate_keys")
    assert "master key: keys=2 current=0 rewrapped=2" in report
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("UPDATE", "INSERT", "DELETE")]
    assert writes and all("vault_firmkey" in sql or "vault_auditevent" in sql for sql in writes)
    assert (
        _stored(Worker, worker.pk, "password"),
        _stored(Company, company.pk, "password"),
    ) == before
    firm_keys.forget()
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_2]):
        assert _secrets_of(worker) == SECRETS
        assert Company.objects.get(pk=company.pk).password == "company-pw"
        assert "current=2 rewrapped=0" in _command("rotate_keys")


@pytest.mark.django_db
def test_it_counts_without_writing_on_a_dry_run(organization):
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_1]):
        worker = make_secret_worker(organization)
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_2, KEY_1]):
        assert "stale=1" in _command("rotate_keys", dry_run=True)
    firm_keys.forget()
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_1]):
        assert _secrets_of(worker) == SECRETS


@pytest.mark.django_db
def test_it_refuses_a_value_whose_master_key_is_missing_and_never_shows_it(organization):
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_1]):
        worker = make_secret_worker(organization)
    firm_keys.forget()
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_3]):
        fresh = Worker.objects.get(pk=worker.pk)
        with pytest.raises(UndecryptableValue) as caught:
            fresh.password  # noqa: B018
        with pytest.raises(CommandError, match="1 values or keys could not be read"):
            _command("rotate_keys")
    assert leaked(str(caught.value)) == []


@pytest.mark.django_db
@override_settings(VAULT_KEY_CACHE_SECONDS=0)
def test_it_rotates_one_firms_data_key_and_destroys_the_old_one(organization, other_organization):
    worker = make_secret_worker(organization)
    other = make_secret_worker(other_organization)
    untouched = _stored(Worker, other.pk, "password")
    report = _command("rotate_keys", firm=organization.uuid)
    assert "rewritten=10 verified=10" in report and "old keys destroyed=1" in report
    assert token_version(_stored(Worker, worker.pk, "password")) == 2
    assert list(
        FirmKey.objects.filter(organization_uuid=organization.uuid).values_list(
            "version", flat=True
        )
    ) == [2]
    assert _stored(Worker, other.pk, "password") == untouched
    firm_keys.forget()
    assert _secrets_of(worker) == SECRETS


@pytest.mark.django_db
@override_settings(VAULT_KEY_CACHE_SECONDS=0)
def test_it_finishes_a_firm_rotation_that_was_interrupted(organization):
    worker = make_secret_worker(organization)
    firm_keys.firm_key_create(organization_uuid=organization.uuid, version=2)  # a run that died
    report = _command("rotate_keys", firm=organization.uuid)
    assert "rewritten=10" in report and "old keys destroyed=1" in report
    assert token_version(_stored(Worker, worker.pk, "notes")) == 2
    firm_keys.forget()
    assert _secrets_of(worker) == SECRETS


@pytest.mark.django_db
def test_it_keeps_the_old_firm_key_until_every_process_can_have_seen_the_new_one(organization):
    worker = make_secret_worker(organization)
    report = _command("rotate_keys", firm=organization.uuid, no_wait=True)
    assert "old keys destroyed=0 kept=1" in report
    versions = FirmKey.objects.filter(organization_uuid=organization.uuid)
    assert sorted(versions.values_list("version", flat=True)) == [1, 2]
    with override_settings(VAULT_KEY_CACHE_SECONDS=0):
        assert "old keys destroyed=1" in _command("rotate_keys", firm=organization.uuid)
    firm_keys.forget()
    assert _secrets_of(worker) == SECRETS


def test_it_creates_one_key_per_firm_even_when_two_ask_at_once(db):
    organization = make_organization("同時建設")
    first = firm_keys.firm_key_create(organization_uuid=organization.uuid)
    again = firm_keys.firm_key_create(organization_uuid=organization.uuid)
    assert first.pk == again.pk
    assert FirmKey.objects.filter(organization_uuid=organization.uuid).count() == 1
    assert uuid.UUID(str(first.organization_uuid)) == organization.uuid


@pytest.mark.django_db
@override_settings(VAULT_KEY_CACHE_SECONDS=0)
def test_it_saves_a_value_read_under_an_older_key_under_the_newest(organization):
    worker = make_secret_worker(organization)
    read_before = Worker.objects.get(pk=worker.pk)  # values read, none opened
    firm_keys.firm_key_create(organization_uuid=organization.uuid, version=2)  # a rotation began
    read_before.name = "名前だけ変更"
    read_before.save()
    assert token_version(_stored(Worker, worker.pk, "password")) == 2
    assert token_version(_stored(Worker, worker.pk, "birth_date")) == 2
    firm_keys.forget()
    assert _secrets_of(worker) == SECRETS


@pytest.mark.django_db
@override_settings(VAULT_KEY_CACHE_SECONDS=0)
def test_it_destroys_an_old_firm_key_only_once_no_value_uses_it(organization):
    from vault.crypto.retire import old_keys_destroy, stale_values

    worker = make_secret_worker(organization)
    firm_keys.firm_key_create(organization_uuid=organization.uuid, version=2)
    assert stale_values(organization.uuid, 2) == 10  # every secret and the birth date
    assert old_keys_destroy(organization_uuid=organization.uuid, newest=2) is None
    assert FirmKey.objects.filter(organization_uuid=organization.uuid).count() == 2
    report = _command("rotate_keys", firm=organization.uuid)
    assert "Finishing the rotation to key version 2: 10 values still under an older key" in report
    assert "pass 1: 1 of 1 rows re-encrypted" in report and "old keys destroyed=1" in report
    assert stale_values(organization.uuid, 2) == 0
    firm_keys.forget()
    assert _secrets_of(worker) == SECRETS

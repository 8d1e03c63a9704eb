"""Field encryption under the vault key ring: round trip, SECRET_KEY independence, rotation."""

import io

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_cryptography.utils.crypto import FernetBytes

from ccus.accounts.models import Company, Worker
from tests.factories import SECRETS, leaked, make_company, make_secret_worker
from vault.crypto.keyring import UndecryptableValue, key_ring

KEY_1 = "rotation-key-one-000000000000000000000000000"
KEY_2 = "rotation-key-two-000000000000000000000000000"
KEY_3 = "rotation-key-three-0000000000000000000000000"


def _secrets_of(worker: Worker) -> dict:
    fresh = Worker.objects.get(pk=worker.pk)
    return {name: getattr(fresh, name) for name in SECRETS}


def _rotate(**options) -> str:
    out = io.StringIO()
    call_command("rotate_keys", stdout=out, **options)
    return out.getvalue()


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


def test_it_does_not_encrypt_with_the_library_default_key():
    token = key_ring().encrypt(b"value")
    with pytest.raises(Exception):  # noqa: B017  (any refusal will do, as long as it refuses)
        FernetBytes().decrypt(token)


@pytest.mark.django_db
def test_it_allows_only_isnull_lookups_on_encrypted_fields(organization):
    with pytest.raises(FieldError):
        list(Worker.objects.filter(password="x"))
    assert Worker.objects.filter(password__isnull=True).count() == 0


@pytest.mark.django_db
def test_it_rotates_to_the_newest_key_and_forgets_the_old_one(organization):
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_1]):
        worker = make_secret_worker(organization)
        company = make_company(organization, ccus_id="11112222333344", password="company-pw")
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_2, KEY_1]):
        report = _rotate(batch_size=1)
    assert "ccus.Worker: rows=1 current=0 rewritten=10" in report
    assert "ccus.Company: rows=1 current=0 rewritten=2" in report
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_2]):
        assert _secrets_of(worker) == SECRETS
        assert Company.objects.get(pk=company.pk).password == "company-pw"


@pytest.mark.django_db
def test_it_rotates_safely_when_run_again(organization):
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_1]):
        make_secret_worker(organization)
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_2, KEY_1]):
        _rotate()
        report = _rotate()
    assert "ccus.Worker: rows=1 current=10 rewritten=0" in report


@pytest.mark.django_db
def test_it_counts_without_writing_on_a_dry_run(organization):
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_1]):
        worker = make_secret_worker(organization)
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_2, KEY_1]):
        assert "stale=10" in _rotate(dry_run=True)
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_1]):
        assert _secrets_of(worker) == SECRETS


@pytest.mark.django_db
def test_it_raises_for_a_value_no_key_can_read(organization):
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_1]):
        worker = make_secret_worker(organization)
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_3]):
        with pytest.raises(UndecryptableValue):
            Worker.objects.get(pk=worker.pk)
        with pytest.raises(CommandError, match="10 values could not be read"):
            _rotate()


@pytest.mark.django_db
def test_it_never_puts_a_value_in_the_error(organization):
    with override_settings(VAULT_ENCRYPTION_KEYS=[KEY_1]):
        worker = make_secret_worker(organization)
    with (
        override_settings(VAULT_ENCRYPTION_KEYS=[KEY_3]),
        pytest.raises(UndecryptableValue) as caught,
    ):
        Worker.objects.get(pk=worker.pk)
    assert leaked(str(caught.value)) == []

"""`manage.py restore_check`: a sample of secrets read with the keys, or a clear refusal."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from tests.ccus.rosters.backups import make_awkward_firm
from tests.factories import leaked


def _check() -> str:
    out = io.StringIO()
    call_command("restore_check", sample=10, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_reads_a_sample_of_every_encrypted_table_and_prints_counts_only(organization, owner):
    make_awkward_firm(organization, owner)
    output = _check()
    assert "ccus.Worker: records=3 values=" in output
    assert "ccus.Company: records=1 values=" in output and "index_mismatch=0" in output
    assert "were read with the configured keys" in output
    assert leaked(output) == []


@pytest.mark.django_db
def test_it_fails_without_the_encryption_key_or_with_another_blind_index_key(organization, owner):
    make_awkward_firm(organization, owner)
    with (
        override_settings(VAULT_ENCRYPTION_KEYS=["a-key-that-never-wrote-anything-000000000"]),
        pytest.raises(CommandError, match="sampled records cannot be read"),
    ):
        _check()
    with (
        override_settings(VAULT_BLIND_INDEX_KEY="another-blind-index-key-0000000000000"),
        pytest.raises(CommandError, match="searches by ID would not find them"),
    ):
        _check()


@pytest.mark.django_db
def test_it_fails_on_a_database_without_secrets():
    with pytest.raises(CommandError, match="is this the right database"):
        _check()

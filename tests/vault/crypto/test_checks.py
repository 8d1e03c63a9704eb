"""System checks refuse missing, short or reused vault keys."""

from django.test import override_settings

from vault.crypto.checks import check_vault_keys

GOOD = "a-good-long-vault-key-0000000000000000000000"
BLIND = "a-good-long-blind-key-0000000000000000000000"


def _ids(**overrides) -> list[str]:
    settings = {"VAULT_ENCRYPTION_KEYS": [GOOD], "VAULT_BLIND_INDEX_KEY": BLIND, **overrides}
    with override_settings(**settings):
        return [error.id for error in check_vault_keys()]


def test_it_passes_with_dedicated_long_keys():
    assert _ids() == []


def test_it_fails_when_the_encryption_keys_are_missing():
    assert "vault.E001" in _ids(VAULT_ENCRYPTION_KEYS=[])


def test_it_fails_when_the_blind_index_key_is_missing():
    assert _ids(VAULT_BLIND_INDEX_KEY="") == ["vault.E001"]


def test_it_fails_when_a_key_is_too_short():
    assert _ids(VAULT_ENCRYPTION_KEYS=[GOOD, "short"]) == ["vault.E002"]


def test_it_fails_when_a_key_equals_the_secret_key():
    with override_settings(SECRET_KEY=GOOD):
        assert "vault.E003" in _ids()


def test_it_fails_when_the_blind_index_key_is_an_encryption_key():
    assert "vault.E004" in _ids(VAULT_BLIND_INDEX_KEY=GOOD)


def test_it_fails_when_a_key_is_listed_twice():
    assert _ids(VAULT_ENCRYPTION_KEYS=[GOOD, GOOD]) == ["vault.E005"]

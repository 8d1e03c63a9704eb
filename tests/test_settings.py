"""Start-up refuses to run without its keys and names the missing variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KEYS = {
    "DJANGO_SECRET_KEY": "startup-test-secret-key-000000000000000000",
    "VAULT_ENCRYPTION_KEYS": "startup-test-encryption-key-00000000000000",
    "VAULT_BLIND_INDEX_KEY": "startup-test-blind-index-key-0000000000000",
}


def _check(env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in KEYS and k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "vault.settings",
            "VAULT_ENV_FILE": os.devnull,
            "DEBUG": "false",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("missing", sorted(KEYS))
def test_it_stops_start_up_naming_a_missing_key(missing):
    result = _check({k: v for k, v in KEYS.items() if k != missing})
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_it_stops_start_up_when_a_vault_key_equals_the_secret_key():
    result = _check({**KEYS, "VAULT_ENCRYPTION_KEYS": KEYS["DJANGO_SECRET_KEY"]})
    assert result.returncode != 0
    assert "vault.E003" in result.stderr


def test_it_starts_with_all_keys():
    result = _check(KEYS)
    assert result.returncode == 0, result.stderr


def test_it_defaults_to_japanese_in_tokyo(settings):
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE) == ("ja", "Asia/Tokyo")
    assert ("en", "English") in settings.LANGUAGES

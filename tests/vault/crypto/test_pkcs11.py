"""The master key inside an HSM (SoftHSM2 through PKCS#11): wrap and unwrap happen in the token."""

import io
import os
import subprocess
from pathlib import Path

import pkcs11
import pytest
from django.core.management import call_command
from django.test import override_settings

from ccus.accounts.models import Worker
from tests.conftest import REQUIRE_SERVICES
from tests.factories import SECRETS, make_secret_worker
from vault.crypto import firm_keys
from vault.crypto.keyring import UndecryptableValue
from vault.crypto.models import FirmKey
from vault.crypto.pkcs11 import Pkcs11KeyProvider, generate_master_key, open_session
from vault.crypto.providers import _master_keys_for

LIBRARY = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN, PIN = "ccus-vault-test", "246810"


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory):
    """A fresh SoftHSM2 token with one master key, `master-1`."""
    if not Path(LIBRARY).exists():
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but SoftHSM2 is not at {LIBRARY}")
        pytest.skip("SoftHSM2 is not installed (apt-get install softhsm2)")
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--pin", PIN,
         "--so-pin", "13579111"],
        check=True, capture_output=True,
    )  # fmt: skip
    generate_master_key(LIBRARY, TOKEN, PIN, "master-1")
    return {
        "VAULT_KEY_PROVIDER": "pkcs11",
        "VAULT_PKCS11_LIBRARY": LIBRARY,
        "VAULT_PKCS11_TOKEN_LABEL": TOKEN,
        "VAULT_PKCS11_PIN": PIN,
        "VAULT_PKCS11_KEY_LABELS": ["master-1"],
    }


@pytest.fixture(autouse=True)
def _fresh_caches():
    firm_keys.forget()
    _master_keys_for.cache_clear()
    yield
    firm_keys.forget()
    _master_keys_for.cache_clear()


def _rotate() -> str:
    out = io.StringIO()
    call_command("rotate_keys", stdout=out)
    return out.getvalue()


def test_it_wraps_in_the_token_and_binds_the_wrapped_key(softhsm):
    provider = Pkcs11KeyProvider(LIBRARY, TOKEN, PIN, ("master-1",))
    key_id, wrapped = provider.wrap(b"k" * 32, b"firm A")
    assert key_id == "pkcs11:master-1" and b"k" * 32 not in wrapped
    assert provider.unwrap(key_id, wrapped, b"firm A") == b"k" * 32
    with pytest.raises(UndecryptableValue):
        provider.unwrap(key_id, wrapped, b"firm B")


def test_it_never_lets_the_master_key_out_of_the_token(softhsm):
    with open_session(LIBRARY, TOKEN, PIN) as session:
        key = session.get_key(label="master-1", object_class=pkcs11.ObjectClass.SECRET_KEY)
        assert key[pkcs11.Attribute.SENSITIVE] and not key[pkcs11.Attribute.EXTRACTABLE]
        with pytest.raises(pkcs11.AttributeSensitive):
            key[pkcs11.Attribute.VALUE]


@pytest.mark.django_db
def test_it_keeps_a_firms_values_under_a_key_wrapped_by_the_hsm(softhsm, organization):
    with override_settings(**softhsm, VAULT_ENCRYPTION_KEYS=[]):
        worker = make_secret_worker(organization)
        assert FirmKey.objects.get(organization_uuid=organization.uuid).master_key_id == (
            "pkcs11:master-1"
        )
        firm_keys.forget()
        fresh = Worker.objects.get(pk=worker.pk)
        assert {name: getattr(fresh, name) for name in SECRETS} == SECRETS
    firm_keys.forget()
    with pytest.raises(UndecryptableValue):  # the environment's keys cannot open it
        Worker.objects.get(pk=worker.pk).password  # noqa: B018


@pytest.mark.django_db
def test_it_moves_from_the_environment_into_the_hsm_and_rotates_there(softhsm, organization):
    worker = make_secret_worker(organization)  # wrapped by the environment's key
    with override_settings(**softhsm):  # the environment's keys still configured, to read
        assert "rewrapped=1" in _rotate()
    with override_settings(**softhsm):
        call_command("create_hsm_key", "master-2", stdout=io.StringIO())
    _master_keys_for.cache_clear()
    hsm_only = {
        **softhsm,
        "VAULT_ENCRYPTION_KEYS": [],
        "VAULT_PKCS11_KEY_LABELS": ["master-2", "master-1"],
    }
    with override_settings(**hsm_only):
        assert "rewrapped=1" in _rotate()
        assert FirmKey.objects.get(organization_uuid=organization.uuid).master_key_id == (
            "pkcs11:master-2"
        )
        firm_keys.forget()
        assert Worker.objects.get(pk=worker.pk).password == SECRETS["password"]

"""A master key that stays inside an HSM: data keys are wrapped and unwrapped by the token."""

import os
import threading

import pkcs11
from django.core.exceptions import ImproperlyConfigured
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass
from pkcs11.mechanisms import GCMParams

from vault.crypto.keyring import UndecryptableValue

NONCE = 12


def open_session(library: str, token_label: str, pin: str, rw: bool = False):
    """Open a session on the token, logged in (PKCS#11 logs a whole process in at once)."""
    token = pkcs11.lib(library).get_token(token_label=token_label)
    try:
        return token.open(user_pin=pin, rw=rw)
    except pkcs11.UserAlreadyLoggedIn:
        return token.open(rw=rw)


class Pkcs11KeyProvider:
    """AES-256 master keys in a PKCS#11 token, found by label, newest label first."""

    def __init__(self, library: str, token_label: str, pin: str, key_labels: tuple) -> None:
        if not (library and token_label and pin and key_labels):
            raise ImproperlyConfigured(
                "Set VAULT_PKCS11_LIBRARY, VAULT_PKCS11_TOKEN_LABEL, VAULT_PKCS11_PIN and "
                "VAULT_PKCS11_KEY_LABELS to use the PKCS#11 key provider."
            )
        self.library, self.token_label, self.pin = library, token_label, pin
        self.labels = list(key_labels)
        self._lock = threading.Lock()
        self._session = None
        self._pid = None
        self._keys: dict = {}

    def _key(self, label: str):
        # A PKCS#11 session does not survive fork(): each process opens its own.
        if self._session is None or self._pid != os.getpid():
            self._session = open_session(self.library, self.token_label, self.pin)
            self._pid, self._keys = os.getpid(), {}
        if label not in self._keys:
            try:
                self._keys[label] = self._session.get_key(
                    object_class=ObjectClass.SECRET_KEY, key_type=KeyType.AES, label=label
                )
            except pkcs11.NoSuchKey:
                raise UndecryptableValue(f"The token has no key labelled {label}.") from None
        return self._keys[label]

    def key_ids(self) -> list[str]:
        return [f"pkcs11:{label}" for label in self.labels]

    def wrap(self, data_key: bytes, associated_data: bytes) -> tuple[str, bytes]:
        nonce = os.urandom(NONCE)
        params = GCMParams(nonce, associated_data, 128)
        with self._lock:
            wrapped = self._key(self.labels[0]).encrypt(
                data_key, mechanism=Mechanism.AES_GCM, mechanism_param=params
            )
        return f"pkcs11:{self.labels[0]}", nonce + wrapped

    def unwrap(self, key_id: str, wrapped: bytes, associated_data: bytes) -> bytes:
        label = key_id.removeprefix("pkcs11:")
        params = GCMParams(wrapped[:NONCE], associated_data, 128)
        try:
            with self._lock:
                return self._key(label).decrypt(
                    wrapped[NONCE:], mechanism=Mechanism.AES_GCM, mechanism_param=params
                )
        except pkcs11.PKCS11Error as error:
            raise UndecryptableValue(
                f"The token refused to unwrap a data key with {key_id}: {type(error).__name__}"
            ) from None


def generate_master_key(library: str, token_label: str, pin: str, label: str) -> None:
    """Create an AES-256 master key inside the token that can never leave it."""
    with open_session(library, token_label, pin, rw=True) as session:
        session.generate_key(
            KeyType.AES,
            256,
            label=label,
            store=True,
            template={
                Attribute.SENSITIVE: True,
                Attribute.EXTRACTABLE: False,
                Attribute.ENCRYPT: True,
                Attribute.DECRYPT: True,
            },
        )

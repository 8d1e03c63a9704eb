"""Seal a link's values under a key derived from its secret part and its PIN (scrypt, AES-GCM)."""

import base64
import hashlib
import json
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

SECRET_BYTES = 32
# scrypt's cost makes each guess of a PIN slow for someone who holds both the link and a copy
# of the database; the link's 256-bit secret part is what keeps the database alone out.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


class WrongKey(Exception):
    """The secret part or the PIN does not open the sealed values."""


def new_secret() -> str:
    """Return a fresh secret part for a link, URL-safe (43 characters)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(SECRET_BYTES)).rstrip(b"=").decode()


def new_pin(length: int) -> str:
    """Return a random PIN of length digits."""
    return "".join(secrets.choice("0123456789") for _ in range(length))


def verifier(secret: str) -> str:
    """Return the hash by which a link's secret part is recognised without being stored."""
    return hashlib.sha256(b"ccus-vault handoff verifier|" + secret.encode()).hexdigest()


def _key(secret: str, pin: str, salt: bytes) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(secret.encode() + b"|" + pin.encode())


def _aad(link_uuid) -> bytes:
    return f"ccus-vault handoff v1|{link_uuid}".encode()


def seal(values: dict, *, link_uuid, secret: str, pin: str) -> tuple[bytes, bytes, bytes]:
    """Encrypt values for one link; return (salt, nonce, ciphertext)."""
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    plaintext = json.dumps(values, ensure_ascii=False).encode()
    return salt, nonce, AESGCM(_key(secret, pin, salt)).encrypt(nonce, plaintext, _aad(link_uuid))


def unseal(
    ciphertext: bytes, *, link_uuid, secret: str, pin: str, salt: bytes, nonce: bytes
) -> dict:
    """Decrypt a link's values, or raise WrongKey."""
    try:
        plaintext = AESGCM(_key(secret, pin, bytes(salt))).decrypt(
            bytes(nonce), bytes(ciphertext), _aad(link_uuid)
        )
    except InvalidTag:
        raise WrongKey from None
    return json.loads(plaintext)

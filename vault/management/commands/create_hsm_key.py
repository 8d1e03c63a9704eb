"""`manage.py create_hsm_key LABEL`: make a master key inside the HSM that can never leave it."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vault.crypto.pkcs11 import generate_master_key


class Command(BaseCommand):
    help = (
        "Create an AES-256 master key in the PKCS#11 token of VAULT_PKCS11_* (sensitive, not "
        "extractable). Put its label first in VAULT_PKCS11_KEY_LABELS, then run rotate_keys."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("label", help="Label of the new key, e.g. ccus-vault-master-2027.")

    def handle(self, *args, label: str, **options) -> None:
        if not (settings.VAULT_PKCS11_LIBRARY and settings.VAULT_PKCS11_TOKEN_LABEL):
            raise CommandError("Set VAULT_PKCS11_LIBRARY, VAULT_PKCS11_TOKEN_LABEL and the PIN.")
        generate_master_key(
            settings.VAULT_PKCS11_LIBRARY,
            settings.VAULT_PKCS11_TOKEN_LABEL,
            settings.VAULT_PKCS11_PIN,
            label,
        )
        self.stdout.write(f"Created the master key {label} in the token.")

"""Write a local `.env` with fresh random keys for development, unless one exists."""

import secrets
import sys
from pathlib import Path

TEMPLATE = """\
# Local development settings written by `make run`. Never commit this file.
DEBUG=true
DJANGO_SECRET_KEY={secret_key}
# Master keys, newest first (comma-separated). See README: rotating the keys.
VAULT_ENCRYPTION_KEYS={encryption_key}
VAULT_BLIND_INDEX_KEY={blind_index_key}
# The firms' data keys in a database of their own, apart from the records (crypto-shredding).
VAULT_KEYS_DATABASE_URL=sqlite:///{keys_database}
SECURE_SSL_REDIRECT=false
"""


def main(path: Path) -> None:
    if path.exists():
        print(f"{path} exists; keeping it.")
        return
    path.write_text(
        TEMPLATE.format(
            secret_key=secrets.token_urlsafe(48),
            encryption_key=secrets.token_urlsafe(48),
            blind_index_key=secrets.token_urlsafe(48),
            keys_database=(path.resolve().parent / "var" / "ccus-vault-keys.sqlite3"),
        )
    )
    path.chmod(0o600)
    print(f"Wrote {path} with fresh random keys.")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else ".env"))

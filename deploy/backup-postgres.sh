#!/usr/bin/env bash
# Back up the PostgreSQL database of CCUS Vault: one compressed dump, checked, with its checksum;
# dumps older than BACKUP_KEEP_DAYS are removed. Reads DATABASE_URL from the environment or from
# the service's environment file. Secrets stay encrypted in the dump: keep the keys (the env file)
# backed up apart from it, since neither is of use without the other. With the key table in a
# database of its own (VAULT_KEYS_DATABASE_URL), that one goes to KEYS_BACKUP_DIR, kept only
# KEYS_KEEP_DAYS: a firm deleted since stays unreadable in the older dumps (crypto-shredding).
set -euo pipefail

ENV_FILE="${ENV_FILE:-/etc/ccus-vault/env}"
if [[ -z "${DATABASE_URL:-}" && -r "$ENV_FILE" ]]; then
  DATABASE_URL="$(sed -n 's/^DATABASE_URL=//p' "$ENV_FILE" | tail -n 1)"
fi
: "${DATABASE_URL:?Set DATABASE_URL or ENV_FILE}"
if [[ -z "${VAULT_KEYS_DATABASE_URL:-}" && -r "$ENV_FILE" ]]; then
  VAULT_KEYS_DATABASE_URL="$(sed -n 's/^VAULT_KEYS_DATABASE_URL=//p' "$ENV_FILE" | tail -n 1)"
fi
BACKUP_DIR="${BACKUP_DIR:-/var/backups/ccus-vault}"
KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"
KEYS_BACKUP_DIR="${KEYS_BACKUP_DIR:-/var/backups/ccus-vault-keys}"
KEYS_KEEP_DAYS="${KEYS_KEEP_DAYS:-7}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"

umask 077
mkdir -p "$BACKUP_DIR"
target="$BACKUP_DIR/ccus-vault-$stamp.dump"
# Custom format: compressed, restorable table by table, readable by pg_restore of this version on.
pg_dump --format=custom --compress=6 --no-owner --no-privileges \
  --file="$target.partial" --dbname="$DATABASE_URL"
# A dump pg_restore cannot list is no backup: fail now rather than on the day it is needed.
tables="$(pg_restore --list "$target.partial" | grep -c ' TABLE DATA ' || true)"
if [[ "$tables" -eq 0 ]]; then
  echo "backup=failed reason=no-table-data file=$target.partial" >&2
  exit 1
fi
mv "$target.partial" "$target"
(cd "$BACKUP_DIR" && sha256sum "$(basename "$target")" > "$(basename "$target").sha256")
find "$BACKUP_DIR" -maxdepth 1 -name 'ccus-vault-*.dump*' -mtime +"$KEEP_DAYS" -delete
echo "backup=$target tables=$tables bytes=$(stat -c %s "$target")"

if [[ -n "${VAULT_KEYS_DATABASE_URL:-}" ]]; then
  mkdir -p "$KEYS_BACKUP_DIR"
  if [[ "$VAULT_KEYS_DATABASE_URL" == sqlite* ]]; then
    keys="$KEYS_BACKUP_DIR/ccus-vault-keys-$stamp.sqlite3"
    # A consistent copy of the live SQLite file (its own backup API, not cp).
    "${PYTHON:-python3}" -c 'import sqlite3, sys, urllib.parse as u
sqlite3.connect(u.urlsplit(sys.argv[1]).path).backup(sqlite3.connect(sys.argv[2]))' \
      "$VAULT_KEYS_DATABASE_URL" "$keys.partial"
  else
    keys="$KEYS_BACKUP_DIR/ccus-vault-keys-$stamp.dump"
    pg_dump --format=custom --no-owner --no-privileges \
      --file="$keys.partial" --dbname="$VAULT_KEYS_DATABASE_URL"
  fi
  mv "$keys.partial" "$keys"
  (cd "$KEYS_BACKUP_DIR" && sha256sum "$(basename "$keys")" > "$(basename "$keys").sha256")
  find "$KEYS_BACKUP_DIR" -maxdepth 1 -name 'ccus-vault-keys-*' -mtime +"$KEYS_KEEP_DAYS" -delete
  echo "backup=$keys bytes=$(stat -c %s "$keys")"
fi

#!/usr/bin/env bash
# Disaster drill: restore a PostgreSQL dump of CCUS Vault (and, when the key table lives in a
# database of its own, the dump of that one) into fresh databases, bring them up to this code,
# and prove with a sample that the secrets decrypt with the keys kept apart from the dumps. The
# databases named in DATABASE_URL and VAULT_KEYS_DATABASE_URL only serve to reach their servers.
#
#   deploy/restore-drill.sh [DUMP [KEYS_DUMP]]  the dumps (default: the newest in BACKUP_DIR and
#                                               KEYS_BACKUP_DIR)
#   deploy/restore-drill.sh --dump-first        dump the live databases now, restore those
#
# Environment: DATABASE_URL and VAULT_KEYS_DATABASE_URL (or ENV_FILE holding them); the master key
# as the application reads it (the environment, or VAULT_ENV_FILE, by default ENV_FILE); SAMPLE
# records per table (default 50); KEEP_DRILL_DATABASE=1 keeps the restored databases for a look;
# PYTHON (default: .venv/bin/python). A key table kept in SQLite is dumped and restored as a copy.
set -euo pipefail
cd "$(dirname "$0")/.."

ENV_FILE="${ENV_FILE:-/etc/ccus-vault/env}"
from_env_file() {
  if [[ -r "$ENV_FILE" ]]; then sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1; fi
}
DATABASE_URL="${DATABASE_URL:-$(from_env_file DATABASE_URL)}"
: "${DATABASE_URL:?Set DATABASE_URL (the server to restore on) or ENV_FILE}"
KEYS_URL="${VAULT_KEYS_DATABASE_URL:-$(from_env_file VAULT_KEYS_DATABASE_URL)}"
if [[ -z "${VAULT_ENV_FILE:-}" && -r "$ENV_FILE" ]]; then
  export VAULT_ENV_FILE="$ENV_FILE"
fi
PYTHON="${PYTHON:-.venv/bin/python}"
[[ -x "$PYTHON" ]] || PYTHON="$(command -v python3)"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/ccus-vault}"
KEYS_BACKUP_DIR="${KEYS_BACKUP_DIR:-/var/backups/ccus-vault-keys}"
SAMPLE="${SAMPLE:-50}"
started="$(date +%s)"
drill_name="${DRILL_DATABASE:-ccus_drill_$(date -u +%Y%m%d%H%M%S)}"
workdir="$(mktemp -d)"
created=()

renamed() {  # the URL of another database on the same server
  "$PYTHON" -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]);
print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$1" "$2"
}
sqlite_path() { "$PYTHON" -c 'import sys, urllib.parse as u; print(u.urlsplit(sys.argv[1]).path)' "$1"; }
sqlite_copy() {  # a consistent copy of a live SQLite database
  "$PYTHON" -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))' "$1" "$2"
}
newest() { ls -1t "$1"/$2 2>/dev/null | head -n 1 || true; }  # $2: a pattern
check_sum() {
  if [[ -r "$1.sha256" ]]; then
    (cd "$(dirname "$1")" && sha256sum --check --quiet "$(basename "$1").sha256")
  fi
}
cleanup() {
  rm -rf "$workdir"
  if [[ "${KEEP_DRILL_DATABASE:-}" != "1" ]]; then
    for entry in "${created[@]}"; do
      dropdb --if-exists --maintenance-db="${entry% *}" "${entry##* }"
    done
  fi
}
trap cleanup EXIT

restore_into() {  # restore_into SERVER_URL NAME DUMP: a fresh database from a custom-format dump
  createdb --maintenance-db="$1" "$2"
  created+=("$1 $2")
  pg_restore --no-owner --no-privileges --exit-on-error --dbname="$(renamed "$1" "$2")" "$3"
}

keys_sqlite=""
[[ "$KEYS_URL" == sqlite* ]] && keys_sqlite=1
if [[ "${1:-}" == "--dump-first" ]]; then
  dump="$workdir/ccus-vault-now.dump"
  pg_dump --format=custom --compress=6 --no-owner --no-privileges \
    --file="$dump" --dbname="$DATABASE_URL"
  keys_dump=""
  if [[ -n "$keys_sqlite" ]]; then
    keys_dump="$workdir/ccus-vault-keys-now.sqlite3"
    sqlite_copy "$(sqlite_path "$KEYS_URL")" "$keys_dump"
  elif [[ -n "$KEYS_URL" ]]; then
    keys_dump="$workdir/ccus-vault-keys-now.dump"
    pg_dump --format=custom --no-owner --no-privileges --file="$keys_dump" --dbname="$KEYS_URL"
  fi
else
  dump="${1:-$(newest "$BACKUP_DIR" 'ccus-vault-*.dump')}"
  keys_dump="${2:-}"
  if [[ -n "$KEYS_URL" && -z "$keys_dump" ]]; then
    keys_dump="$(newest "$KEYS_BACKUP_DIR" 'ccus-vault-keys-*')"
    keys_dump="${keys_dump%.sha256}"
  fi
fi
if [[ -z "$dump" || ! -r "$dump" ]]; then
  echo "drill=failed reason=no-dump path=${dump:-$BACKUP_DIR}" >&2
  exit 1
fi
if [[ -n "$KEYS_URL" && ( -z "$keys_dump" || ! -r "$keys_dump" ) ]]; then
  echo "drill=failed reason=no-keys-dump path=${keys_dump:-$KEYS_BACKUP_DIR}" \
    "(the firms' data keys are in a database of their own: give its dump too)" >&2
  exit 1
fi
check_sum "$dump"
[[ -z "$keys_dump" ]] || check_sum "$keys_dump"

echo "drill=restoring dump=$dump database=$drill_name"
restore_into "$DATABASE_URL" "$drill_name" "$dump"
export DATABASE_URL="$(renamed "$DATABASE_URL" "$drill_name")"
if [[ -n "$keys_sqlite" ]]; then
  cp "$keys_dump" "$workdir/keys.sqlite3"
  export VAULT_KEYS_DATABASE_URL="sqlite:///$workdir/keys.sqlite3"
elif [[ -n "$KEYS_URL" ]]; then
  restore_into "$KEYS_URL" "${drill_name}_keys" "$keys_dump"
  export VAULT_KEYS_DATABASE_URL="$(renamed "$KEYS_URL" "${drill_name}_keys")"
fi
"$PYTHON" manage.py migrate --noinput --verbosity 0
[[ -z "$KEYS_URL" ]] || "$PYTHON" manage.py migrate --database keys --noinput --verbosity 0
"$PYTHON" manage.py restore_check --sample "$SAMPLE"
echo "drill=passed dump=$dump seconds=$(( $(date +%s) - started ))"

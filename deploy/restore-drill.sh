#!/usr/bin/env bash
# Disaster drill: restore a PostgreSQL dump of CCUS Vault into a fresh database, bring its schema up
# to this code, and prove with a sample that the secrets decrypt with the keys kept apart from the
# dumps. The database named in DATABASE_URL only serves to reach the server: it is not touched.
#
#   deploy/restore-drill.sh [DUMP]        the dump to restore (default: the newest in BACKUP_DIR)
#   deploy/restore-drill.sh --dump-first  dump DATABASE_URL now (pg_dump, custom format), restore it
#
# Environment: DATABASE_URL (or ENV_FILE holding it); the keys as the application reads them (the
# environment, or VAULT_ENV_FILE, by default ENV_FILE); SAMPLE values per table (default 50);
# KEEP_DRILL_DATABASE=1 keeps the restored database for a look; PYTHON (default: .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."

ENV_FILE="${ENV_FILE:-/etc/ccus-vault/env}"
if [[ -z "${DATABASE_URL:-}" && -r "$ENV_FILE" ]]; then
  DATABASE_URL="$(sed -n 's/^DATABASE_URL=//p' "$ENV_FILE" | tail -n 1)"
fi
: "${DATABASE_URL:?Set DATABASE_URL (the server to restore on) or ENV_FILE}"
if [[ -z "${VAULT_ENV_FILE:-}" && -r "$ENV_FILE" ]]; then
  export VAULT_ENV_FILE="$ENV_FILE"
fi
PYTHON="${PYTHON:-.venv/bin/python}"
[[ -x "$PYTHON" ]] || PYTHON="$(command -v python3)"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/ccus-vault}"
SAMPLE="${SAMPLE:-50}"
started="$(date +%s)"
drill_name="${DRILL_DATABASE:-ccus_drill_$(date -u +%Y%m%d%H%M%S)}"
drill_url="$("$PYTHON" -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]);
print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$DATABASE_URL" "$drill_name")"
workdir="$(mktemp -d)"
created=""

cleanup() {
  rm -rf "$workdir"
  if [[ -n "$created" && "${KEEP_DRILL_DATABASE:-}" != "1" ]]; then
    dropdb --if-exists --maintenance-db="$DATABASE_URL" "$drill_name"
  fi
}
trap cleanup EXIT

if [[ "${1:-}" == "--dump-first" ]]; then
  dump="$workdir/ccus-vault-now.dump"
  pg_dump --format=custom --compress=6 --no-owner --no-privileges \
    --file="$dump" --dbname="$DATABASE_URL"
else
  dump="${1:-$(ls -1t "$BACKUP_DIR"/ccus-vault-*.dump 2>/dev/null | head -n 1 || true)}"
fi
if [[ -z "$dump" || ! -r "$dump" ]]; then
  echo "drill=failed reason=no-dump path=${dump:-$BACKUP_DIR}" >&2
  exit 1
fi
if [[ -r "$dump.sha256" ]]; then
  (cd "$(dirname "$dump")" && sha256sum --check --quiet "$(basename "$dump").sha256")
fi

echo "drill=restoring dump=$dump database=$drill_name"
createdb --maintenance-db="$DATABASE_URL" "$drill_name"
created=1
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$drill_url" "$dump"
DATABASE_URL="$drill_url" "$PYTHON" manage.py migrate --noinput --verbosity 0
DATABASE_URL="$drill_url" "$PYTHON" manage.py restore_check --sample "$SAMPLE"
echo "drill=passed dump=$dump seconds=$(( $(date +%s) - started ))"

#!/usr/bin/env bash
# Upgrade CCUS Vault on this host, run from the new checkout: back up, install, migrate, collect
# static files, then restart web (gracefully), worker and beat. With several hosts, run it on one
# host and `deploy/upgrade.sh --restart-only` on the others (migrations run once).
set -euo pipefail
cd "$(dirname "$0")/.."
ENV_FILE="${ENV_FILE:-/etc/ccus-vault/env}"
set -a
# shellcheck disable=SC1090
. "$ENV_FILE"
set +a
RUN_AS="${RUN_AS:-ccus-vault}"
as_service() { runuser -u "$RUN_AS" --preserve-environment -- "$@"; }

if [[ "${1:-}" != "--restart-only" ]]; then
  deploy/backup-postgres.sh
  .venv/bin/pip install --quiet --requirement requirements.txt
  as_service .venv/bin/python manage.py check --deploy --fail-level ERROR
  as_service .venv/bin/python manage.py migrate --noinput
  as_service .venv/bin/python manage.py migrate_keys
fi
as_service .venv/bin/python manage.py collectstatic --noinput --verbosity 0
# gunicorn starts new workers on the new code and lets the old ones finish their requests.
systemctl reload ccus-vault-web
# A worker finishes its task before stopping (late acknowledgement re-delivers any it loses).
systemctl restart ccus-vault-worker ccus-vault-beat
echo "upgrade=done"

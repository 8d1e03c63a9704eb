#!/usr/bin/env bash
# Upgrade CCUS Vault on this host, run from the new checkout: back up, install, migrate, collect
# static files, then restart web (gracefully), worker and beat. With several hosts, run it on one
# host and `deploy/upgrade.sh --restart-only` on the others (migrations run once).
set -euo pipefail
case "${1:-}" in
  "") full=true ;;
  --restart-only) full=false ;;
  -h | --help)
    echo "usage: deploy/upgrade.sh [--restart-only]   (as root, from the new checkout)"
    exit 0
    ;;
  *)
    echo "upgrade.sh: unknown option $1 (see --help)" >&2
    exit 2
    ;;
esac
cd "$(dirname "$0")/.."
ENV_FILE="${ENV_FILE:-/etc/ccus-vault/env}"
set -a
# shellcheck disable=SC1090
. "$ENV_FILE"
set +a
RUN_AS="${RUN_AS:-ccus-vault}"
as_service() { runuser -u "$RUN_AS" --preserve-environment -- "$@"; }

if "$full"; then
  # As the service user, like the nightly backup: the dumps in its folder all have one owner.
  as_service deploy/backup-postgres.sh
fi
# Every host installs the requirements of its checkout; the migrations run once, from one host.
.venv/bin/pip install --quiet --requirement requirements.txt
if "$full"; then
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

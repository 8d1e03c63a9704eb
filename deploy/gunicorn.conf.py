"""Gunicorn settings of CCUS Vault: the one web server of `make run` and of production."""

import multiprocessing
import os
import shutil
from pathlib import Path

# 127.0.0.1:8000 unless PORT or GUNICORN_BIND says otherwise (a reverse proxy sits in front).
bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
# The pages are CPU-bound Python: one process per core, plus one to cover a blocking query.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() + 1)
# Threads keep the connections of a proxy or a load generator open between requests.
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
worker_class = "gthread" if threads > 1 else "sync"
# A request that takes longer than this is killed and logged; uploads and backups fit well within.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle each process now and then, so a slow leak can never grow without bound; rarely, because
# a new process spends about a second of CPU loading the application (every 2,000 requests cost
# 5% of the throughput at 300 requests a second).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Each process loads the application itself, so `systemctl reload` (HUP) starts new processes on
# the new code while the old ones finish their requests.
preload_app = False
# The application logs one structured line per request; gunicorn's access log would repeat it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Whether a request came over HTTPS is Django's to decide (BEHIND_TLS_PROXY in the settings),
# not gunicorn's: gunicorn would otherwise believe X-Forwarded-Proto from any local address.
secure_scheme_headers: dict[str, str] = {}
# The heartbeat file on memory rather than disk: a slow disk never kills a healthy worker.
if Path("/dev/shm").is_dir():  # noqa: S108  (a folder of the system, not a file of ours)
    worker_tmp_dir = "/dev/shm"  # noqa: S108
# Restart on code changes during development (DEBUG=true in the .env of `make run`).
reload = os.environ.get("DEBUG", "").lower() in {"1", "true", "yes", "on"}
proc_name = "ccus-vault"
# Managed by signals (systemd, honcho): no control socket in the home folder, which is read-only
# under systemd and would be shared by two servers of one user.
control_socket_disable = True

# Prometheus counters of every process go to one folder, summed by /metrics.
METRICS_DIR = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", str(Path(__file__).resolve().parent.parent / "var" / "metrics")
)


def on_starting(server) -> None:
    """Start with an empty metrics folder: counters of a previous run are not this run's."""
    shutil.rmtree(METRICS_DIR, ignore_errors=True)
    Path(METRICS_DIR).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker) -> None:
    """Drop the live gauges of a worker process that ended."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)

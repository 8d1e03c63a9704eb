"""Load: dashboard, worker list and exact ID search under gunicorn and under runserver (wrk).

Starts each server in turn on a free loopback port against a fresh PostgreSQL database with one
firm of 5,000 workers, signs a staff member in over HTTP and runs wrk on each page. Needs
DATABASE_URL (PostgreSQL); REDIS_URL is used when set, as in production. Options:
--seconds N (per page, default 10), --connections N (default 16), --workers N (gunicorn).
"""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live import LiveServer, Visitor  # noqa: E402

WORKERS = 5_000
EMAIL, PASSWORD = "load-staff@example.jp", "load-test-password-1"
PAGES = [
    ("dashboard", "/"),
    ("worker list", "/workers/"),
    ("exact ID search", f"/workers/?q={4321:014d}"),
]


def ensure_wrk() -> str:
    """Return wrk's path, installing Debian's package when it is missing."""
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})  # fmt: skip
    return shutil.which("wrk")


def load_database_url() -> str:
    """Return the URL of a fresh database beside DATABASE_URL's, named <name>_load."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the load test runs on PostgreSQL.")
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'ccus'}_load"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def seed() -> None:
    """Create one firm with 5,000 workers and a staff member (run inside the load environment)."""
    import django

    django.setup()
    from ccus.accounts.models import Worker
    from ccus.accounts.services import company_create, refresh_derived
    from vault.auth.models import User
    from vault.firms.models import Membership, Organization

    organization = Organization.objects.create(name="負荷試験建設")
    company = company_create(organization=organization, name="負荷試験建設", ccus_id="9" * 14)
    batch = []
    for n in range(WORKERS):
        worker = Worker(
            organization=organization, company=company, name=f"技能者{n:05d}",
            name_kana=f"ギノウシャ{n:05d}", ccus_id=f"{n:014d}", password=f"pw-{n}",
            registered_email=f"w{n}@example.jp", security_code="1234",
        )  # fmt: skip
        refresh_derived(worker)
        batch.append(worker)
    Worker.objects.bulk_create(batch, batch_size=500)
    user = User.objects.create_user(EMAIL, PASSWORD)
    Membership.objects.create(user=user, organization=organization, role="staff")


def server_cpu_seconds(pgid: int) -> float:
    """Return the CPU time used so far by every process of the server's process group."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5, pgrp
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk(wrk_path: str, url: str, cookie: str, seconds: int, connections: int) -> dict:
    """Run wrk on one URL; return req/s, p50 and p99 in ms, and the count of non-2xx answers."""
    result = subprocess.run(
        [wrk_path, "--threads", "1", "--connections", str(connections),
         "--duration", f"{seconds}s", "--timeout", "5s", "--latency",
         "--header", f"Cookie: {cookie}", "--header", "X-Forwarded-Proto: https", url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    out = result.stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "rps": rate,
        "p50": ms("50%"),
        "p99": ms("99%"),
        "requests": requests,
        "bad": int(bad.group(1)) if bad else 0,
        "errors": errors.group(0) if errors else "",
    }


def py_spy(live: LiveServer, server: str, page: str, seconds: int) -> subprocess.Popen:
    """Sample the server's processes for the length of one wrk run (collapsed stacks)."""
    out = ROOT / "var" / f"profile-{server}-{page.replace(' ', '-')}.txt"
    out.parent.mkdir(exist_ok=True)
    return subprocess.Popen(
        ["py-spy", "record", "--pid", str(live.process.pid), "--subprocesses", "--format", "raw",
         "--duration", str(max(1, seconds - 1)), "--rate", "200", "--nonblocking",
         "--output", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def load_env(database_url: str, workers: int) -> dict:
    """Return the environment of the servers: production settings behind a TLS proxy."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vault.settings",
        "VAULT_ENV_FILE": os.devnull,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "VAULT_ENCRYPTION_KEYS": secrets.token_urlsafe(48),
        "VAULT_BLIND_INDEX_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "BEHIND_TLS_PROXY": "true",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(ROOT / "var" / "load-static"),
        "LOG_LEVEL": "WARNING",
    }
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    return env


def prepare(env: dict) -> None:
    """Empty Redis, migrate, collect the static files and seed the firm."""
    if env.get("REDIS_URL"):
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    for command in (
        ["manage.py", "migrate", "--noinput", "--verbosity", "0"],
        ["manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        [str(Path(__file__)), "--seed"],
    ):
        subprocess.run([sys.executable, *command], cwd=ROOT, env=env, check=True)


def measure(server: str, env: dict, args: argparse.Namespace, wrk_path: str, tmp: Path) -> dict:
    """Start one server, sign in over HTTP, and load each page with wrk; return the results."""
    live = LiveServer(env, tmp / f"{server}.log", server=server, workers=args.workers or None)
    live.start()
    results = {}
    try:
        visitor = Visitor()
        status, _headers, page = visitor.sign_in(live.url, EMAIL, PASSWORD)
        assert status == 302, f"sign-in failed on {server}: {status} {page[:2000]}"
        cookie = "; ".join(f"{k}={v}" for k, v in visitor.cookies.items())
        for name, path in PAGES:
            assert visitor.request(live.url, path)[0] == 200, (server, path)
            print(f"  {server:9} {name} ...", flush=True)
            spy = py_spy(live, server, name, args.seconds) if args.py_spy else None
            cpu = server_cpu_seconds(live.process.pid)
            result = wrk(wrk_path, live.url + path, cookie, args.seconds, args.connections)
            cpu = server_cpu_seconds(live.process.pid) - cpu
            result["cpu_ms"] = 1000 * cpu / max(result["requests"], 1)
            results[name] = result
            if spy:
                spy.wait()
    finally:
        live.stop()
    return results


def report(results: dict, servers: list[str], args: argparse.Namespace, started: str) -> None:
    """Print each page under each server beside the target."""
    redis_state = "on" if os.environ.get("REDIS_URL") else "off"
    print(
        f"\n{started}: {WORKERS:,} workers, PostgreSQL, Redis {redis_state}, "
        f"{os.cpu_count()} cores, wrk 1 thread {args.connections} connections "
        f"{args.seconds} s per page"
    )
    print(f"{'page':16} {'server':10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>11}"
          "  target: >= 300 req/s, p99 < 250 ms")  # fmt: skip
    for name, _path in PAGES:
        for server in servers:
            r = results[server][name]
            extra = f"  non-2xx: {r['bad']}" if r["bad"] else ""
            extra += f"  {r['errors']}" if r["errors"] else ""
            print(f"{name:16} {server:10} {r['rps']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f} "
                  f"{r['cpu_ms']:11.2f}{extra}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--workers", type=int, default=0, help="gunicorn workers (default: its config)"
    )
    parser.add_argument("--servers", default="runserver,gunicorn")
    parser.add_argument(
        "--py-spy", action="store_true", help="record with py-spy into var/profile-*.txt"
    )
    args = parser.parse_args()
    if args.seed:
        return seed()
    wrk_path = ensure_wrk()
    database_url = load_database_url()
    env = load_env(database_url, args.workers)
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    name = urlsplit(database_url).path.lstrip("/")
    print(f"Seeding {WORKERS:,} workers into {name} ...", flush=True)
    servers = args.servers.split(",")
    try:
        prepare(env)
        with tempfile.TemporaryDirectory() as tmp:
            results = {
                server: measure(server, env, args, wrk_path, Path(tmp)) for server in servers
            }
    finally:
        drop_database(database_url)
    report(results, servers, args, started)


if __name__ == "__main__":
    main()

"""API throughput on a list endpoint: gunicorn with production settings, a load generator in a
second process.

    .venv/bin/python benchmarks/bench_api.py [--events 2000] [--clients 50] [--duration 10]
                                             [--postgres postgres://postgres@127.0.0.1:5432]

1. a temporary SQLite database (and, with --postgres, a temporary PostgreSQL database) is
   migrated and seeded with the 2012 Work Plan and ``--events`` events;
2. gunicorn serves ``cicte.wsgi`` with ``CICTE_ENV=production`` on 127.0.0.1 (loopback only);
3. a second process opens ``--clients`` keep-alive connections (threads + http.client) and
   calls ``GET /api/events?limit=50`` with an API token for ``--duration`` seconds;
4. throughput and p50/p99 latency are printed with the machine (nproc, CPU model, date).

Nothing leaves the machine; the temporary databases are removed at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PLAN = ROOT / "src/cicte/plan/fixtures/2012-work-plan.txt"
ENDPOINT = "/api/events?limit=50"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_env(database_url: str, var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        CICTE_ENV="production",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60)[:60],
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        CICTE_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="cicte.settings",
        LOG_LEVEL="ERROR",
    )
    return env


# --- seeding (runs inside a subprocess with the benchmark's environment) -------------------


def seed(events: int) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from cicte.access.models import Membership, Role
    from cicte.accounts.services import token_create
    from cicte.core.types import SYSTEM
    from cicte.delivery.models import Event, EventTarget
    from cicte.directory.models import MemberState
    from cicte.plan.models import Target
    from cicte.plan.parsing.canonical import load_plan_file
    from cicte.plan.services import plan_import

    plan = plan_import(document=load_plan_file(PLAN).plan, actor=SYSTEM).plan
    states = list(MemberState.objects.all())
    targets = list(Target.objects.filter(plan=plan))
    rows = []
    for i in range(events):
        start = dt.date(2012, 1, 1) + dt.timedelta(days=i % 360)
        rows.append(
            Event(
                plan=plan,
                kind="workshop",
                title=f"Benchmark workshop {i}",
                start_date=start,
                end_date=start + dt.timedelta(days=2),
                status="held" if i % 3 else "planned",
                modality="national",
                host_state=states[i % len(states)],
                participants_total=20,
                participants_women=9,
                participants_men=11,
            )
        )
    created = Event.objects.bulk_create(rows, batch_size=500)
    EventTarget.objects.bulk_create(
        [EventTarget(event=e, target=targets[i % len(targets)]) for i, e in enumerate(created)],
        batch_size=500,
    )
    beneficiaries = Event.beneficiaries.through
    beneficiaries.objects.bulk_create(
        [
            beneficiaries(event_id=e.pk, memberstate_id=states[(i + 1) % len(states)].pk)
            for i, e in enumerate(created)
        ],
        batch_size=500,
    )
    user = get_user_model().objects.create_user(username="bench", password=None)
    Membership.objects.create(user=user, role=Role.SECRETARIAT)
    print(token_create(actor=user, name="benchmark").secret)


# --- load generator (runs in a second process) ---------------------------------------------


def load(port: int, token: str, clients: int, duration: float) -> None:
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    stop_at = time.perf_counter() + duration
    headers = {
        "Authorization": f"Bearer {token}",
        "X-Forwarded-Proto": "https",  # behind a TLS proxy, as in production
        "Connection": "keep-alive",
    }

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", ENDPOINT, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors[index] += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            latencies[index].append(time.perf_counter() - started)
        connection.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    samples = sorted(x for per in latencies for x in per)
    result = {
        "requests": len(samples),
        "errors": sum(errors),
        "seconds": round(elapsed, 2),
        "throughput_rps": round(len(samples) / elapsed, 1),
        "p50_ms": round(statistics.median(samples) * 1000, 1) if samples else None,
        "p99_ms": round(samples[int(len(samples) * 0.99) - 1] * 1000, 1) if samples else None,
    }
    print(json.dumps(result))


# --- orchestration -------------------------------------------------------------------------


def run_one(label: str, database_url: str, args: argparse.Namespace, var_dir: Path) -> dict:
    env = production_env(database_url, var_dir)
    subprocess.run([str(BIN / "cicte"), "migrate", "--noinput", "-v", "0"], env=env, check=True)
    seeded = subprocess.run(
        [sys.executable, __file__, "--seed", str(args.events)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    token = seeded.stdout.strip().splitlines()[-1]
    port = free_port()
    workers = str(args.workers or os.cpu_count() or 2)
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "cicte.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            workers,
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/api/plans", headers={"X-Forwarded-Proto": "https"})
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise SystemExit("gunicorn did not start")
        generator = subprocess.run(
            [
                sys.executable,
                __file__,
                "--load",
                str(port),
                token,
                str(args.clients),
                str(args.duration),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(generator.stdout.strip().splitlines()[-1])
    finally:
        server.terminate()
        server.wait(timeout=30)
    result.update(database=label, workers=int(workers), threads=args.threads)
    return result


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (nproc)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--postgres", default="", help="postgres://user@127.0.0.1:5432")
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--load", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed is not None:
        seed(args.seed)
        return
    if args.load:
        port, token, clients, duration = args.load
        load(int(port), token, int(clients), float(duration))
        return

    print(
        f"# bench_api {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC · nproc {os.cpu_count()} · "
        f"{cpu_model()} · Python {platform.python_version()}"
    )
    print(
        f"# GET {ENDPOINT} with a token · {args.events} events · {args.clients} clients · "
        f"{args.duration:.0f} s"
    )
    results = []
    tmp = Path(tempfile.mkdtemp(prefix="cicte-bench-"))
    try:
        results.append(run_one("sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}", args, tmp))
        if args.postgres:
            results.append(run_postgres(args, tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for result in results:
        print(json.dumps(result))


def run_postgres(args: argparse.Namespace, tmp: Path) -> dict:
    import psycopg

    name = f"cicte_bench_{secrets.token_hex(4)}"
    admin_url = args.postgres.rstrip("/") + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        return run_one("postgresql", args.postgres.rstrip("/") + f"/{name}", args, tmp)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()

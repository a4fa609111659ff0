"""The busy hour: Locust against gunicorn, PostgreSQL and Redis with 100,000 people on file.

What it builds (``busyhour_seed.py``): ``BUSY_HOUR_PEOPLE`` accounts (100,000),
the first ``BUSY_HOUR_DECADE_PEOPLE`` (1,000) with 10 years of daily diary and
the rest with one year, six symptoms a day, tags, the revision log and
client-id rows as the app writes them; one demo person whose demo fills the
community's seed groups; and ``BUSY_HOUR_USERS`` (100) signed-in people, half
from each group, with treatments and group memberships.

The load: 10,000 daily users who each make one visit of 12 requests a day
(check-in page ×3, check-in save ×2, history, "My progress", treatments,
community index, a thread ×2, a thread or, one time in ten, a reply) average
1.4 requests a second; the busy hour is 10× that average, 13.9 requests a
second, spread evenly over the signed-in people for ``BUSY_HOUR_SECONDS``
(180) after a warm-up. gunicorn runs as ``make run`` does (one sync worker a
core) with sessions and cache on Redis.

Reported: p95 per page (target ≤ 200 ms), failed requests (target 0), the
rate reached against the rate asked, and the database size per person-year of
diary (reported only). Skipped, saying so, when PostgreSQL or Redis does not
answer on the local ports. ``BUSY_HOUR_REUSE=1`` keeps the seeded database
between runs (seeding 100,000 people takes a while; see docs/performance.md).
"""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchmarks.databases import postgres_url, throwaway

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = int(os.environ.get("BUSY_HOUR_PEOPLE", "100000"))
DECADE_PEOPLE = int(os.environ.get("BUSY_HOUR_DECADE_PEOPLE", "1000"))
USERS = int(os.environ.get("BUSY_HOUR_USERS", "100"))
SECONDS = int(os.environ.get("BUSY_HOUR_SECONDS", "180"))
DAILY_USERS = 10_000
REQUESTS_PER_VISIT = 12
RATE = 10 * DAILY_USERS * REQUESTS_PER_VISIT / 86_400  # the busy hour: 10× the day's average
REDIS = "redis://127.0.0.1:6379/9"
LOCUST_VENV = ROOT / "var" / "locust-venv"
NAME = "bench_fibrotrack_busyhour"


def _answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _locust() -> Path:
    """Locust in a venv of its own (it brings gevent and Flask, which the app never needs), pinned."""
    binary = LOCUST_VENV / "bin" / "locust"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(LOCUST_VENV)], check=True)  # noqa: S603
        pip = [str(LOCUST_VENV / "bin" / "pip"), "install", "-q"]
        subprocess.run([*pip, "-r", str(ROOT / "benchmarks" / "busyhour-requirements.txt")], check=True)  # noqa: S603
    return binary


def _existing(server: str) -> str | None:
    """The seeded database of an earlier run, when BUSY_HOUR_REUSE=1 and it holds this many people."""
    if os.environ.get("BUSY_HOUR_REUSE") != "1":
        return None
    import psycopg

    url = urlunsplit(urlsplit(server)._replace(path=f"/{os.environ.get('BENCH_DB_PREFIX', '')}{NAME}"))
    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT count(*) FROM accounts_user WHERE email LIKE 'busy%%@example.org'").fetchone()
    except psycopg.Error:
        return None
    return url if row and row[0] == PEOPLE + 1 else None


def run() -> list[tuple[str, float, str, float]]:
    server = postgres_url()
    if server is None or not _answers(6379):
        print("  busy hour skipped: it needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379")
        return []
    locust = _locust()
    reuse = _existing(server)
    url = reuse or throwaway(NAME, server)[0]
    # Kept between runs with the database: the signed-in people the load generator uses.
    folder = str(ROOT / "var" / "busyhour")
    os.makedirs(folder, exist_ok=True)
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=url,
        REDIS_URL=REDIS,
        FIBROTRACK_VAR_DIR=folder,
        PYTHONPATH=str(ROOT),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        BUSY_HOUR_SEED="0" if reuse else "1",
        LOCUST=str(locust),
    )
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, __file__, "--child", folder], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"busy-hour benchmark failed:\n{done.stdout}")
    rows = [tuple(row) for row in json.loads(done.stdout.strip().splitlines()[-1])]
    for name, measured, unit, target in rows:
        print(f"{name:<95} {measured:8.2f} {unit:<8} (target ≤ {target:g})")
    return rows  # type: ignore[return-value]


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _child(folder: str) -> list[tuple[str, float, str, float]]:
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    from benchmarks import busyhour_seed
    from fibrotrack.lib.demo import build_demo

    people_file = Path(folder) / "people.json"
    if os.environ["BUSY_HOUR_SEED"] == "1":
        cache.clear()  # the sessions of an earlier run live in this Redis database too
        call_command("migrate", verbosity=0)
        call_command("load_reference_data", verbosity=0)
        build_demo(
            "demo-of-the-busy-hour@example.org", "not-used-for-login", days=60
        )  # fills the community's seed groups
        _log(f"  seeding {PEOPLE} people ({DECADE_PEOPLE} with 10 years of diary)...")
        seeded = busyhour_seed.seed(PEOPLE, DECADE_PEOPLE, _log)
        active = busyhour_seed.activate(seeded["first"], DECADE_PEOPLE, USERS)
        people_file.write_text(json.dumps(active))
        _log(f"  seeded in {seeded['seconds']:.0f} s")
    call_command("collectstatic", "--noinput", verbosity=0)

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM diary_checkin")
        (checkins,) = cursor.fetchone()
        cursor.execute("SELECT pg_database_size(current_database())")
        (size,) = cursor.fetchone()
    person_years = checkins / 365.25
    mb_per_person_year = size / person_years / 1e6

    port = _free_port()
    workers = os.cpu_count() or 2
    gunicorn = subprocess.Popen(  # noqa: S603 - our own interpreter
        [
            sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.py",
            "-b", f"127.0.0.1:{port}", "-w", str(workers), "--access-logfile", "/dev/null",
        ],
        cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(200):
            if _answers(port):
                break
            time.sleep(0.1)
        stats = Path(folder) / "stats"
        per_user = RATE / USERS
        command = [
            os.environ["LOCUST"], "-f", str(ROOT / "benchmarks" / "busyhour_locustfile.py"), "--headless",
            "-u", str(USERS), "-r", str(max(1, USERS // 10)), "-t", f"{SECONDS}s", "--host", f"http://127.0.0.1:{port}",
            "--csv", str(stats), "--only-summary", "--loglevel", "WARNING",
        ]  # fmt: skip
        load_env = {"PATH": os.environ["PATH"], "BUSY_HOUR_PEOPLE_FILE": str(Path(folder) / "people.json")}
        # Half a minute of warm-up at the same rate (caches, connections, the workers' imports), then the measured run.
        warm = [*command[:9], "30s", *command[10:]]
        subprocess.run(warm, env={**load_env, "BUSY_HOUR_RATE": str(per_user)}, check=False, capture_output=True)  # noqa: S603
        subprocess.run(command, env={**load_env, "BUSY_HOUR_RATE": str(per_user)}, check=False, capture_output=True)  # noqa: S603
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)

    with open(f"{stats}_stats.csv", newline="") as handle:
        table = list(csv.DictReader(handle))
    scale = f"{PEOPLE:,} people, {DECADE_PEOPLE:,} with 10 years"
    rows: list[tuple[str, float, str, float]] = []
    total = next(r for r in table if r["Name"] == "Aggregated")
    for row in table:
        if row["Name"] == "Aggregated":
            continue
        rows.append(
            (
                f"busy hour ({scale}): {row['Name']} p95 ({row['Request Count']} requests)",
                float(row["95%"]),
                "ms",
                200.0,
            )
        )
    failures = float(total["Failure Count"])
    reached = float(total["Requests/s"])
    rows += [
        (f"busy hour ({scale}): failed requests of {total['Request Count']}", failures, "errors", 0.0),
        (f"busy hour: rate asked ({RATE:.1f}/s) ÷ rate reached ({reached:.1f}/s)", RATE / reached if reached else 99.0, "ratio", 1.05),
        (f"busy hour: database size per person-year of diary ({size / 1e9:.1f} GB, {person_years:,.0f} person-years)", mb_per_person_year, "MB", float("inf")),
    ]  # fmt: skip
    return rows


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2])))
    else:
        run()

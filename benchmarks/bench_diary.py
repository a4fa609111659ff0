"""Diary benchmarks: saving a check-in under the production server, and the history page.

``run()`` returns ``[(name, measured, unit, target), ...]`` (lower is better;
throughput ratios are reported as their shortfall, see below) for SQLite and,
when a server answers on 127.0.0.1:5432, PostgreSQL, in the same run.

What is measured, per database:

* gunicorn with ``config/gunicorn.py`` (sync workers, one per core) serves the
  real app plus reference views from ``bench_urls.py``. A load generator
  on loopback (``wrk`` when installed, else a threaded Python client) keeps 16
  connections busy for a fixed time against each of:

  - ``bench/ok/``: a bare "ok";
  - ``bench/one-row/``: logged in, CSRF-checked, a one-field form, one INSERT;
  - ``diary/day/<date>/``: the full check-in save (every tracked symptom,
    hours slept, 5 body-map regions, 3 tags and a note), spread over 200
    past days. Each pass over the days sends the other of two bodies that
    differ in every answer, so the first pass creates each day and every
    later one is a real edit with its revision row (``_pick``).

  Target: the check-in's p95 latency at 16 connections ≤ 100 ms. Reported
  only: requests/s of each, the check-in's throughput ratio to the one-row
  view and to "ok" (the old "≥ 0.5 of the one-row view" target is retired),
  and the workers' CPU time per request of each, which explains the
  throughput when the machine's speed wanders between runs.
* What a signed-in page pays for its session and its person: the median
  server time of ``bench/who/`` signed in minus anonymous, in-process
  through Django's test client (target ≤ 1 ms), and the signed-in request's
  queries.
* The history page of a person with 10 years of daily data: median server
  time over 25 requests through Django's test client, and its query count
  compared with a person who has 1 year (they must be equal).

Each database run happens in a child process with a throwaway database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from benchmarks.databases import postgres_url, throwaway

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 16
DURATION = int(os.environ.get("BENCH_SECONDS", "8"))
HISTORY_REQUESTS = 25
CHECKIN_DAYS = 200
WHO_REQUESTS = 500
WRK_THREADS = 2


def _pick(seq: int, paths: list[str], bodies: list[str]) -> tuple[str, str]:
    """Request ``seq``: the days in turn, and the next body on each pass over them.

    With two bodies the first pass creates every day and each later pass edits
    every answer of it, so the load is inserts and real edits, each with its
    revision row, never a re-submit that changes nothing.
    """
    return paths[seq % len(paths)], bodies[(seq // len(paths)) % len(bodies)] if bodies else ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the child: seeds, serves and measures one database ----------------------


def _seed_history(user, days: int) -> None:  # type: ignore[no-untyped-def]
    from fibrotrack.diary.models import CheckIn, SymptomScore
    from fibrotrack.lib.dates import diary_day

    rng = random.Random(days)  # noqa: S311 - benchmark data
    symptoms = list(user.symptoms.all())
    end = diary_day(user) - dt.timedelta(days=1)
    checkins = [
        CheckIn(user=user, day=end - dt.timedelta(days=i), hours_slept=rng.choice([5, 6, 7, 8]), note="")
        for i in range(days)
        if rng.random() > 0.1
    ]
    CheckIn.objects.bulk_create(checkins, batch_size=500)
    saved = CheckIn.objects.filter(user=user).values_list("pk", flat=True)
    SymptomScore.objects.bulk_create(
        [SymptomScore(checkin_id=pk, symptom=s, value=rng.randint(0, 10)) for pk in saved for s in symptoms],
        batch_size=1000,
    )


def _history(client, url: str) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(HISTORY_REQUESTS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return statistics.median(times), len(captured)


def _signed_in_overhead(user) -> tuple[float, float, float, int]:  # type: ignore[no-untyped-def]
    """``bench/who/`` signed in and anonymous, interleaved: the median time of each, the difference of
    their median CPU times (this process only: steadier on a busy machine), and the signed-in queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    url = "/bench/who/"
    signed_in, anonymous = Client(), Client()
    signed_in.force_login(user)
    for client, expected in ((signed_in, b"ok"), (anonymous, b"anonymous")):
        for _ in range(20):  # warm: imports, the connection, the cached session
            assert client.get(url).content == expected
    times: dict[str, list[float]] = {"signed in": [], "anonymous": []}
    cpu: dict[str, list[float]] = {"signed in": [], "anonymous": []}
    for _ in range(WHO_REQUESTS):
        for name, client in (("signed in", signed_in), ("anonymous", anonymous)):
            started, cpu_started = time.perf_counter(), time.process_time()
            client.get(url)
            times[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((time.process_time() - cpu_started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        signed_in.get(url)
    cpu_ms = statistics.median(cpu["signed in"]) - statistics.median(cpu["anonymous"])
    return statistics.median(times["signed in"]), statistics.median(times["anonymous"]), cpu_ms, len(captured)


def _wrk(port: int, path_list: list[str], bodies: list[str], headers: dict[str, str], folder: str) -> dict[str, float]:
    """``wrk`` POSTs ``bodies`` (GETs when empty); see ``_pick`` for which path and body each request takes."""
    lua = Path(folder) / "bench.lua"
    paths = ", ".join(json.dumps(p) for p in path_list)
    body_list = ", ".join(json.dumps(b) for b in bodies)
    header_lines = "\n".join(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items())
    lua.write_text(
        f"""
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
paths = {{{paths}}}
bodies = {{{body_list}}}
counter = 0
{header_lines}
request = function()
  -- The same sequence as _pick: the two threads interleave, so no day is saved twice at once.
  local seq = counter * {WRK_THREADS} + id
  counter = counter + 1
  if #bodies == 0 then
    return wrk.format("GET", paths[(seq % #paths) + 1])
  end
  local body = bodies[(math.floor(seq / #paths) % #bodies) + 1]
  return wrk.format("POST", paths[(seq % #paths) + 1], nil, body)
end
done = function(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
  io.write(string.format("RESULT %d %d %f %f\\n", summary.requests, bad, summary.duration, latency:percentile(95)))
end
"""
    )
    out = subprocess.run(  # noqa: S603 - wrk from the system, our own script
        [
            shutil.which("wrk") or "wrk",
            f"-t{WRK_THREADS}",
            f"-c{CLIENTS}",
            f"-d{DURATION}s",
            "-s",
            str(lua),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=DURATION + 30,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    _, requests, bad, micros, p95 = line.split()
    return {"rps": int(requests) / (float(micros) / 1e6), "errors": int(bad), "p95_ms": float(p95) / 1000}


def _python_load(port: int, path_list: list[str], bodies: list[str], headers: dict[str, str]) -> dict[str, float]:
    """Fallback load generator: 16 threads, one request at a time each (closed loop)."""
    import http.client
    import itertools

    stop = time.perf_counter() + DURATION
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    sequence = itertools.count()  # thread-safe in CPython: each request takes the next number

    def client() -> None:
        mine: list[float] = []
        while time.perf_counter() < stop:
            path, body = _pick(next(sequence), path_list, bodies)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            started = time.perf_counter()
            conn.request("POST" if body else "GET", path, body=body or None, headers=headers)
            status = conn.getresponse().status
            mine.append((time.perf_counter() - started) * 1000)
            conn.close()
            if status >= 400:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "errors": errors[0],
        "p95_ms": latencies[int(len(latencies) * 0.95)] if latencies else float("nan"),
    }


def _server_cpu_seconds(master: int) -> float:
    """CPU time used so far by gunicorn's workers (Linux; 0 elsewhere): what each request costs the server."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        total = 0
        for pid in children:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return 0.0


def _probe(port: int, path: str, body: str, headers: dict[str, str]) -> None:
    """One request before the load, so that a 403 or a login redirect cannot pass as throughput."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", path, body=body, headers=headers)
    response = conn.getresponse()
    location = response.getheader("Location", "")
    if response.status != 302 or "login" in location:
        raise RuntimeError(f"POST {path} answered {response.status} {location}: {response.read()[:300]!r}")
    conn.close()


def _measure(vendor: str, folder: str) -> list[tuple[str, float, str, float]]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from fibrotrack.diary.actions import do_add_tag
    from fibrotrack.diary.regions import REGIONS
    from fibrotrack.lib.dates import diary_day
    from fibrotrack.lib.testing.factories import UserFactory

    call_command("migrate", verbosity=0)
    call_command("migrate", "--run-syncdb", verbosity=0)  # the bench app's table, after the users table
    call_command("load_reference_data", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)

    # History: 10 years against 1 year, same query count.
    decade, year = UserFactory(email="decade@example.org"), UserFactory(email="year@example.org")
    _seed_history(decade, 3650)
    _seed_history(year, 365)
    history_url = "/diary/history/?period=365"
    client = Client()
    client.force_login(decade)
    history_ms, decade_queries = _history(client, history_url)
    client.force_login(year)
    _, year_queries = _history(client, history_url)

    # The writer: a logged-in session and a CSRF cookie, as a browser would have.
    writer = UserFactory(email="writer@example.org")
    tags = [do_add_tag(writer, name).pk for name in ("stress", "poor sleep", "overexertion")]
    writer_client = Client()
    writer_client.force_login(writer)
    session = writer_client.cookies["sessionid"].value
    csrf = "b" * 32
    headers = {
        "Cookie": f"sessionid={session}; csrftoken={csrf}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    symptoms = list(writer.symptoms.all())

    def checkin_body(shift: int, hours: str, note: str, regions: slice) -> str:
        fields = [(f"s_{s.pk}", str((i + shift) % 11)) for i, s in enumerate(symptoms)]
        fields += [("hours_slept", hours), ("note", note)]
        fields += [("pain_regions", r.code) for r in REGIONS[regions]]
        fields += [("tags", str(pk)) for pk in tags]
        return urllib.parse.urlencode([("csrfmiddlewaretoken", csrf), *fields])

    # Every symptom, hours slept, 5 body areas, 3 tags and a note; the second
    # body changes every one of those answers, so a revisit is a real edit.
    checkin_bodies = [
        checkin_body(0, "6.5", "Tired after the school run; better after a rest.", slice(0, 5)),
        checkin_body(3, "5", "Woke at 3 and could not get back to sleep.", slice(5, 10)),
    ]
    today = diary_day(writer)
    checkin_paths = [f"/diary/day/{today - dt.timedelta(days=i)}/" for i in range(CHECKIN_DAYS)]
    probe_paths = [f"/diary/day/{today - dt.timedelta(days=i)}/" for i in (CHECKIN_DAYS + 1, CHECKIN_DAYS + 2)]
    one_row_body = urllib.parse.urlencode([("csrfmiddlewaretoken", csrf), ("text", "one row")])

    who_signed_in, who_anonymous, who_cpu, who_queries = _signed_in_overhead(writer)

    # Sanity: the check-in body really saves (a 302 back to the day), so the load measures saves.
    probe = writer_client.post(probe_paths[0], checkin_bodies[0], content_type="application/x-www-form-urlencoded")
    assert probe.status_code == 302, probe.content[:500]

    port = _free_port()
    workers = int(os.environ.get("BENCH_WORKERS", "0")) or os.cpu_count() or 2
    server = subprocess.Popen(  # noqa: S603 - our own interpreter
        [
            sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.py",
            "-b", f"127.0.0.1:{port}", "-w", str(workers), "--access-logfile", "/dev/null",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        generator = "wrk" if shutil.which("wrk") else "python"
        _probe(port, "/bench/one-row/", one_row_body, headers)
        _probe(port, probe_paths[1], checkin_bodies[0], headers)

        def load(paths: list[str], bodies: list[str]) -> dict[str, float]:
            cpu = _server_cpu_seconds(server.pid)
            if generator == "wrk":
                result = _wrk(port, paths, bodies, headers, folder)
            else:
                result = _python_load(port, paths, bodies, headers)
            requests = result["rps"] * DURATION
            result["cpu_ms"] = (_server_cpu_seconds(server.pid) - cpu) * 1000 / requests if requests else 0.0
            return result

        load(["/bench/ok/"], [])  # warm up the workers' connections and imports
        ok = load(["/bench/ok/"], [])
        one_row = load(["/bench/one-row/"], [one_row_body])
        checkin = load(checkin_paths, checkin_bodies)
    finally:
        server.terminate()
        server.wait(timeout=30)

    from fibrotrack.diary.models import CheckIn, CheckInRevision

    saved = CheckIn.objects.filter(user=writer).count()
    edits = CheckInRevision.objects.filter(user=writer, action=CheckInRevision.Action.UPDATED).count()
    errors = int(ok["errors"] + one_row["errors"] + checkin["errors"])
    print(
        f"  [{vendor}] {generator}, {workers} sync workers, {CLIENTS} clients, {DURATION} s each: "
        f"ok {ok['rps']:.0f}/s, one-row {one_row['rps']:.0f}/s, check-in {checkin['rps']:.0f}/s "
        f"(server CPU per request: {ok['cpu_ms']:.2f} / {one_row['cpu_ms']:.2f} / {checkin['cpu_ms']:.2f} ms) "
        f"(p95 {checkin['p95_ms']:.1f} ms, one-row p95 {one_row['p95_ms']:.1f} ms; {saved} days created, {edits} edits logged; {errors} errors); "
        f"history queries 10 y {decade_queries} vs 1 y {year_queries}",
        file=sys.stderr,
    )
    if errors:
        raise RuntimeError(f"{errors} requests failed during the load test")
    ratio_floor = checkin["rps"] / one_row["rps"]
    ratio_ok = checkin["rps"] / ok["rps"]
    overhead = (
        f"{who_signed_in:.2f} vs {who_anonymous:.2f} ms; CPU {who_cpu:.2f} ms;"
        f" {who_queries} quer{'y' if who_queries == 1 else 'ies'}"
    )
    return [
        (f"[{vendor}] check-in save p95 latency at {CLIENTS} connections", checkin["p95_ms"], "ms", 100.0),
        (f"[{vendor}] signed-in page: session and person, in-process median ({overhead})", who_signed_in - who_anonymous, "ms", 1.0),
        (f"[{vendor}] check-in save ÷ one-row view (throughput ratio, reported only)", ratio_floor, "ratio", float("inf")),
        (f"[{vendor}] check-in save ÷ bare ok view (throughput ratio, reported only)", ratio_ok, "ratio", float("inf")),
        (f"[{vendor}] history page, 10 years of data (median)", history_ms, "ms", 150.0),
        (f"[{vendor}] history page queries, 10 years minus 1 year", float(decade_queries - year_queries), "queries", 0.0),
    ]  # fmt: skip


def run() -> list[tuple[str, float, str, float]]:
    rows: list[tuple[str, float, str, float]] = []
    vendors = ["sqlite"] + (["postgres"] if postgres_url() else [])
    for vendor in vendors:
        url, folder = throwaway("bench_fibrotrack_diary", postgres_url() if vendor == "postgres" else None)
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="benchmarks.bench_settings",
            DATABASE_URL=url,
            FIBROTRACK_VAR_DIR=folder,
            PYTHONPATH=str(ROOT),
            DEBUG="0",
            ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        )
        env.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
        done = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, __file__, "--child", vendor, folder],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        sys.stderr.write(done.stderr)
        if done.returncode != 0:
            raise RuntimeError(f"diary benchmark on {vendor} failed:\n{done.stdout}\n{done.stderr}")
        rows += [tuple(row) for row in json.loads(done.stdout.strip().splitlines()[-1])]  # type: ignore[misc]
        shutil.rmtree(folder, ignore_errors=True)
    for name, measured, unit, target in rows:
        verdict = "ok" if measured <= target else "OVER TARGET"
        print(f"{name:<95} {measured:8.2f} {unit:<8} (target ≤ {target:g}) {verdict}")
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(_measure(sys.argv[2], sys.argv[3])))
    else:
        run()

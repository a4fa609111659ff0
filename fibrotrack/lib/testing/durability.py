"""The kill -9 durability run (``make durability``): every acknowledged save survives a crash.

Starts gunicorn on a loopback port with its own database (SQLite in a temporary
directory, or on the PostgreSQL server of ``DURABILITY_DATABASE_URL`` a database
of its own that it creates and drops: ``make durability-postgres``),
lets a few clients save check-ins as fast as they can, kills the whole server
with SIGKILL in the middle of the load, starts it again on the same database
and checks that every save the server acknowledged (a 302 after the POST) is
stored with the note that was sent. Bounded: a few clients, a capped number of
saves each, a load of a few seconds and a hard overall time limit. Loopback
only: the server binds 127.0.0.1 and the clients talk to nothing else.

Exit status 0 when every acknowledged save is there; 1 with the missing ones listed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HOST = "127.0.0.1"

SETUP = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from django.utils import timezone
from fibrotrack.accounts.models import User
from fibrotrack.diary.actions import do_setup_symptoms
from fibrotrack.diary.defaults import DEFAULT_SYMPTOMS
out = []
for n in range(int(sys.argv[1])):
    user = User.objects.create_user(email=f"durable{n}@example.org", password=None)
    user.display_name = f"Durable{n}"
    user.onboarded_at = timezone.now()
    user.save()
    do_setup_symptoms(user, [s.key for s in DEFAULT_SYMPTOMS])
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    pain = user.symptoms.get(key="pain").pk
    out.append({"user": user.pk, "session": session.session_key, "pain": pain})
print(json.dumps(out))
"""

CHECK = """
import json, sys
import django
django.setup()
from fibrotrack.diary.models import CheckIn
acked = json.load(sys.stdin)
missing = []
for user, day, note in acked:
    if not CheckIn.objects.filter(user_id=user, day=day, note=note).exists():
        missing.append([user, day, note])
print(json.dumps(missing))
"""


@dataclass
class Client:
    user: int
    session: str
    pain: int
    acked: list[tuple[int, str, str]] = field(default_factory=list)
    errors: int = 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _python(code: str, env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", code, *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout.strip().splitlines()[-1]


def _start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603
        [str(gunicorn), "config.wsgi", "-c", "config/gunicorn.py", "-b", f"{HOST}:{port}", "-w", "2"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the kill takes the workers too
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz/")
            if conn.getresponse().status < 500:
                return server
        except OSError:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGKILL)
    raise SystemExit("the server did not start: see " + str(log))


def _save_loop(client: Client, port: int, stop: threading.Event, max_saves: int, today: dt.date) -> None:
    csrf = secrets.token_hex(16)  # 32 characters: Django accepts it as the cookie's secret and the form's token
    cookie = f"sessionid={client.session}; csrftoken={csrf}"
    for n in range(max_saves):
        if stop.is_set():
            return
        day = (today - dt.timedelta(days=n + 1)).isoformat()
        note = f"durable {client.user} {n} {secrets.token_hex(4)}"
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, f"s_{client.pain}": str(n % 11), "note": note})
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request(
                "POST",
                f"/diary/day/{day}/",
                body=body,
                headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
            )
            response = conn.getresponse()
            response.read()
        except OSError:
            client.errors += 1  # the server died under us: this save was never acknowledged
            continue
        if response.status == 302:
            client.acked.append((client.user, day, note))
        else:
            client.errors += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--max-saves", type=int, default=150, help="per client")
    parser.add_argument("--load-seconds", type=float, default=4.0, help="before the kill")
    parser.add_argument("--time-limit", type=float, default=120.0)
    args = parser.parse_args()
    started = time.monotonic()
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.alarm(int(args.time_limit))  # a hard bound on the whole run; the servers are killed on the way out
    with (
        tempfile.TemporaryDirectory(prefix="fibrotrack-durability-") as tmp,
        _database(os.environ.get("DURABILITY_DATABASE_URL", ""), f"sqlite:///{tmp}/durability.sqlite3") as url,
    ):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "FIBROTRACK_VAR_DIR": tmp,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": url,
            "PYTHONPATH": str(ROOT),
        }
        env.pop("REDIS_URL", None)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True, timeout=180)  # noqa: S603
        subprocess.run([*manage, "load_reference_data"], env=env, cwd=ROOT, check=True, timeout=60)  # noqa: S603
        clients = [Client(**c) for c in json.loads(_python(SETUP, env, str(args.clients)))]
        port = _free_port()
        log = Path(tmp) / "gunicorn.log"
        server = _start_server(env, port, log)
        try:
            acked, errors, missing = _run(env, port, log, server, clients, args)
        finally:
            _kill(server)
    seconds = time.monotonic() - started
    print(
        f"durability: {len(acked)} acknowledged saves from {len(clients)} clients, "
        f"{errors} refused or cut off by the kill, {len(missing)} lost ({seconds:.0f} s)"
    )
    if not acked:
        print("durability: no save was acknowledged before the kill: the run proves nothing")
        return 1
    for user, day, note in missing:
        print(f"  lost: user {user}, {day}: {note!r}")
    return 1 if missing else 0


@contextlib.contextmanager
def _database(server_url: str, sqlite_url: str) -> Iterator[str]:
    """The run's database URL: ``sqlite_url``, or a new database on ``server_url``'s PostgreSQL, dropped after.

    A database of its own each run, so that a second run (or CI's) never meets
    the users of the first, and the run never touches the database it was pointed at.
    """
    if not server_url:
        yield sqlite_url
        return
    import psycopg  # only for the PostgreSQL run
    from psycopg import sql

    parts = urllib.parse.urlsplit(server_url)
    name = f"fibrotrack_durability_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _out_of_time(signum: int, frame: object) -> None:
    raise TimeoutError("the durability run took longer than its time limit")


def _kill(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def _run(
    env: dict[str, str],
    port: int,
    log: Path,
    server: subprocess.Popen[bytes],
    clients: list[Client],
    args: argparse.Namespace,
) -> tuple[list[tuple[int, str, str]], int, list[list[object]]]:
    today = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)  # safely "not in the future" in any zone
    stop = threading.Event()
    threads = [
        threading.Thread(target=_save_loop, args=(c, port, stop, args.max_saves, today), daemon=True) for c in clients
    ]
    for t in threads:
        t.start()
    # Kill mid-load: after load_seconds, or sooner, once half the capped saves
    # are acknowledged, so that a fast machine does not finish the load first.
    deadline = time.monotonic() + args.load_seconds
    half = len(clients) * args.max_saves // 2
    while time.monotonic() < deadline and sum(len(c.acked) for c in clients) < half:
        time.sleep(0.02)
    if not any(t.is_alive() for t in threads):
        raise SystemExit("durability: every client had finished before the kill; the run proves nothing")
    _kill(server)  # mid-load, no warning, workers included
    stop.set()
    for t in threads:
        t.join(timeout=10)
    acked = [a for c in clients for a in c.acked]
    restarted = _start_server(env, port, log)  # the restart must open the database as the crash left it
    try:
        missing = json.loads(_python(CHECK, env, stdin=json.dumps(acked)))
    finally:
        _kill(restarted)
    return acked, sum(c.errors for c in clients), missing


if __name__ == "__main__":
    raise SystemExit(main())

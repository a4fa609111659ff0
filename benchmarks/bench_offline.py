"""Offline check-in benchmark: what the check-in page costs a phone's connection, first and repeat load.

The real app (production settings: hashed, pre-compressed static files that
WhiteNoise serves with brotli/gzip) under gunicorn, opened in Chromium
(Playwright) by a signed-in person with six tracked symptoms. Chromium's
DevTools Network events give each request's ``encodedDataLength`` (bytes on
the wire, headers included) and whether the service worker answered it.

* First load (empty cache, no service worker yet): every byte of the HTML,
  CSS and JS. Target ≤ 60 KB. Everything else the page fetched (icons, the
  manifest) is reported only.
* Repeat load, once the service worker runs: the bytes of the page's requests
  that the worker did not answer. Target ≤ 5 KB. The worker itself fetches the
  HTML from the network first (so the page is never stale when online); those
  bytes are not the page's requests, so a byte-counting proxy between Chromium
  and the server reports the whole repeat load on the wire as well (reported
  only).

Runs in a child process with a throwaway SQLite database and static root.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.databases import throwaway

ROOT = Path(__file__).resolve().parent.parent
KB = 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _CountingProxy:
    """A TCP proxy on loopback that counts the bytes the server sends to the browser."""

    def __init__(self, target: int) -> None:
        self.target, self.received = target, 0
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, count: bool) -> None:
        try:
            while data := source.recv(65536):
                if count:
                    with self.lock:
                        self.received += len(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


def _load(page: Any, cdp: Any, url: str) -> list[dict[str, Any]]:
    """Navigate to ``url``; each request's type, URL, bytes on the wire and whether the worker answered."""
    requests: dict[str, dict[str, Any]] = {}

    def response(event: dict[str, Any]) -> None:
        r = event["response"]
        requests[event["requestId"]] = {"type": event["type"], "url": r["url"], "sw": r.get("fromServiceWorker", False)}

    def finished(event: dict[str, Any]) -> None:
        requests.setdefault(event["requestId"], {"type": "?", "url": "?", "sw": False})["bytes"] = event[
            "encodedDataLength"
        ]

    cdp.on("Network.responseReceived", response)
    cdp.on("Network.loadingFinished", finished)
    page.goto(url, wait_until="networkidle")
    time.sleep(0.5)
    cdp.remove_listener("Network.responseReceived", response)
    cdp.remove_listener("Network.loadingFinished", finished)
    # data: URLs (an SVG inside the stylesheet) never touch the network.
    return [r | {"bytes": r.get("bytes", 0)} for r in requests.values() if not r["url"].startswith("data:")]


KEPT = """async () => {
  await navigator.serviceWorker.ready;
  for (let i = 0; i < 100; i++) {
    for (const name of await caches.keys())
      if (name.startsWith("ft-pages-") && await (await caches.open(name)).match(location.href)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}"""


def _measure() -> list[tuple[str, float, str, float]]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from playwright.sync_api import sync_playwright

    from fibrotrack.lib.testing.browser import CHROMIUM, CHROMIUM_ARGS
    from fibrotrack.lib.testing.factories import UserFactory

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    person = UserFactory(email="phone@example.org")
    client = Client()
    client.force_login(person)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value

    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.py",
         "-b", f"127.0.0.1:{port}", "-w", "1", "--access-logfile", "/dev/null"],
        cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        proxy = _CountingProxy(port)
        base = f"http://127.0.0.1:{proxy.port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 390, "height": 844})
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            first = _load(page, cdp, base + "/diary/")
            if not page.evaluate(KEPT):
                raise RuntimeError("the service worker did not keep the check-in page")
            before = proxy.received
            repeat = _load(page, cdp, base + "/diary/")
            time.sleep(0.5)
            wire = proxy.received - before
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)

    shell = [r for r in first if r["type"] in {"Document", "Stylesheet", "Script"}]
    other = [r for r in first if r not in shell]
    network = [r for r in repeat if not r["sw"]]
    for name, rows in (("first load", first), ("repeat load", repeat)):
        for r in rows:
            path = r["url"].split("/", 3)[-1]
            print(
                f"  {name}: {r['type']:<10} {r['bytes']:>7} B {'(worker)' if r['sw'] else '':<9} /{path}",
                file=sys.stderr,
            )
    return [
        ("check-in first load: HTML + CSS + JS on the wire", sum(r["bytes"] for r in shell) / KB, "KB", 60.0),
        ("check-in first load: icons, manifest and the rest (reported only)", sum(r["bytes"] for r in other) / KB, "KB", float("inf")),
        ("check-in repeat load: the page's requests the service worker did not answer", sum(r["bytes"] for r in network) / KB, "KB", 5.0),
        ("check-in repeat load: all bytes on the wire, the worker's network-first HTML included (reported only)", wire / KB, "KB", float("inf")),
    ]  # fmt: skip


def run() -> list[tuple[str, float, str, float]]:
    url, folder = throwaway("bench_fibrotrack_offline")
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=url,
        FIBROTRACK_VAR_DIR=folder,
        PYTHONPATH=str(ROOT),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_ALLOW_ASYNC_UNSAFE="true",
    )
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, __file__, "--child"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    sys.stderr.write(done.stderr)
    shutil.rmtree(folder, ignore_errors=True)
    if done.returncode != 0:
        raise RuntimeError(f"offline benchmark failed:\n{done.stdout}\n{done.stderr}")
    rows = [tuple(row) for row in json.loads(done.stdout.strip().splitlines()[-1])]
    for name, measured, unit, target in rows:
        verdict = "ok" if measured <= target else "OVER TARGET"
        print(f"{name:<95} {measured:8.2f} {unit:<8} (target ≤ {target:g}) {verdict}")
    return rows  # type: ignore[return-value]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(_measure()))
    else:
        run()

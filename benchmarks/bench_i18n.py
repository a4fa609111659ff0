"""Translation's cost: the check-in page's server time in Spanish (and with US conventions) against English.

A signed-in person with the six default symptoms and a treatment opens today's check-in through
Django's test client, in English and in Spanish (Accept-Language) in turn, ``REQUESTS`` times each,
after a warm-up (the catalogues load once per process). Target: the Spanish median at most 5 % above
the English one. The compiled catalogues must exist (``make bench`` compiles them first).

Runs in a child process with a throwaway SQLite database.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.databases import throwaway

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = int(os.environ.get("BENCH_I18N_REQUESTS", "200"))


def _child() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from fibrotrack.lib.reference import load_all
    from fibrotrack.lib.testing.factories import UserFactory
    from fibrotrack.treatments.tests.helpers import start

    call_command("migrate", verbosity=0)
    load_all()
    user = UserFactory(email="bench-i18n@example.org")
    start(user, "magnesium", amount="300")
    client = Client()
    client.force_login(user)
    # en-US: English with the region's conventions (month-first dates, Sunday weeks, US units: lib/l10n.py).
    languages = ("en", "es", "en-US")
    headers = {language: {"HTTP_ACCEPT_LANGUAGE": language, "SERVER_NAME": "localhost"} for language in languages}
    for language, extra in headers.items():
        for _ in range(10):
            page = client.get("/diary/", **extra)
            assert page.status_code == 200, page.status_code
        assert ("¿Dónde te duele?" in page.content.decode()) == (language == "es")
    times: dict[str, list[float]] = {language: [] for language in languages}
    for _ in range(REQUESTS):
        for language, extra in headers.items():  # interleaved: a busy machine slows both alike
            started = time.perf_counter()
            client.get("/diary/", **extra)
            times[language].append((time.perf_counter() - started) * 1000)
    print(json.dumps({k: statistics.median(v) for k, v in times.items()}))


def run() -> list[tuple[str, float, str, float]]:
    url, folder = throwaway("bench_i18n")
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.test_settings", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_i18n", "--child"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    ).stdout
    medians = json.loads(out.strip().splitlines()[-1])
    extra = (medians["es"] / medians["en"] - 1) * 100
    region = (medians["en-US"] / medians["en"] - 1) * 100
    print(
        f"   check-in page median: en {medians['en']:.1f} ms, es {medians['es']:.1f} ms ({extra:+.1f} %), "
        f"en-US {medians['en-US']:.1f} ms ({region:+.1f} %)"
    )
    return [
        ("i18n: check-in page in English, median server time (reported only)", medians["en"], "ms", float("inf")),
        ("i18n: check-in page in Spanish, time added to the English median", max(extra, 0.0), "%", 5.0),
        ("i18n: check-in page with US conventions, time added to the English median", max(region, 0.0), "%", 5.0),
    ]


if __name__ == "__main__" and "--child" in sys.argv:
    _child()

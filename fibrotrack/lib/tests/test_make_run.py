"""`make run PORT=… HOST=…`: e-mails and `make demo` name the address the server really uses."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def dry_run(*args: str, env: dict[str, str] | None = None) -> str:
    """The commands `make -n` would run (nothing is run), from a clean environment."""
    base = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT)}
    completed = subprocess.run(  # noqa: S603  (fixed arguments)
        ["make", "-n", "--no-print-directory", "-C", str(ROOT), *args],  # noqa: S607
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        check=True,
    )
    return completed.stdout


def test_make_run_derives_site_root_from_host_and_port():
    out = dry_run("run", "PORT=8123", "HOST=localhost")
    assert "SITE_ROOT='http://localhost:8123'; export SECRET_KEY SITE_ROOT" in out
    assert "-b localhost:8123" in out
    assert "echo 'http://localhost:8123' > var/site_root" in out


def test_make_run_keeps_a_site_root_that_is_set():
    out = dry_run("run", "PORT=8123", env={"SITE_ROOT": "https://fibro.example.org"})
    assert "SITE_ROOT='https://fibro.example.org'" in out
    assert "http://127.0.0.1:8123'" not in out


def test_make_demo_prints_the_port_it_is_given_or_the_running_servers():
    assert 'SITE_ROOT="http://127.0.0.1:9001" .venv/bin/fibrotrack demo' in dry_run("demo", "PORT=9001")
    # Given nothing, the address the last `make run` wrote (its own default only without one).
    assert "SITE_ROOT=\"$(cat var/site_root 2>/dev/null || echo 'http://127.0.0.1:8000')\"" in dry_run("demo")


def test_the_demo_command_prints_the_configured_site_root(settings, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    from fibrotrack.lib.management.commands import demo

    settings.SITE_ROOT = "http://192.168.1.5:8123/"
    monkeypatch.setattr(demo, "load_all", lambda: None)
    monkeypatch.setattr(
        demo, "build_demo", lambda email, password, days: (type("U", (), {"get_username": lambda self: email})(), [])
    )
    out = StringIO()
    call_command("demo", "--password", "x", stdout=out)
    assert "Log in at http://192.168.1.5:8123/accounts/login/ with" in out.getvalue()


def test_the_readme_documents_port_host_and_site_root():
    readme = (ROOT / "README.md").read_text()
    assert "make run PORT=" in readme and "HOST=" in readme
    assert "SITE_ROOT" in readme and "proxy" in readme

"""Production settings pass Django's deployment checklist with no warnings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    full_env.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "config.manage", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="config.production",
        SECRET_KEY="a-long-random-production-secret-" + "k8Zq2" * 10,
        ALLOWED_HOSTS="fibrotrack.example.org",
        FIBROTRACK_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_settings_are_not_deployable(tmp_path):
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="short",
        FIBROTRACK_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS


def test_environment_helpers_parse_and_reject(monkeypatch):
    import pytest

    from config.env import envbool, envint, envlist

    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "a.example, b.example,")
    assert envbool("X_BOOL", False) is True
    assert envint("X_INT", 0) == 12
    assert envlist("X_LIST", []) == ["a.example", "b.example"]
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ValueError, match="X_BOOL"):
        envbool("X_BOOL", False)


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_passwords_are_hashed_with_argon2_in_production():
    from config import settings as real

    assert real.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_email_url_configures_smtp_with_starttls():
    from config.env import parse_email_url

    settings = parse_email_url("smtp://mailer%40example.org:p%40ss@mail.example.org:2525")
    assert settings["EMAIL_HOST"] == "mail.example.org"
    assert settings["EMAIL_PORT"] == 2525
    assert settings["EMAIL_HOST_USER"] == "mailer@example.org"
    assert settings["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert settings["EMAIL_USE_TLS"] is True and settings["EMAIL_USE_SSL"] is False


def test_email_url_smtps_uses_implicit_tls_on_465_and_console_prints():
    from config.env import parse_email_url

    smtps = parse_email_url("smtps://u:p@mail.example.org")
    assert (smtps["EMAIL_PORT"], smtps["EMAIL_USE_SSL"], smtps["EMAIL_USE_TLS"]) == (465, True, False)
    assert parse_email_url("console:")["EMAIL_BACKEND"].endswith("console.EmailBackend")


def test_a_bad_email_url_is_refused_with_a_clear_message():
    import pytest

    from config.env import parse_email_url

    with pytest.raises(ValueError, match="EMAIL_URL must start with"):
        parse_email_url("http://mail.example.org")


def test_the_email_url_reaches_django_settings(tmp_path):
    result = _run(
        ["shell", "-c", "from django.conf import settings; print(settings.EMAIL_HOST, settings.EMAIL_PORT)"],
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="1",
        EMAIL_URL="smtp://u:p@relay.example.org:2525",
        FIBROTRACK_VAR_DIR=str(tmp_path),
    )
    assert result.stdout.strip().splitlines()[-1] == "relay.example.org 2525", result.stderr


def test_the_sqlite_file_really_runs_wal_with_full_sync_and_a_busy_timeout(tmp_path):
    # The test database is in memory, so check a real file the way `make run` opens it.
    code = (
        "from django.db import connection\n"
        "c = connection.cursor()\n"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0],"
        " c.execute('PRAGMA synchronous').fetchone()[0],"
        " c.execute('PRAGMA busy_timeout').fetchone()[0],"
        " c.execute('PRAGMA foreign_keys').fetchone()[0],"
        " connection.settings_dict['OPTIONS']['transaction_mode'],"
        " connection.settings_dict['CONN_MAX_AGE'] > 0, connection.settings_dict['CONN_HEALTH_CHECKS'])"
    )
    result = _run(
        ["shell", "-c", code], DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1", FIBROTRACK_VAR_DIR=str(tmp_path)
    )
    # journal_mode wal, synchronous 2 (FULL), a busy timeout in ms, foreign keys on.
    assert result.stdout.strip().splitlines()[-1].split() == ["wal", "2", "20000", "1", "IMMEDIATE", "True", "True"], (
        result.stderr
    )
    assert (tmp_path / "fibrotrack.sqlite3").exists()


def test_gunicorn_runs_one_sync_worker_per_core():
    import runpy

    config = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    assert config["worker_class"] == "sync"
    makefile = (ROOT / "Makefile").read_text()
    assert "WORKERS ?= $(shell nproc" in makefile
    assert "-w $(WORKERS)" in makefile


def test_no_template_has_inline_script_or_event_handlers():
    # The CSP would block them anyway; this catches them before a browser does.
    import re

    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if inline_script.search(text) or handler.search(text) or "javascript:" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []

"""A checkout's commands use the secret `make run` generated; without any secret, DEBUG off refuses to start.

The settings find ``var/secret_key`` beside their own package, so these tests
import a copy of ``config/`` placed in a temporary directory: its ``var/`` is
the one under test, whatever the real checkout holds.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from config.env import envstr_or_file

ROOT = Path(__file__).resolve().parents[3]


def _settings_under(base, **env):
    shutil.copytree(ROOT / "config", base / "config", ignore=shutil.ignore_patterns("__pycache__"))
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    clean.update(env, PYTHONPATH=str(base), FIBROTRACK_VAR_DIR=str(base / "data"))
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", "from config import settings; print(settings.BASE_DIR, settings.SECRET_KEY)"],
        cwd=base,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_settings_read_var_secret_key_when_the_environment_has_none(tmp_path):
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "secret_key").write_text("generated-by-make-run-" + "q" * 40 + "\n")
    result = _settings_under(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(tmp_path), "generated-by-make-run-" + "q" * 40]


def test_the_environment_wins_over_var_secret_key(tmp_path):
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "secret_key").write_text("from-the-file\n")
    result = _settings_under(tmp_path, SECRET_KEY="from-the-environment")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "from-the-environment"


def test_without_either_the_settings_refuse_when_debug_is_off(tmp_path):
    # An installed copy has no var/ beside its package: it must not start without a secret.
    result = _settings_under(tmp_path, SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_envstr_or_file_prefers_a_non_empty_variable_then_the_file(tmp_path, monkeypatch):
    key_file = tmp_path / "secret_key"
    monkeypatch.delenv("X_SECRET", raising=False)
    assert envstr_or_file("X_SECRET", key_file) == ""
    key_file.write_text("  from-file  \nignored second line\n")
    assert envstr_or_file("X_SECRET", key_file) == "from-file"
    monkeypatch.setenv("X_SECRET", "")
    assert envstr_or_file("X_SECRET", key_file) == "from-file"
    monkeypatch.setenv("X_SECRET", "from-env")
    assert envstr_or_file("X_SECRET", key_file) == "from-env"

"""``fibrotrack backup`` copies a consistent SQLite database that opens and holds the data."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _fibrotrack(var, *args):
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "config.manage", *args],
        cwd=ROOT,
        env={"DEBUG": "1", "FIBROTRACK_VAR_DIR": str(var), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.mark.slow
def test_backup_writes_a_copy_that_holds_the_demo_account(tmp_path):
    assert _fibrotrack(tmp_path, "migrate", "-v0").returncode == 0
    demo = _fibrotrack(tmp_path, "demo", "--password", "a long demo password")
    assert demo.returncode == 0, demo.stderr
    target = tmp_path / "copy.sqlite3"
    result = _fibrotrack(tmp_path, "backup", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert "integrity ok" in result.stdout
    with sqlite3.connect(target) as db:
        (count,) = db.execute("select count(*) from diary_checkin").fetchone()
    assert count > 100
    again = _fibrotrack(tmp_path, "backup", "--output", str(target))
    assert again.returncode != 0 and "already exists" in again.stderr

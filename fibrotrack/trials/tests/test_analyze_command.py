"""``fibrotrack analyze`` is the fibrostats command line, reachable from the app's CLI."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
# Subprocesses get a bare environment, plus where to find the code when it is not the installed checkout.
BARE_ENV = {"PATH": "/usr/bin:/bin", **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {})}


@pytest.fixture
def series_csv(tmp_path):
    start = dt.date(2026, 1, 1)
    lines = ["date,phase,pain"]
    for i in range(28):
        phase = "baseline" if i < 14 else "treatment"
        value = (6 if i < 14 else 4) + (i % 3) - 1
        lines.append(f"{start + dt.timedelta(days=i)},{phase},{value}")
    path = tmp_path / "series.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _fibrotrack(*args):
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "config.manage", "analyze", *args],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "config.test_settings", **BARE_ENV},
        check=False,
    )


def test_it_prints_the_same_json_as_python_m_fibrostats(series_csv):
    ours = _fibrotrack(str(series_csv), "--format", "json", "--lower-is-better")
    theirs = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "fibrostats", "analyze", str(series_csv), "--format", "json", "--lower-is-better"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ours.returncode == 0, ours.stderr
    assert json.loads(ours.stdout) == json.loads(theirs.stdout)
    outcome = json.loads(ours.stdout)["outcomes"][0]
    assert outcome["outcome"]["name"] == "pain"


def test_bad_input_exits_2_with_one_line_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,phase,pain\n2026-01-01,baseline,eleven\n")
    result = _fibrotrack(str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_it_needs_no_secret_no_settings_and_no_database(series_csv):
    # No SECRET_KEY and no DJANGO_SETTINGS_MODULE; Django is never even imported.
    probe = (
        "import sys\n"
        "from config.manage import main\n"
        f"sys.argv = ['fibrotrack', 'analyze', {str(series_csv)!r}, '--format', 'json']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    print('exit', exit.code, 'django' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", probe], cwd=ROOT, env=BARE_ENV, capture_output=True, text=True, check=False
    )
    assert result.stderr.strip() == "exit 0 False"
    assert json.loads(result.stdout)["outcomes"][0]["outcome"]["name"] == "pain"

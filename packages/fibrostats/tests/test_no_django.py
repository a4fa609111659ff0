"""fibrostats is pure Python: it never imports Django (or the Django app).

The import-linter contract in pyproject.toml checks the static imports; these
tests check what is actually loaded at run time, including lazy imports, in a
fresh interpreter.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import fibrostats

# The package as imported (the source tree, or an installed wheel) and its tests.
PACKAGE = Path(fibrostats.__file__).resolve().parent
TESTS = Path(__file__).resolve().parent

PROBE = """
import sys
import fibrostats, fibrostats.cli, fibrostats.io, fibrostats.text
from fibrostats import analyze, AnalysisConfig, OutcomeSpec
from fibrostats.simulate import simulate_diary
df = simulate_diary([("baseline", 14), ("ldn", 28)], {"baseline": 6, "ldn": 4}, clip=(0, 10))
analyze(df, AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn"))
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("django", "fibrotrack"))
assert not bad, bad
# The command-line path stays fast to start: statsmodels is only imported
# for the optional one-stage mixed model.
assert "statsmodels" not in sys.modules, "statsmodels imported on the CLI path"
print("ok")
"""


def test_importing_and_analysing_loads_no_django_in_a_fresh_interpreter() -> None:
    proc = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_no_source_file_imports_django_or_the_app() -> None:
    offenders = []
    for path in [*PACKAGE.rglob("*.py"), *TESTS.rglob("*.py")]:
        if path.name == "test_no_django.py":
            continue
        for line in path.read_text().splitlines():
            words = line.strip().split()
            if (
                len(words) >= 2
                and words[0] in ("import", "from")
                and words[1].split(".")[0] in ("django", "fibrotrack")
            ):
                offenders.append(f"{path.name}: {line.strip()}")
    assert not offenders

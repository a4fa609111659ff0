"""``fibrotrack analyze FILE.csv`` / ``python -m fibrostats analyze FILE.csv``.

:func:`main` is the whole command line: the Django management command
delegates to it unchanged.  Exit codes: 0 success, 2 bad input or usage
(one line on stderr naming the line and column, never a traceback), 1 an
unexpected internal error (one line; set ``FIBROSTATS_DEBUG=1`` for the
traceback).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from .types import (
    DEFAULT_PRIOR_SD_0_10,
    DESIGNS,
    AnalysisConfig,
    AnalysisInputError,
    OutcomeSpec,
)

if TYPE_CHECKING:
    from .io import DiaryTable

PROG = "fibrotrack analyze"
EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INPUT = 2

_SCALE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:-|to|\.\.)\s*(-?\d+(?:\.\d+)?)\s*$")


class UsageError(Exception):
    """A problem with the command line itself (exit code 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting and writes help to our stream."""

    def __init__(self, *args: Any, out: TextIO, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._out = out

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._out.write(message)
        raise _HelpExit(status)

    def _print_message(self, message: str, file: object = None) -> None:
        if message:
            self._out.write(message)


class _HelpExit(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def build_parser(out: TextIO) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="fibrotrack",
        description="Statistics for personal treatment trials (fibrostats).",
        out=out,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    a = sub.add_parser(
        "analyze",
        help="analyse a daily diary CSV file",
        description=(
            "Analyse a diary with columns date,phase,<outcome>... and an optional taken "
            "column (1/0). Exit codes: 0 success, 2 bad input, 1 internal error."
        ),
        out=out,
    )
    a.add_argument("file", metavar="FILE.csv", help="diary CSV file")
    a.add_argument(
        "--outcome",
        action="append",
        default=[],
        metavar="NAME[:lower|:higher]",
        help="outcome column to analyse (repeatable; default: all)",
    )
    a.add_argument(
        "--reference",
        default="baseline",
        metavar="PHASE",
        help="reference phase, e.g. baseline or placebo (default: baseline)",
    )
    a.add_argument("--treatment", metavar="PHASE", help="treatment phase")
    a.add_argument(
        "--placebo",
        default="placebo",
        metavar="PHASE",
        help="placebo phase, compared with the treatment when present (default: placebo)",
    )
    a.add_argument(
        "--compare",
        action="append",
        default=[],
        metavar="REF:TREATMENT",
        help="extra comparison (repeatable)",
    )
    direction = a.add_mutually_exclusive_group()
    direction.add_argument(
        "--lower-is-better",
        dest="higher",
        action="store_false",
        default=False,
        help="lower values are better (default)",
    )
    direction.add_argument(
        "--higher-is-better",
        dest="higher",
        action="store_true",
        help="higher values are better",
    )
    a.add_argument(
        "--direction",
        action="append",
        default=[],
        metavar="NAME:lower|higher",
        help="direction for one outcome (repeatable)",
    )
    a.add_argument(
        "--scale",
        action="append",
        default=[],
        metavar="[NAME:]MIN-MAX",
        help="scale range, e.g. 0-10 (default) or fatigue:0-100 (repeatable)",
    )
    a.add_argument(
        "--design",
        choices=DESIGNS,
        default="fixed",
        help="how the phase order was decided (default: fixed)",
    )
    a.add_argument(
        "--exclude-phase",
        action="append",
        default=[],
        metavar="PHASE",
        help="phase to leave out of comparisons, e.g. washout (repeatable)",
    )
    a.add_argument("--trend", action="store_true", help="add a linear time trend")
    a.add_argument(
        "--covariate",
        action="append",
        default=[],
        metavar="COLUMN",
        help="numeric column to allow for in the model, e.g. pressure_change (repeatable; not an outcome)",
    )
    a.add_argument(
        "--period-days",
        type=int,
        metavar="N",
        help="randomized-pairs: length of each period in days",
    )
    a.add_argument(
        "--start-window",
        metavar="FROM:TO",
        help="randomized-start: first and last possible start dates",
    )
    a.add_argument(
        "--planned-days",
        action="append",
        default=[],
        metavar="PHASE=N",
        help="planned length of a phase (repeatable)",
    )
    a.add_argument(
        "--confounder",
        action="append",
        default=[],
        metavar="TEXT",
        help="another treatment change during the comparison (repeatable)",
    )
    a.add_argument(
        "--responder-threshold",
        type=float,
        default=30.0,
        metavar="PCT",
        help="responder threshold in percent (default: 30)",
    )
    a.add_argument(
        "--prior-sd",
        type=float,
        default=None,
        metavar="POINTS",
        help="SD of the sceptical prior, in points on a 0-10 scale (default: 1.5)",
    )
    a.add_argument("--seed", type=int, default=None, help="seed for Monte Carlo tests")
    a.add_argument(
        "--format",
        choices=("json", "text"),
        default="text",
        help="output format (default: text)",
    )
    return parser


def _parse_scale(text: str, option: str) -> tuple[float, float]:
    m = _SCALE.match(text)
    if not m:
        raise UsageError(f"{option}: cannot read {text!r} as a scale like 0-10")
    lo, hi = float(m.group(1)), float(m.group(2))
    if hi <= lo:
        raise UsageError(f"{option}: the scale maximum must exceed the minimum in {text!r}")
    return lo, hi


def _split_name(text: str, option: str) -> tuple[str, str]:
    if ":" not in text:
        raise UsageError(f"{option}: expected NAME:VALUE, got {text!r}")
    name, value = text.rsplit(":", 1)
    return name.strip(), value.strip()


def _direction_word(word: str, option: str) -> bool:
    """True when higher is better."""
    w = word.lower()
    if w in ("lower", "lower-is-better", "low"):
        return False
    if w in ("higher", "higher-is-better", "high"):
        return True
    raise UsageError(f"{option}: direction must be 'lower' or 'higher', not {word!r}")


def _parse_date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option}: cannot read {text!r} as a date (YYYY-MM-DD)") from None


def build_config(args: argparse.Namespace, columns: list[str], phases: list[str]) -> AnalysisConfig:
    """Turn parsed options into an :class:`AnalysisConfig`, checking names."""
    directions: dict[str, bool] = {}
    selected: list[str] = []
    for item in args.outcome:
        name = item
        if ":" in item:
            name, word = _split_name(item, "--outcome")
            directions[name] = _direction_word(word, "--outcome")
        if name not in columns:
            raise UsageError(f"--outcome: column '{name}' is not in the file (outcome columns: {', '.join(columns)})")
        if name not in selected:
            selected.append(name)
    covariates: list[str] = []
    for name in args.covariate:
        if name not in columns:
            raise UsageError(f"--covariate: column '{name}' is not in the file (columns: {', '.join(columns)})")
        if name in selected:
            raise UsageError(f"--covariate: '{name}' is also an --outcome")
        if name not in covariates:
            covariates.append(name)
    names = selected or [c for c in columns if c not in covariates]
    for item in args.direction:
        name, word = _split_name(item, "--direction")
        if name not in names:
            raise UsageError(f"--direction: '{name}' is not an analysed outcome")
        directions[name] = _direction_word(word, "--direction")
    default_scale = (0.0, 10.0)
    scales: dict[str, tuple[float, float]] = {}
    for item in args.scale:
        if ":" in item:
            name, rng = _split_name(item, "--scale")
            if name not in names:
                raise UsageError(f"--scale: '{name}' is not an analysed outcome")
            scales[name] = _parse_scale(rng, "--scale")
        else:
            default_scale = _parse_scale(item, "--scale")
    known = ", ".join(phases)

    def phase(name: str, option: str) -> str:
        if name not in phases:
            raise UsageError(f"{option}: unknown phase '{name}' (phases in column 'phase' of the file: {known})")
        return name

    reference = phase(args.reference, "--reference")
    treatment = None if args.treatment is None else phase(args.treatment, "--treatment")
    if treatment == reference:
        raise UsageError("--treatment and --reference name the same phase")
    excluded = [phase(p, "--exclude-phase") for p in args.exclude_phase]
    for p in (reference, treatment):
        if p is not None and p in excluded:
            raise UsageError(f"--exclude-phase: phase '{p}' is also being compared")
    comparisons: list[tuple[str, str]] = []
    for item in args.compare:
        ref, trt = _split_name(item, "--compare")
        comparisons.append((phase(ref, "--compare"), phase(trt, "--compare")))
    planned: dict[str, int] = {}
    for item in args.planned_days:
        name, _, days = item.partition("=")
        try:
            planned[phase(name.strip(), "--planned-days")] = int(days)
        except ValueError:
            raise UsageError(f"--planned-days: expected PHASE=N, got {item!r}") from None
    window = None
    if args.start_window:
        lo_text, _, hi_text = args.start_window.partition(":")
        window = (
            _parse_date(lo_text, "--start-window"),
            _parse_date(hi_text, "--start-window"),
        )
    outcomes = [
        OutcomeSpec(
            name=n,
            lower_is_better=not directions.get(n, bool(args.higher)),
            scale_min=scales.get(n, default_scale)[0],
            scale_max=scales.get(n, default_scale)[1],
        )
        for n in names
    ]
    return AnalysisConfig(
        outcomes=outcomes,
        reference=reference,
        treatment=treatment,
        placebo=args.placebo if args.placebo in phases else None,
        comparisons=comparisons or None,
        design=args.design,
        exclude_phases=excluded,
        planned_days=planned or None,
        responder_threshold_pct=args.responder_threshold,
        trend=args.trend,
        covariates=covariates,
        confounders=list(args.confounder),
        period_days=args.period_days,
        start_window=window,
        prior_sd=DEFAULT_PRIOR_SD_0_10 if args.prior_sd is None else args.prior_sd,
        seed=AnalysisConfig.seed if args.seed is None else args.seed,
    )


def _check_empty_phases(table: DiaryTable, config: AnalysisConfig) -> None:
    """An included phase with no value in any analysed outcome is an input error."""
    df = table.df
    names = [o.name for o in config.outcomes]
    for p in table.phases:
        if p in config.exclude_phases:
            continue
        rows = (df["phase"] == p).to_numpy()
        if not df.loc[rows, names].notna().to_numpy().any():
            first = table.lines[int(rows.argmax())]
            raise AnalysisInputError(
                f"phase '{p}' has no values in {', '.join(names)} (its first day is on this line)",
                line=first,
                column=names[0],
            )


def _run(args: argparse.Namespace, stdout: TextIO) -> None:
    # Imported here so that `--help` and usage errors answer instantly.
    from .analysis import analyze
    from .io import read_diary
    from .text import render_text

    table = read_diary(args.file)
    config = build_config(args, table.outcome_columns, table.phases)
    _check_empty_phases(table, config)
    result = analyze(table.df, config, lines=table.lines)
    if args.format == "json":
        stdout.write(json.dumps(result.to_dict(), indent=2, allow_nan=False) + "\n")
    else:
        stdout.write(render_text(result))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line; returns the exit code (never raises on bad input)."""
    out = sys.stdout if stdout is None else stdout
    err = sys.stderr if stderr is None else stderr
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(out)
    try:
        args = parser.parse_args(args_list)
        if args.command is None:
            raise UsageError("a command is required (analyze)")
        _run(args, out)
    except _HelpExit as exc:
        return exc.status
    except (UsageError, AnalysisInputError) as exc:
        err.write(f"{PROG}: error: {_one_line(str(exc))}\n")
        return EXIT_INPUT
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        if os.environ.get("FIBROSTATS_DEBUG"):
            raise
        err.write(
            f"{PROG}: internal error: {type(exc).__name__}: {_one_line(str(exc))} "
            "(set FIBROSTATS_DEBUG=1 for details; please report this)\n"
        )
        return EXIT_INTERNAL
    return EXIT_OK

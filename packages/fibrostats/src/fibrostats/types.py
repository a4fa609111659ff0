"""Input types: outcome specifications, analysis configuration and errors.

Everything is a frozen dataclass so a configuration can be shared between
threads and logged verbatim.  Validation happens in ``__post_init__`` so an
invalid configuration fails where it is built, with a message that names the
offending field.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Design = Literal["fixed", "randomized-pairs", "randomized-start"]
Alternative = Literal["greater", "two-sided"]
ThresholdKind = Literal["percent", "points"]

DESIGNS: tuple[Design, ...] = ("fixed", "randomized-pairs", "randomized-start")


class AnalysisInputError(ValueError):
    """The data or the configuration cannot be analysed.

    ``line`` is the 1-based line of the CSV file (header = line 1) and
    ``column`` the column name, when the problem is tied to one cell; the
    command line prints them so a person can find the problem in a
    spreadsheet.
    """

    def __init__(self, message: str, *, line: int | None = None, column: str | None = None):
        self.line = line
        self.column = column
        self.detail = message
        where = []
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column '{column}'")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


@dataclass(frozen=True)
class OutcomeSpec:
    """One outcome column and how to read it.

    ``lower_is_better`` gives the direction (pain: lower is better; energy:
    higher is better).  ``scale_min``/``scale_max`` bound the values (a 0-10
    numeric rating scale by default); percent changes are measured from
    ``scale_min`` so that on a 0-10 scale they equal the published formula
    (reference - treatment) / reference x 100.
    """

    name: str
    lower_is_better: bool = True
    scale_min: float = 0.0
    scale_max: float = 10.0
    label: str | None = None

    def __post_init__(self) -> None:
        if not self.name or not self.name.strip():
            raise AnalysisInputError("an outcome needs a non-empty name")
        if not (math.isfinite(self.scale_min) and math.isfinite(self.scale_max)):
            raise AnalysisInputError(f"outcome '{self.name}': scale bounds must be finite")
        if self.scale_max <= self.scale_min:
            raise AnalysisInputError(
                f"outcome '{self.name}': scale_max ({self.scale_max:g}) must exceed scale_min ({self.scale_min:g})"
            )

    @property
    def display_name(self) -> str:
        return self.label or self.name

    @property
    def scale_range(self) -> float:
        return self.scale_max - self.scale_min

    @property
    def direction(self) -> float:
        """+1 when higher values are better, -1 when lower values are better.

        ``improvement = direction * (treatment - reference)``.
        """
        return -1.0 if self.lower_is_better else 1.0


@dataclass(frozen=True)
class ImportanceThreshold:
    """A threshold for a clinically important improvement.

    ``kind="percent"``: ``value`` percent of the reference level (measured
    from the scale minimum).  ``kind="points"``: ``value`` points on a 0-10
    scale, rescaled to the outcome's range (2 points on 0-10 is 20 points on
    0-100).
    """

    key: str
    label: str
    kind: ThresholdKind
    value: float

    def __post_init__(self) -> None:
        if self.kind not in ("percent", "points"):
            raise AnalysisInputError(f"threshold '{self.key}': kind must be percent or points")
        if not (math.isfinite(self.value) and self.value > 0):
            raise AnalysisInputError(f"threshold '{self.key}': value must be positive")


#: IMMPACT benchmarks for chronic pain trials (Dworkin et al. 2008): 10-20%
#: minimally important, >= 30% moderately important, >= 50% substantially
#: important, and a change of >= 2 points on a 0-10 scale.
IMMPACT_THRESHOLDS: tuple[ImportanceThreshold, ...] = (
    ImportanceThreshold("minimal_10pct", "at least 10% (minimal)", "percent", 10.0),
    ImportanceThreshold("minimal_20pct", "at least 20% (minimal)", "percent", 20.0),
    ImportanceThreshold("moderate_30pct", "at least 30% (moderate)", "percent", 30.0),
    ImportanceThreshold("substantial_50pct", "at least 50% (substantial)", "percent", 50.0),
    ImportanceThreshold("two_points", "at least 2 points on a 0-10 scale", "points", 2.0),
)

#: Default SD of the sceptical prior: 1.5 points on a 0-10 scale.  With a
#: typical reference pain level of 6, a 50% improvement (3 points) is then 2
#: prior SDs away (prior probability about 2%), a 30% improvement (1.8
#: points) has prior probability about 12%, and a 2-point change about 9%.
DEFAULT_PRIOR_SD_0_10 = 1.5


@dataclass(frozen=True)
class AnalysisConfig:
    """What to analyse and how.  See docs/analysis-methods.md for each field.

    ``comparisons`` are extra ``(reference, treatment)`` pairs.  Phases in
    ``exclude_phases`` (run-in, titration, washout, ...) are described but
    left out of every model; their days count as gaps in the time axis.
    ``planned_days`` gives the protocol length of a phase so that days
    without any row still count as missing.  ``confounders`` are free-text
    notes from the caller about other treatment changes during the
    comparison; each becomes a warning.

    ``covariates`` are numeric columns of the data (daily air-pressure change,
    say) added to the regression beside the phase levels, so that the
    contrasts compare the phases at the same value of each covariate; days
    without a covariate value leave the model.

    ``prior_sd`` is the SD of the sceptical normal prior on the improvement,
    in points on a 0-10 scale (rescaled to each outcome's range).

    Randomization information: for ``design="randomized-pairs"`` the periods
    are the runs of consecutive days with one phase, split every
    ``period_days`` days or at ``period_starts`` when given; consecutive
    periods form the pairs.  For ``design="randomized-start"``,
    ``start_window`` is the first and last day on which the treatment could
    have started (inclusive) under the randomization scheme.
    """

    outcomes: Sequence[OutcomeSpec]
    reference: str = "baseline"
    treatment: str | None = None
    placebo: str | None = "placebo"
    comparisons: Sequence[tuple[str, str]] | None = None
    design: Design = "fixed"
    exclude_phases: Sequence[str] = ()
    planned_days: Mapping[str, int] | None = None
    thresholds: Sequence[ImportanceThreshold] = IMMPACT_THRESHOLDS
    responder_threshold_pct: float = 30.0
    prior_sd: float = DEFAULT_PRIOR_SD_0_10
    trend: bool = False
    confounders: Sequence[str] = ()
    period_days: int | None = None
    period_starts: Sequence[dt.date] | None = None
    start_window: tuple[dt.date, dt.date] | None = None
    randomization_alternative: Alternative = "greater"
    exact_limit: int = 1 << 16
    monte_carlo_draws: int = 10_000
    seed: int = 20090601
    ci_level: float = 0.95
    endpoint_days: int = 3
    min_phase_days: int = 7
    max_missing_fraction: float = 0.20
    adherence_threshold: float = 0.80
    adherence_phases: Sequence[str] | None = None
    hac_maxlags: int | None = None
    include_ols: bool = True
    covariates: Sequence[str] = ()

    def __post_init__(self) -> None:
        if not self.outcomes:
            raise AnalysisInputError("at least one outcome is required")
        names = [o.name for o in self.outcomes]
        if len(set(names)) != len(names):
            raise AnalysisInputError("outcome names must be unique")
        reserved = {"date", "phase", "taken"}
        for name in names:
            if name in reserved:
                raise AnalysisInputError(f"'{name}' is a reserved column, not an outcome")
        if len(set(self.covariates)) != len(self.covariates):
            raise AnalysisInputError("covariate names must be unique")
        for name in self.covariates:
            if name in reserved or name in names:
                raise AnalysisInputError(f"'{name}' cannot be a covariate: it is a reserved column or an outcome")
        if self.design not in DESIGNS:
            raise AnalysisInputError(f"design must be one of {', '.join(DESIGNS)}, not '{self.design}'")
        if self.randomization_alternative not in ("greater", "two-sided"):
            raise AnalysisInputError("randomization_alternative must be greater or two-sided")
        if not 0.5 < self.ci_level < 1.0:
            raise AnalysisInputError("ci_level must be between 0.5 and 1")
        if not (math.isfinite(self.responder_threshold_pct) and self.responder_threshold_pct > 0):
            raise AnalysisInputError("responder_threshold_pct must be positive")
        if not (math.isfinite(self.prior_sd) and self.prior_sd > 0):
            raise AnalysisInputError("prior_sd must be positive")
        if self.endpoint_days < 1:
            raise AnalysisInputError("endpoint_days must be at least 1")
        if self.period_days is not None and self.period_days < 1:
            raise AnalysisInputError("period_days must be at least 1")
        if self.start_window is not None and self.start_window[1] < self.start_window[0]:
            raise AnalysisInputError("start_window must be (earliest, latest)")
        if self.exact_limit < 2 or self.monte_carlo_draws < 100:
            raise AnalysisInputError("exact_limit >= 2 and monte_carlo_draws >= 100 required")
        if not 0 <= self.adherence_threshold <= 1:
            raise AnalysisInputError("adherence_threshold must be between 0 and 1")
        if not 0 <= self.max_missing_fraction <= 1:
            raise AnalysisInputError("max_missing_fraction must be between 0 and 1")
        if self.planned_days is not None:
            for phase, days in self.planned_days.items():
                if days < 1:
                    raise AnalysisInputError(f"planned_days['{phase}'] must be at least 1")
        if self.treatment is not None and self.treatment == self.reference:
            raise AnalysisInputError("treatment and reference must be different phases")
        for a, b in self.comparisons or ():
            if a == b:
                raise AnalysisInputError(f"comparison ({a}, {b}) compares a phase with itself")
        keys = [t.key for t in self.thresholds]
        if len(set(keys)) != len(keys):
            raise AnalysisInputError("threshold keys must be unique")

    def prior_sd_for(self, outcome: OutcomeSpec) -> float:
        """The sceptical prior SD in the outcome's units (``prior_sd`` is on 0-10)."""
        return self.prior_sd * outcome.scale_range / 10.0

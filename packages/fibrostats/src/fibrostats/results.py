"""Result types and their JSON serialisation.

The field names of these dataclasses *are* the JSON schema documented in
docs/analysis-methods.md (a test checks that every emitted key is
documented).  Bump :data:`SCHEMA_VERSION` on any incompatible change.

Serialisation is strict JSON: non-finite floats become ``null`` (Python's
``json`` module would otherwise write ``NaN``, which most parsers reject),
dates become ISO 8601 strings, tuples become lists.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = "1.0"

Severity = Literal["info", "warning"]
JSONValue = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]


def to_jsonable(obj: Any) -> JSONValue:
    """Convert dataclasses, dates and numpy scalars into strict-JSON values."""
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    # numpy scalars (np.float64 is a float subclass, but np.int64/np.bool_ are not)
    item = getattr(obj, "item", None)
    if callable(item):
        return to_jsonable(item())
    raise TypeError(f"cannot serialise {type(obj).__name__}")


@dataclass(frozen=True)
class Notice:
    """A data-quality warning or an informational note.

    ``code`` is stable and machine-readable; ``message`` is plain English.
    """

    code: str
    severity: Severity
    message: str
    outcome: str | None = None
    phase: str | None = None


@dataclass(frozen=True)
class PhaseSummary:
    """Description of one phase for one outcome (issue item 1)."""

    phase: str
    included: bool
    first_date: dt.date | None
    last_date: dt.date | None
    days_planned: int
    days_observed: int
    days_missing: int
    missing_fraction: float | None
    mean: float | None
    sd: float | None
    median: float | None
    last_days_mean: float | None
    last_days_dates: list[dt.date]
    adherence: float | None
    adherence_days: int


@dataclass(frozen=True)
class Interval:
    """A point estimate with a confidence (or credible) interval."""

    estimate: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class EffectEstimate:
    """A treatment-minus-reference difference from one estimation method.

    ``difference`` is treatment minus reference in the outcome's units;
    ``improvement`` is the same signed so that positive means better.
    """

    method: Literal["ar1-gls", "newey-west-hac", "ols"]
    label: str
    accounts_for_autocorrelation: bool
    difference: Interval
    improvement: Interval
    se: float | None
    df: float | None
    p_value: float | None
    rho: float | None = None
    hac_maxlags: int | None = None


@dataclass(frozen=True)
class EndpointResult:
    """Younger et al. (2013): mean of the final days of the treatment phase
    against the reference-phase mean."""

    days: int
    dates: list[dt.date]
    endpoint_mean: float | None
    reference_mean: float | None
    improvement: Interval
    se: float | None
    df: float | None
    percent_change: float | None


@dataclass(frozen=True)
class ThresholdProbability:
    """Posterior probability that the true improvement reaches a threshold."""

    key: str
    label: str
    kind: Literal["percent", "points"]
    value: float
    threshold_points: float | None
    estimate_meets: bool | None
    probability: float | None


@dataclass(frozen=True)
class Prior:
    distribution: str
    mean: float
    sd: float
    sd_on_0_10_scale: float
    units: str
    description: str


@dataclass(frozen=True)
class Likelihood:
    distribution: str
    estimate: float
    se: float
    df: float
    source: str


@dataclass(frozen=True)
class Posterior:
    mean: float
    sd: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class ImportanceResult:
    """Clinical importance (issue item 3): IMMPACT thresholds and probabilities."""

    prior: Prior
    likelihood: Likelihood
    posterior: Posterior
    reference_level: float | None
    percent_conversion: str
    thresholds: list[ThresholdProbability]
    highest_threshold_met: str | None


@dataclass(frozen=True)
class ContrastResult:
    """One comparison of two phases for one outcome (issue item 2)."""

    reference: str
    treatment: str
    role: Literal["primary", "placebo", "requested", "versus-reference"]
    estimable: bool
    n_reference: int
    n_treatment: int
    reference_mean: float | None
    treatment_mean: float | None
    observed_difference: float | None
    observed_improvement: float | None
    percent_change_observed: float | None
    primary: EffectEstimate | None
    reference_level: float | None
    percent_change: Interval | None
    sensitivity: list[EffectEstimate]
    endpoint: EndpointResult | None
    importance: ImportanceResult | None


@dataclass(frozen=True)
class ResponderResult:
    """Responder classification (issue item 4)."""

    reference: str
    treatment: str
    threshold_pct: float
    percent_change: float | None
    responder: bool | None
    probability: float | None
    percent_change_endpoint: float | None
    responder_endpoint: bool | None


@dataclass(frozen=True)
class RandomizationResult:
    """Randomization test (issue item 5)."""

    design: str
    available: bool
    reference: str
    treatment: str
    alternative: str
    statistic: float | None
    p_value: float | None
    method: Literal["exact", "monte-carlo"] | None
    n_allocations: int | None
    n_evaluated: int | None
    min_attainable_p: float | None
    can_reach_0_05: bool | None
    units: int | None
    message: str


@dataclass(frozen=True)
class CovariateEffect:
    """How much the outcome moved per unit of a covariate, all phases pooled (AR(1) fit, with its CI)."""

    name: str
    per_unit: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class ModelInfo:
    """The autocorrelation-adjusted regression behind the contrasts."""

    method: str
    n_days: int
    phases: list[str]
    trend: bool
    rho: float | None
    rho_at_bound: bool
    residual_sd: float | None
    df_residual: int
    covariates: list[CovariateEffect] = field(default_factory=list)


@dataclass(frozen=True)
class OutcomeInfo:
    name: str
    label: str
    lower_is_better: bool
    scale_min: float
    scale_max: float


@dataclass(frozen=True)
class OutcomeResult:
    outcome: OutcomeInfo
    phases: list[PhaseSummary]
    model: ModelInfo | None
    contrasts: list[ContrastResult]
    responder: ResponderResult | None
    randomization: RandomizationResult | None
    warnings: list[Notice]


@dataclass(frozen=True)
class AnalysisResult:
    """Everything :func:`fibrostats.analyze` found.  ``to_dict`` gives JSON."""

    schema_version: str
    package_version: str
    design: str
    reference: str
    treatment: str | None
    placebo: str | None
    ci_level: float
    trend: bool
    first_date: dt.date
    last_date: dt.date
    phases_included: list[str]
    phases_excluded: list[str]
    outcomes: list[OutcomeResult]
    warnings: list[Notice]
    caveats: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, JSONValue]:
        out = to_jsonable(self)
        assert isinstance(out, dict)  # noqa: S101 - a dataclass always maps to a dict
        return out

    def outcome(self, name: str) -> OutcomeResult:
        for o in self.outcomes:
            if o.outcome.name == name:
                return o
        raise KeyError(name)

    def all_warnings(self) -> list[Notice]:
        return [*self.warnings, *(w for o in self.outcomes for w in o.warnings)]

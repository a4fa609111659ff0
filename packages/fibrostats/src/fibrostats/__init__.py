"""fibrostats: statistics for single-person (N-of-1) treatment trials.

A pure Python analysis engine (numpy, pandas, scipy, statsmodels; never
Django) for daily symptom diaries: per-phase description, contrasts with
autocorrelation-adjusted intervals, clinical importance, responder
classification, randomization tests, series of N-of-1 trials, lagged
associations, data-quality warnings and trial-planning power simulations.
Methods, formulas and references: docs/analysis-methods.md.
"""

from ._version import __version__
from .analysis import analyze
from .lagged import (
    LaggedAssociation,
    LaggedResult,
    benjamini_hochberg,
    lagged_associations,
)
from .power import PowerResult, simulate_power
from .randomization import min_attainable_p, paired_test, randomization_test, start_test
from .results import SCHEMA_VERSION, AnalysisResult
from .series import PersonEstimate, PooledResult, pooled_series
from .types import (
    IMMPACT_THRESHOLDS,
    AnalysisConfig,
    AnalysisInputError,
    ImportanceThreshold,
    OutcomeSpec,
)

__all__ = [
    "IMMPACT_THRESHOLDS",
    "SCHEMA_VERSION",
    "AnalysisConfig",
    "AnalysisInputError",
    "AnalysisResult",
    "ImportanceThreshold",
    "LaggedAssociation",
    "LaggedResult",
    "OutcomeSpec",
    "PersonEstimate",
    "PooledResult",
    "PowerResult",
    "__version__",
    "analyze",
    "benjamini_hochberg",
    "lagged_associations",
    "min_attainable_p",
    "paired_test",
    "pooled_series",
    "randomization_test",
    "simulate_power",
    "start_test",
]

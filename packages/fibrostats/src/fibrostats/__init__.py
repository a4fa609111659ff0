"""fibrostats: statistics for single-person (N-of-1) treatment trials.

A pure Python analysis engine (numpy, pandas, scipy, statsmodels; never
Django) for daily symptom diaries: per-phase description, contrasts with
autocorrelation-adjusted intervals, clinical importance, responder
classification, randomization tests, series of N-of-1 trials, lagged
associations, data-quality warnings and trial-planning power simulations.
Methods, formulas and references: docs/analysis-methods.md.

``__all__`` is the public API: FibroTrack imports nothing else (an
import-linter contract in the repository's pyproject.toml checks it).
"""

from ._version import __version__
from .analysis import analyze
from .cli import main
from .lagged import (
    LaggedAssociation,
    LaggedResult,
    MonthlyStability,
    benjamini_hochberg,
    lagged_associations,
    monthly_stability,
)
from .power import PowerResult, simulate_power
from .randomization import min_attainable_p, paired_test, randomization_test, start_test
from .results import SCHEMA_VERSION, AnalysisResult, ContrastResult, OutcomeResult
from .series import PersonEstimate, PooledResult, pooled_series
from .simulate import ar1_noise, simulate_diary
from .text import probability_phrase
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
    "ContrastResult",
    "ImportanceThreshold",
    "LaggedAssociation",
    "LaggedResult",
    "MonthlyStability",
    "OutcomeResult",
    "OutcomeSpec",
    "PersonEstimate",
    "PooledResult",
    "PowerResult",
    "__version__",
    "analyze",
    "ar1_noise",
    "benjamini_hochberg",
    "lagged_associations",
    "main",
    "min_attainable_p",
    "monthly_stability",
    "paired_test",
    "pooled_series",
    "probability_phrase",
    "randomization_test",
    "simulate_diary",
    "simulate_power",
    "start_test",
]

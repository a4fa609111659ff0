"""fibrostats: statistics for single-person (N-of-1) treatment trials.

A pure Python analysis engine (numpy, pandas, scipy, statsmodels; never
Django) for daily symptom diaries: per-phase description, contrasts with
autocorrelation-adjusted intervals, clinical importance, responder
classification, randomization tests, series of N-of-1 trials, lagged
associations, data-quality warnings and trial-planning power simulations;
and for research studies, the study-level analysis (``analyze_study``).
Methods, formulas and references: docs/analysis-methods.md.

``__all__`` is the public API: FibroTrack imports nothing else (an
import-linter contract in the repository's pyproject.toml checks it).
"""

from ._version import __version__
from .analysis import analyze
from .blinding import BlindingArm, BlindingResult, bang_blinding_index
from .cli import main
from .lab import LabContrast, LabMeasureResult, LabMeasureSpec, LabPhaseSummary, km_median, lab_by_phase
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
from .study import (
    CrossoverCheck,
    ForestRow,
    ParticipantChange,
    PercentChangeSummary,
    PeriodEffect,
    ResponderSummary,
    SequenceCount,
    StudyContrast,
    StudyOutcomeResult,
    StudyResult,
    analyze_study,
    crossover_check,
    participant_changes,
    percent_change_summary,
    pooled_contrast,
    responders,
    wilson_interval,
)
from .study_sim import SimulatedStudy, StudyTruth, simulate_study
from .text import probability_phrase
from .types import (
    IMMPACT_THRESHOLDS,
    AnalysisConfig,
    AnalysisInputError,
    ImportanceThreshold,
    OutcomeSpec,
)

__all__ = [
    "AnalysisConfig",
    "AnalysisInputError",
    "AnalysisResult",
    "BlindingArm",
    "BlindingResult",
    "ContrastResult",
    "CrossoverCheck",
    "ForestRow",
    "IMMPACT_THRESHOLDS",
    "ImportanceThreshold",
    "LabContrast",
    "LabMeasureResult",
    "LabMeasureSpec",
    "LabPhaseSummary",
    "LaggedAssociation",
    "LaggedResult",
    "MonthlyStability",
    "OutcomeResult",
    "OutcomeSpec",
    "ParticipantChange",
    "PercentChangeSummary",
    "PeriodEffect",
    "PersonEstimate",
    "PooledResult",
    "PowerResult",
    "ResponderSummary",
    "SCHEMA_VERSION",
    "SequenceCount",
    "SimulatedStudy",
    "StudyContrast",
    "StudyOutcomeResult",
    "StudyResult",
    "StudyTruth",
    "__version__",
    "analyze",
    "analyze_study",
    "ar1_noise",
    "bang_blinding_index",
    "benjamini_hochberg",
    "crossover_check",
    "km_median",
    "lab_by_phase",
    "lagged_associations",
    "main",
    "min_attainable_p",
    "monthly_stability",
    "paired_test",
    "participant_changes",
    "percent_change_summary",
    "pooled_contrast",
    "pooled_series",
    "probability_phrase",
    "randomization_test",
    "responders",
    "simulate_diary",
    "simulate_power",
    "simulate_study",
    "start_test",
    "wilson_interval",
]

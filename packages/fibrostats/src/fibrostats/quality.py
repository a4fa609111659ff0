"""Data-quality warnings (issue item 9).

The thresholds come from the configuration: a phase with fewer than
``min_phase_days`` (7) observed days, more than ``max_missing_fraction``
(20%) of its planned days missing, adherence below ``adherence_threshold``
(80%) in a phase where something should be taken, and any other treatment
changes the caller reports.
"""

from __future__ import annotations

from collections.abc import Sequence

from .results import Notice, PhaseSummary
from .types import AnalysisConfig, OutcomeSpec


def phase_warnings(
    summaries: Sequence[PhaseSummary],
    outcome: OutcomeSpec,
    config: AnalysisConfig,
    adherence_phases: Sequence[str],
) -> list[Notice]:
    out: list[Notice] = []
    for s in summaries:
        if not s.included:
            continue
        if s.days_observed == 0:
            out.append(
                Notice(
                    "empty_phase",
                    "warning",
                    f"Phase '{s.phase}' has no recorded {outcome.display_name} values.",
                    outcome.name,
                    s.phase,
                )
            )
        elif s.days_observed < config.min_phase_days:
            out.append(
                Notice(
                    "short_phase",
                    "warning",
                    f"Phase '{s.phase}' has only {s.days_observed} recorded days of "
                    f"{outcome.display_name} (fewer than {config.min_phase_days}); its average is unreliable.",
                    outcome.name,
                    s.phase,
                )
            )
        if s.missing_fraction is not None and s.missing_fraction > config.max_missing_fraction and s.days_observed > 0:
            out.append(
                Notice(
                    "missing_days",
                    "warning",
                    f"{s.days_missing} of {s.days_planned} days ({100 * s.missing_fraction:.0f}%) have no "
                    f"{outcome.display_name} value in phase '{s.phase}' (more than "
                    f"{100 * config.max_missing_fraction:.0f}%). "
                    "If days were skipped on bad (or good) days, the average is biased.",
                    outcome.name,
                    s.phase,
                )
            )
        if s.phase in adherence_phases and s.adherence is not None and s.adherence < config.adherence_threshold:
            out.append(
                Notice(
                    "low_adherence",
                    "warning",
                    f"The treatment was taken on {100 * s.adherence:.0f}% of the "
                    f"{s.adherence_days} recorded days in phase '{s.phase}' (below "
                    f"{100 * config.adherence_threshold:.0f}%); the comparison understates "
                    "what the treatment does when taken as planned.",
                    outcome.name,
                    s.phase,
                )
            )
    return out


def global_warnings(config: AnalysisConfig, excluded_days: dict[str, int]) -> list[Notice]:
    out: list[Notice] = []
    for text in config.confounders:
        out.append(
            Notice(
                "other_treatment_change",
                "warning",
                "Another treatment changed during the comparison: "
                f"{text.strip()}. Any difference may be due to that change.",
            )
        )
    for phase, days in excluded_days.items():
        out.append(
            Notice(
                "phase_excluded",
                "info",
                f"Phase '{phase}' ({days} recorded days) is excluded from the comparisons "
                "as the protocol asks (e.g. run-in, titration or washout).",
                phase=phase,
            )
        )
    if config.design == "fixed":
        out.append(
            Notice(
                "not_randomized",
                "info",
                "The order of the phases was not randomized, so a difference cannot be "
                "separated from changes over time, expectations or regression to the mean.",
            )
        )
    return out

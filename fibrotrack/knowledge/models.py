"""The knowledge app's models (articles, their revisions, and the opt-in outcome aggregates)."""

# "What worked for others" (opt-in outcome aggregates): kept in their own module.
from fibrotrack.knowledge.outcome_models import OutcomeConsent, OutcomeRun, TreatmentOutcome  # noqa: E402, F401

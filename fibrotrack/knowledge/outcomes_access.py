"""Scoped reads of "what worked for others": a person's own consent; the public, precomputed cells."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

from fibrotrack.knowledge.outcome_models import OutcomeConsent, OutcomeRun, TreatmentOutcome
from fibrotrack.treatments.models import Treatment

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


def get_consent_for_user(user: User) -> OutcomeConsent | None:
    """The person's own consent row (None: never shared). There is no way to reach another person's."""
    return OutcomeConsent.objects.filter(user=user).first()


def get_catalogue_treatment(key: str) -> Treatment:
    """A catalogue entry (never someone's own treatment), or 404."""
    return get_object_or_404(Treatment, user=None, key=key)


def latest_run() -> OutcomeRun | None:
    return OutcomeRun.objects.order_by("-finished_at").first()


def outcome_for(treatment: Treatment) -> TreatmentOutcome | None:
    return TreatmentOutcome.objects.filter(treatment=treatment).first()


def all_outcomes() -> list[TreatmentOutcome]:
    return list(TreatmentOutcome.objects.select_related("treatment"))

"""Scoped reads of "what worked for others": a person's own consent; the public, precomputed cells."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404
from django.utils import timezone

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


def counted_treatments(user: User, consent: OutcomeConsent | None, run: OutcomeRun | None) -> list[str]:
    """The shown treatments that ``run`` took from this person's own courses (read from their own data)."""
    if consent is None or run is None or not consent.was_sharing_at(run.started_at):
        return []
    names = (
        TreatmentOutcome.objects.filter(
            treatment__regimens__user=user, treatment__regimens__started_on__lte=timezone.localdate(run.started_at)
        )
        .values_list("treatment__name", flat=True)
        .distinct()
        .order_by("treatment__name")
    )
    return list(names)


def latest_run() -> OutcomeRun | None:
    return OutcomeRun.objects.order_by("-finished_at").first()


def outcome_for(treatment: Treatment) -> TreatmentOutcome | None:
    return TreatmentOutcome.objects.filter(treatment=treatment).first()


def all_outcomes() -> list[TreatmentOutcome]:
    return list(TreatmentOutcome.objects.select_related("treatment"))

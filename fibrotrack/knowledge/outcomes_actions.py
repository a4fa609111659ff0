"""Every write of "what worked for others": the consent, and the whole recomputation of the cells.

The computation runs only in the background (the nightly ``fibrotrack
compute_outcomes``, the task it can queue, or a staff member's button in the
admin), never on a page request. It replaces every cell at once, so that a
person who stopped sharing leaves no trace in the figures after the next run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from fibrotrack.knowledge.outcome_cells import Cell, build_cells
from fibrotrack.knowledge.outcome_models import OutcomeConsent, OutcomeRun, TreatmentOutcome
from fibrotrack.reports import outcomes
from fibrotrack.treatments.models import Treatment

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


def do_consent(user: User) -> OutcomeConsent:
    """Start (or start again) sharing. Counted from the next computation."""
    consent, _ = OutcomeConsent.objects.get_or_create(user=user)
    consent.consented_at, consent.withdrawn_at = timezone.now(), None
    consent.save(update_fields=["consented_at", "withdrawn_at"])
    return consent


def do_withdraw(user: User) -> bool:
    """Stop sharing. The next computation leaves this person out; returns False if they were not sharing."""
    consent = OutcomeConsent.objects.filter(user=user).first()
    if consent is None or not consent.is_sharing:
        return False
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    return True


def do_compute_outcomes(today: dt.date | None = None) -> OutcomeRun:
    """Recompute every cell from the people sharing now. Runs in the background only."""
    started = timezone.now()
    today = today or timezone.localdate(started)
    # Those sharing when the run started (``OutcomeConsent.was_sharing_at`` tells each person the same).
    consenting = OutcomeConsent.objects.filter(consented_at__lte=started, withdrawn_at=None).values("user_id")
    people = outcomes.people(consenting, today)
    cells = build_cells(people, outcomes.side_effects(consenting))
    treatments = dict(Treatment.objects.filter(user=None).values_list("key", "pk"))
    finished = timezone.now()
    rows = [
        TreatmentOutcome(treatment_id=treatments[c.treatment_key], computed_at=finished, **_fields(c))
        for c in cells
        if c.treatment_key in treatments
    ]
    with transaction.atomic():
        TreatmentOutcome.objects.all().delete()
        TreatmentOutcome.objects.bulk_create(rows)
        run = OutcomeRun.objects.create(
            started_at=started, finished_at=finished, sharing_people=consenting.count(), cells=len(rows)
        )
    return run


def _fields(cell: Cell) -> dict[str, object]:
    values: dict[str, object] = asdict(cell)
    values.pop("treatment_key")
    return values

"""Every write of "what worked for others": the consent, and the whole recomputation of the cells.

The computation runs only in the background (the nightly ``fibrotrack
compute_outcomes``, the task it can queue, or a staff member's button in the
admin), never on a page request. It replaces every cell at once, so that a
person who stopped sharing leaves no trace in the figures after the next run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

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
    today = today or started.date()
    consenting = OutcomeConsent.objects.filter(consented_at__isnull=False, withdrawn_at=None).values("user_id")
    people = outcomes.people(consenting, today)
    cells = build_cells(people, outcomes.side_effects(consenting))
    treatments = {
        key: (pk, name) for key, pk, name in Treatment.objects.filter(user=None).values_list("key", "pk", "name")
    }
    finished = timezone.now()
    rows = [
        TreatmentOutcome(treatment_id=treatments[c.treatment_key][0], computed_at=finished, **_fields(c))
        for c in cells
        if c.treatment_key in treatments
    ]
    shown = {c.treatment_key for c in cells}
    included = (
        people[people.treatment_key.isin(shown)]
        .assign(name=lambda f: f.treatment_key.map(lambda k: treatments.get(k, (0, k))[1]))
        .groupby("user_id")
        .name.agg(sorted)
        if not people.empty
        else None
    )
    with transaction.atomic():
        TreatmentOutcome.objects.all().delete()
        TreatmentOutcome.objects.bulk_create(rows)
        OutcomeConsent.objects.exclude(included_at=None).update(included_at=None, included_treatments=[])
        if included is not None and len(included):
            mapping: dict[Any, Any] = included.to_dict()
            _mark_included({int(uid): list(names) for uid, names in mapping.items()}, finished)
        run = OutcomeRun.objects.create(
            started_at=started, finished_at=finished, sharing_people=consenting.count(), cells=len(rows)
        )
    return run


def _fields(cell: Cell) -> dict[str, object]:
    values: dict[str, object] = asdict(cell)
    values.pop("treatment_key")
    return values


def _mark_included(included: dict[int, list[str]], when: dt.datetime) -> None:
    """Tell each person which of their treatments counted (their own business, shown on their page only)."""
    consents = list(OutcomeConsent.objects.filter(user_id__in=list(included)).only("pk", "user_id"))
    for consent in consents:
        consent.included_at, consent.included_treatments = when, included[consent.user_id]
    OutcomeConsent.objects.bulk_update(consents, ["included_at", "included_treatments"], batch_size=2000)

"""Locking the analysis dataset and running the pre-registered analysis on it (principal investigator only)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fibrostats import AnalysisInputError
from fibrostats import __version__ as fibrostats_version
from fibrotrack.studies import analysis, dataset, roles
from fibrotrack.studies.models import AnalysisRun, DatasetLock, Membership, Participant, Study

_FINISHED = {Participant.Status.COMPLETED, Participant.Status.WITHDRAWN}


def _check_pi(study: Study, by: Any) -> None:
    if not Membership.objects.filter(study=study, user=by, role__in=roles.MANAGES).exists():
        raise PermissionDenied("Only the principal investigator can do this.")


def check_can_lock(study: Study) -> None:
    """A study can be locked once it is closed to enrolment, or once everyone randomised has finished."""
    if study.locked_at is not None:
        raise ValidationError(_("The dataset is already locked."))
    randomised = list(study.participants.filter(randomised_at__isnull=False).values_list("status", flat=True))
    if not randomised:
        raise ValidationError(_("No one has been randomised: there is nothing to lock."))
    if study.status != Study.Status.CLOSED and any(s not in _FINISHED for s in randomised):
        raise ValidationError(
            _("Close the study to enrolment, or wait until every participant has completed or withdrawn.")
        )


@transaction.atomic
def do_lock_dataset(
    study: Study,
    by: Any,
    *,
    lab: Iterable[dict[str, Any]] | None = None,
    guesses: Iterable[dict[str, Any]] | None = None,
) -> DatasetLock:
    """Freeze the analysis dataset (``dataset.build_dataset``) and mark the study LOCKED.

    ``lab`` and ``guesses`` replace ``dataset.lab_rows``/``guess_rows`` (the demo and the tests).
    """
    _check_pi(study, by)
    # A row lock: two PIs pressing the button at once lock once.
    fresh = Study.objects.select_for_update().get(pk=study.pk)
    check_can_lock(fresh)
    payload = dataset.build_dataset(fresh, lab=lab, guesses=guesses)
    text = dataset.canonical(payload)
    lock = DatasetLock.objects.create(
        study=study,
        data=text,
        digest=dataset.sha256(text),
        n_participants=sum(1 for p in payload["participants"] if p["included"]),
        n_days=len(payload["diary"]["rows"]),
        locked_by=by,
    )
    fresh.locked_at = lock.created_at
    fresh.status = Study.Status.LOCKED
    fresh.save(update_fields=["locked_at", "status"])
    study.locked_at, study.status = fresh.locked_at, fresh.status
    return lock


def current_lock(study: Study) -> DatasetLock | None:
    return study.dataset_locks.order_by("-created_at").first() if study.locked_at else None


@transaction.atomic
def do_run_analysis(study: Study, by: Any) -> AnalysisRun:
    """Run the pre-registered analysis on the locked dataset: masked before unblinding, labelled after."""
    _check_pi(study, by)
    # The stored state, not the caller's copy: masking depends on whether the study is unblinded now.
    study = Study.objects.get(pk=study.pk)
    lock = current_lock(study)
    if lock is None:
        raise ValidationError(_("Lock the dataset first: the analysis runs only on a locked dataset."))
    if dataset.sha256(lock.data) != lock.digest:
        raise ValidationError(_("The locked dataset does not match its digest. Nothing was analysed."))
    payload = json.loads(lock.data)
    try:
        run = analysis.run(payload, masked=not study.is_unblinded)
    except AnalysisInputError as error:
        raise ValidationError(_("The analysis could not run: %(error)s") % {"error": error}) from error
    return AnalysisRun.objects.create(
        study=study,
        lock=lock,
        dataset_digest=lock.digest,
        masked=run.masked,
        label_key=run.label_key,
        result=run.result,
        fibrostats_version=fibrostats_version,
        run_by=by,
        created_at=timezone.now(),
    )

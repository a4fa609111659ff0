"""Adverse events: reported by the participant or the staff; a serious one alerts the PI and the monitor at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fibrotrack.lib.tasks import enqueue
from fibrotrack.studies import emails
from fibrotrack.studies.models import AdverseEvent, Participant


def check_can_report(participant: Participant) -> None:
    if participant.randomised_at is None:
        raise ValidationError(_("Adverse events are recorded from the day the participant starts the study."))


@transaction.atomic
def do_report_adverse_event(
    participant: Participant,
    *,
    by: Any,
    role: str,
    description: str,
    onset_on: dt.date,
    severity: str,
    criteria: list[str],
    today: dt.date,
) -> AdverseEvent:
    check_can_report(participant)
    if onset_on > today:
        raise ValidationError(_("The start date cannot be in the future."))
    unknown = set(criteria) - set(AdverseEvent.Criterion.values)
    if unknown:
        raise ValidationError(_("Unknown seriousness criterion."))
    event = AdverseEvent.objects.create(
        participant=participant,
        description=description.strip(),
        onset_on=onset_on,
        severity=severity,
        criteria=sorted(criteria),
        reported_by=by,
        reporter_role=role,
    )
    if event.is_serious:
        # Sent by the worker, after the commit: the request never waits for the mail server.
        enqueue(emails.send_serious_event_alert, event.pk)
    return event

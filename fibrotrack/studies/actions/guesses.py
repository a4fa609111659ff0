"""The end-of-study blinding question: which bottle does the participant think held the study medicine?

Asked once their last blinded period is over (or they have completed), before
the study is unblinded, and never after their own blind was broken: then they
know. Stored per bottle, for Bang's blinding index (computed with the result).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fibrotrack.studies import bottles
from fibrotrack.studies.actions.allocation import protocol_of
from fibrotrack.studies.models import BlindingGuess, Participant

ASKABLE, NOT_YET, ANSWERED, NOT_ASKED = "askable", "not_yet", "answered", "not_asked"


def last_blinded_day(participant: Participant) -> dt.date | None:
    """The last day of the participant's last bottle (the same for every sequence of the protocol's)."""
    if participant.start_date is None:
        return None
    protocol = protocol_of(participant.study)
    last = max((b.last_day for s in protocol.sequences for b in bottles.bottles(protocol, s)), default=None)
    return None if last is None else participant.start_date + dt.timedelta(days=last - 1)


def guess_state(participant: Participant, today: dt.date) -> str:
    if participant.study.is_unblinded or participant.unblindings.exists():
        return NOT_ASKED
    if participant.status not in (Participant.Status.ACTIVE, Participant.Status.COMPLETED):
        return NOT_ASKED
    if bottles.bottle_count(protocol_of(participant.study)) == 0:
        return NOT_ASKED
    if participant.blinding_guesses.exists():
        return ANSWERED
    last = last_blinded_day(participant)
    if participant.status == Participant.Status.COMPLETED or (last is not None and today > last):
        return ASKABLE
    return NOT_YET


@transaction.atomic
def do_record_blinding_guess(participant: Participant, answers: Mapping[int, str], today: dt.date) -> int:
    state = guess_state(participant, today)
    if state == ANSWERED:
        raise ValidationError(_("You have already answered. Thank you."))
    if state != ASKABLE:
        raise ValidationError(_("This question is asked after your last bottle."))
    count = bottles.bottle_count(protocol_of(participant.study))
    if sorted(answers) != list(range(1, count + 1)) or any(
        a not in BlindingGuess.Guess.values for a in answers.values()
    ):
        raise ValidationError(_("Answer for every bottle (“I don’t know” is a fine answer)."))
    BlindingGuess.objects.bulk_create(
        BlindingGuess(participant=participant, bottle=bottle, guess=guess) for bottle, guess in sorted(answers.items())
    )
    return count

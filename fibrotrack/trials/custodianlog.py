"""Who held the blind, as the result reports it.

A custodian sees the allocation, so a custodian who took over after the
start could have told the participant (or been the participant's second
account). Since the custodian froze at the start, that takes an emergency
unblinding first, and the change is logged; this reads the invitations
themselves, so a change that reached the database some other way (or before
that rule) is reported too.
"""

from __future__ import annotations

from django.utils.translation import gettext

from fibrotrack.trials import words
from fibrotrack.trials.models import Trial


def custodian_changes(trial: Trial) -> list[tuple[str, str]]:
    """``(code, message)`` for every custodian who accepted after the start of a blinded trial."""
    if not trial.blinded or trial.started_at is None:
        return []
    first_unblinding = min((u.created_at for u in trial.unblindings.all()), default=None)
    out = []
    for invite in trial.invites.filter(accepted_at__gt=trial.started_at).order_by("accepted_at"):
        accepted = invite.accepted_at
        if accepted is None:  # excluded by the filter; for the type checker
            continue
        day = words.format_date(accepted, "j F Y")
        if first_unblinding is None or accepted < first_unblinding:
            text = gettext(
                "A new custodian took over on %(day)s, after the start, while the trial was still blind. They "
                "could see which bottle was which, so the blind may have been broken from then on."
            )
        else:
            text = gettext("A new custodian took over on %(day)s, after the start, after the blind was broken.")
        out.append(("custodian_changed", text % {"day": day}))
    return out

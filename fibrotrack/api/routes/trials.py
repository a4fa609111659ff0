"""Your personal trials, read only, through the same display code as the trial page.

While a blinded trial is blind, the participant sees what the page shows
them: the blinded phases merged into one "blinded part", and only today's
bottle letter. ``access.may_see_allocation`` decides, as for the pages; the
blinding sweep (trials/tests/test_blinding_sweep.py) fetches these too.
"""

from __future__ import annotations

from typing import Any

from ninja import Router

from fibrotrack.api import schemas
from fibrotrack.api.auth import ApiRequest
from fibrotrack.api.errors import READ_ERRORS
from fibrotrack.lib.dates import diary_day
from fibrotrack.trials import access, display
from fibrotrack.trials.models import Trial

router = Router(tags=["trials"])


def _trial(trial: Trial, user: Any) -> dict[str, Any]:
    today = diary_day(user)
    reveal = access.may_see_allocation(trial, "participant")
    now = display.today_view(trial, today, reveal=reveal) if trial.is_running else None
    return {
        "id": trial.pk,
        "title": trial.title,
        "status": trial.status,
        "blinded": trial.blinded,
        "blind_now": trial.is_blind_now,
        "treatment_name": trial.treatment_name,
        "control_name": trial.control_name,
        "primary_outcome": trial.primary_outcome.name,
        "start_date": trial.start_date,
        "summary": display.summary_line(trial),
        "segments": [
            {
                "label": s.label,
                "start": s.start,
                "end": s.end,
                "days": s.days,
                "blinded": s.blinded,
                "current": s.current,
                "past": s.past,
                "detail": s.detail,
            }
            for s in display.segment_views(trial, today, reveal=reveal)
        ],
        "today": None
        if now is None
        else {
            "day": now.day,
            "number": now.number,
            "total": now.total,
            "segment": now.segment,
            "instruction": now.instruction,
            "container": now.container,
        },
    }


@router.get("/trials", response={200: list[schemas.Trial], **READ_ERRORS}, url_name="trials")
def list_trials(request: ApiRequest) -> Any:
    """Your own trials (as their participant)."""
    user: Any = request.auth
    return [_trial(t, user) for t in access.trials_for_user(user)]


@router.get("/trials/{trial_id}", response={200: schemas.Trial, **READ_ERRORS}, url_name="trial")
def get_trial(request: ApiRequest, trial_id: int) -> Any:
    user: Any = request.auth
    return _trial(access.get_trial_for_user(user, trial_id), user)

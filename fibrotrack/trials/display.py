"""What each viewer may see of a trial's calendar, today's instruction and progress.

This is the one place that turns the sealed schedule into something shown.
With ``reveal=False`` (the participant of a blinded trial) blinded phases are
merged into one "blinded part", named neutrally, and the only thing taken
from the allocation is today's container letter, which the participant needs
in order to take the right bottle. Everything else stays sealed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fibrotrack.trials import dataset, protocols, schedule
from fibrotrack.trials.models import Trial

BLINDED_LABEL = "Blinded part"


@dataclass
class SegmentView:
    label: str
    start: dt.date
    end: dt.date
    days: int
    blinded: bool
    counts: bool
    current: bool
    past: bool
    detail: str


@dataclass
class Today:
    day: dt.date
    number: int
    total: int
    left: int
    segment: str
    segment_day: int
    segment_days: int
    instruction: str
    container: str | None


@dataclass
class Progress:
    days_so_far: int
    recorded: int
    missed: int
    adherence_pct: int | None
    adherence_days: int


def container_for(trial: Trial, kind: str) -> str | None:
    allocation = trial.allocation_or_none()
    if allocation is None:
        return None
    letter = allocation.payload.get("containers", {}).get(kind)
    return str(letter) if letter else None


def segment_views(trial: Trial, today: dt.date, *, reveal: bool) -> list[SegmentView]:
    sched = trial.actual_schedule()
    out = []
    for seg in schedule.segments(sched, reveal=reveal):
        if seg.blinded:
            label = BLINDED_LABEL
            kinds = {s.phase.kind for s in seg.phases}
            detail = (
                f"{len(seg.phases)} blinded period{'s' if len(seg.phases) != 1 else ''}; "
                "which bottle holds what is sealed until the end."
                if len(kinds) > 1 or len(seg.phases) > 1
                else "Which bottle holds what is sealed until the end."
            )
        else:
            s = seg.phases[0]
            label = trial.label_for(s.phase.kind)
            detail = ""
            if s.phase.blinded:
                letter = container_for(trial, s.phase.kind)
                detail = f"Bottle {letter}" if letter else ""
            if s.phase.block is not None:
                detail = (detail + "; " if detail else "") + f"randomized block {s.phase.block}"
        out.append(
            SegmentView(
                label=label,
                start=seg.start,
                end=seg.end,
                days=seg.days,
                blinded=seg.blinded,
                counts=all(s.phase.counts for s in seg.phases),
                current=seg.covers(today),
                past=seg.end < today,
                detail=detail,
            )
        )
    return out


def instruction(trial: Trial, kind: str, blinded_phase: bool) -> tuple[str, str | None]:
    if blinded_phase:
        letter = container_for(trial, kind)
        if letter:
            return f"Take your trial capsules from bottle {letter}.", letter
        return "Take your trial capsules.", None
    name = trial.treatment_name
    texts = {
        protocols.BASELINE: "Nothing new today: carry on as usual and fill in your diary.",
        protocols.TREATMENT: f"Take {name} as planned.",
        protocols.PLACEBO: "Take the placebo as planned.",
        protocols.COMPARISON: f"Take {trial.control_name} as planned.",
        protocols.WASHOUT: f"Washout: do not take {name}. Keep filling in your diary.",
        protocols.PAUSE: f"Pause: do not take {name}.",
    }
    return texts.get(kind, ""), None


def today_view(trial: Trial, day: dt.date, *, reveal: bool) -> Today | None:
    sched = trial.actual_schedule()
    placed = schedule.phase_on(sched, day)
    if placed is None or trial.start_date is None or trial.last_day is None:
        return None
    segs = schedule.segments(sched, reveal=reveal)
    seg = next(s for s in segs if s.covers(day))
    text, letter = instruction(trial, placed.phase.kind, placed.phase.blinded)
    return Today(
        day=day,
        number=schedule.day_number(trial.start_date, day),
        total=(trial.last_day - trial.start_date).days + 1,
        left=schedule.days_left(trial.last_day, day),
        segment=BLINDED_LABEL if seg.blinded else trial.label_for(placed.phase.kind),
        segment_day=(day - seg.start).days + 1,
        segment_days=seg.days,
        instruction=text,
        container=letter,
    )


def progress(trial: Trial, today: dt.date) -> Progress | None:
    """Diary days recorded and missed, and adherence, from the start to yesterday (today may still be filled in)."""
    sched = trial.actual_schedule()
    if not sched or trial.start_date is None or today <= trial.start_date:
        return None
    end = min(sched[-1].end, today - dt.timedelta(days=1))
    if end < trial.start_date:
        return None
    values = dataset.scores_by_symptom(trial.user, [trial.primary_outcome], trial.start_date, end)[
        trial.primary_outcome.pk
    ]
    so_far = (end - trial.start_date).days + 1
    adherence = dataset.adherence_by_day(trial, sched, end)
    shares = [v for d, v in adherence.items() if v is not None and d <= end]
    return Progress(
        days_so_far=so_far,
        recorded=len(values),
        missed=so_far - len(values),
        adherence_pct=round(100 * sum(shares) / len(shares)) if shares else None,
        adherence_days=len(shares),
    )


def summary_line(trial: Trial) -> str:
    """The protocol in one line, safe for the participant (planned order, no allocation)."""
    parts = []
    for p in trial.phases.all():
        name = trial.label_for(p.kind)
        extra = []
        if p.blinded:
            extra.append("blinded")
        if p.block is not None:
            extra.append(f"randomized pair {p.block}" if trial.template == protocols.PAIRS else "order randomized")
        if not p.counts_in_analysis:
            extra.append("not counted")
        parts.append(f"{name} {p.days} days" + (f" ({', '.join(extra)})" if extra else ""))
    return "; ".join(parts)


def context_for(trial: Trial, today: dt.date, role: str, reveal: bool) -> dict[str, Any]:
    return {
        "trial": trial,
        "role": role,
        "reveal": reveal,
        "segments": segment_views(trial, today, reveal=reveal),
        "today_view": today_view(trial, today, reveal=reveal) if trial.is_running else None,
        "summary": summary_line(trial),
    }

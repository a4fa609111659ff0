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
from typing import Any, cast

from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from fibrotrack.trials import dataset, protocols, schedule
from fibrotrack.trials.models import Trial

# Lazy, so that a comparison with today's segment (reminders/texts.py) is made in one language: the
# segment is translated when the view is built, this when compared. Typed as the text it stands for.
BLINDED_LABEL = cast(str, _("Blinded part"))


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
    # The segment inside a sentence ("day 3 of 98, blinded part."): lower case, except in German.
    segment_in_sentence: str = ""


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
            label = str(BLINDED_LABEL)
            kinds = {s.phase.kind for s in seg.phases}
            count = len(seg.phases)
            detail = (
                ngettext(
                    "%(count)d blinded period; which bottle holds what is sealed until the end.",
                    "%(count)d blinded periods; which bottle holds what is sealed until the end.",
                    count,
                )
                % {"count": count}
                if len(kinds) > 1 or count > 1
                else gettext("Which bottle holds what is sealed until the end.")
            )
        else:
            s = seg.phases[0]
            label = trial.label_for(s.phase.kind)
            detail = ""
            if s.phase.blinded:
                letter = container_for(trial, s.phase.kind)
                detail = gettext("Bottle %(letter)s") % {"letter": letter} if letter else ""
            if s.phase.block is not None:
                block = gettext("randomized block %(number)d") % {"number": s.phase.block}
                detail = gettext("%(bottle)s; %(block)s") % {"bottle": detail, "block": block} if detail else block
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
            return gettext("Take your trial capsules from bottle %(letter)s.") % {"letter": letter}, letter
        return gettext("Take your trial capsules."), None
    names = {"name": trial.label_for(protocols.TREATMENT), "control": trial.label_for(protocols.COMPARISON)}
    texts = {
        protocols.BASELINE: gettext("Nothing new today: carry on as usual and fill in your diary."),
        protocols.TREATMENT: gettext("Take %(name)s as planned."),
        protocols.PLACEBO: gettext("Take the placebo as planned."),
        protocols.COMPARISON: gettext("Take %(control)s as planned."),
        protocols.WASHOUT: gettext("Washout: do not take %(name)s. Keep filling in your diary."),
        protocols.PAUSE: gettext("Pause: do not take %(name)s."),
    }
    text = texts.get(kind, "")
    return (text % names if "%(" in text else text), None


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
        segment=str(BLINDED_LABEL) if seg.blinded else trial.label_for(placed.phase.kind),
        segment_in_sentence=pgettext("inside a sentence", "blinded part")
        if seg.blinded
        else trial.in_sentence(placed.phase.kind),
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
            extra.append(pgettext("a trial phase", "blinded"))
        if p.block is not None:
            extra.append(
                gettext("randomized pair %(number)d") % {"number": p.block}
                if trial.template == protocols.PAIRS
                else gettext("order randomized")
            )
        if not p.counts_in_analysis:
            extra.append(gettext("not counted"))
        text = ngettext("%(name)s %(days)d day", "%(name)s %(days)d days", p.days) % {"name": name, "days": p.days}
        parts.append(gettext("%(phase)s (%(notes)s)") % {"phase": text, "notes": ", ".join(extra)} if extra else text)
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

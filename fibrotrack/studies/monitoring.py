"""The monitoring dashboard's numbers: enrolment, the CONSORT flow, diary completion, safety, withdrawals.

Everything is computed in a fixed number of queries, whatever the number of
participants (the dashboard of a 1,000-person study is benchmarked): the
database counts each participant's check-ins inside their own study window
(one grouped query), and only the last ``STRIP_DAYS`` days are fetched row by
row for the per-day strip.

A study sees a participant's diary only if their latest consent shares it
("diary"), only from their start date, and never after they withdrew asking
for their data to be removed. Completion is shown by participant code: no
names, and nothing about the allocation.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Count, F

from fibrotrack.diary.models import CheckIn
from fibrotrack.studies.models import AdverseEvent, ConsentSignature, Participant, Screening, Study
from fibrotrack.treatments.models import DoseLog, Regimen

#: Days shown in each participant's completion strip.
STRIP_DAYS = 14
#: A day without a check-in is flagged once this many days have passed (people catch up the next day).
FLAG_AFTER_DAYS = 2

DONE, MISSING, PENDING, OUTSIDE = "done", "missing", "pending", "outside"


@dataclass(frozen=True)
class Flow:
    """The CONSORT-style flow: how many people reached each step and why the others did not."""

    screened: int
    screen_failed: int
    fail_reasons: list[tuple[str, int]]
    eligible: int
    withdrawn_before_randomisation: int
    waiting: int
    randomised: int
    active: int
    completed: int
    withdrawn_after_randomisation: int


@dataclass(frozen=True)
class DayMark:
    day: dt.date
    state: str


@dataclass(frozen=True)
class CompletionRow:
    participant: Participant
    study_day: int | None
    expected: int
    done: int
    flagged: int
    strip: list[DayMark]
    shares_diary: bool
    # Study capsules logged as taken, and nights they were due up to last night; None when the
    # participant does not share their doses with the study (or the design has no nightly capsules).
    adherence: tuple[int, int] | None = None

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.expected) if self.expected else None

    @property
    def adherence_percent(self) -> int | None:
        if self.adherence is None or not self.adherence[1]:
            return None
        return round(100 * self.adherence[0] / self.adherence[1])

    @property
    def missing_days(self) -> list[dt.date]:
        return [m.day for m in self.strip if m.state == MISSING]


@dataclass(frozen=True)
class Dashboard:
    study: Study
    today: dt.date
    target: int
    consented: int
    flow: Flow
    rows: list[CompletionRow]
    adverse_events: list[AdverseEvent]
    withdrawals: list[Participant]
    strip_days: list[dt.date] = field(default_factory=list)

    @property
    def enrolment_percent(self) -> int:
        """Randomised participants against the target (the target counts people randomised)."""
        return min(100, round(100 * self.flow.randomised / self.target)) if self.target else 0

    @property
    def serious_events(self) -> list[AdverseEvent]:
        return [e for e in self.adverse_events if e.is_serious]

    @property
    def flagged_rows(self) -> list[CompletionRow]:
        return [r for r in self.rows if r.flagged]

    @property
    def overall_percent(self) -> int | None:
        """Diary days filled in across every participant who shares the diary."""
        expected = sum(r.expected for r in self.rows)
        return round(100 * sum(r.done for r in self.rows) / expected) if expected else None


def diary_window(participant: Participant, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last diary day the study may read for ``participant`` up to ``today``, or None."""
    if participant.start_date is None or participant.end_date is None or participant.start_date > today:
        return None
    if participant.status == Participant.Status.WITHDRAWN and participant.withdrawal_keeps_data is False:
        return None
    last = min(today, participant.end_date)
    return (participant.start_date, last) if last >= participant.start_date else None


_PAST_SCREENING = {
    Participant.Status.SCREEN_FAILED,
    Participant.Status.ELIGIBLE,
    Participant.Status.ACTIVE,
    Participant.Status.COMPLETED,
}


def _was_screened(p: Participant) -> bool:
    # A withdrawal says nothing about screening: the screener's record does.
    return p.status in _PAST_SCREENING or p.randomised_at is not None or bool(getattr(p, "has_screening", False))


def _flow(participants: list[Participant]) -> Flow:
    status = Counter(p.status for p in participants)
    randomised = [p for p in participants if p.randomised_at is not None]
    reasons: Counter[str] = Counter()
    for p in participants:
        if p.status == Participant.Status.SCREEN_FAILED:
            reasons.update(str(r) for r in p.screen_fail_reasons or ["(no reason recorded)"])
    withdrawn_before = sum(
        1 for p in participants if p.status == Participant.Status.WITHDRAWN and p.randomised_at is None
    )
    screened = sum(1 for p in participants if _was_screened(p))
    failed = status[Participant.Status.SCREEN_FAILED]
    return Flow(
        screened=screened,
        screen_failed=failed,
        fail_reasons=reasons.most_common(),
        eligible=screened - failed,
        withdrawn_before_randomisation=withdrawn_before,
        waiting=status[Participant.Status.ELIGIBLE],
        randomised=len(randomised),
        active=status[Participant.Status.ACTIVE],
        completed=status[Participant.Status.COMPLETED],
        withdrawn_after_randomisation=sum(1 for p in randomised if p.status == Participant.Status.WITHDRAWN),
    )


def build_dashboard(study: Study, today: dt.date) -> Dashboard:
    participants = list(study.participants.order_by("code"))
    # What each participant's latest signature shares: one narrow query rather than a prefetch of 1,000 sets.
    shares: dict[int, set[str]] = {}
    signed = ConsentSignature.objects.filter(participant__study=study).order_by("participant_id", "signed_at")
    for participant_id, shared in signed.values_list("participant_id", "shares"):
        shares[participant_id] = set(shared)
    screened_ids = set(Screening.objects.filter(participant__study=study).values_list("participant_id", flat=True))
    for p in participants:
        p.has_screening = p.pk in screened_ids  # type: ignore[attr-defined]
    # Check-ins inside each participant's own window, counted by the database per person (one grouped
    # query over the diary's (user, day) index), and the last days' rows for the strips.
    in_study = CheckIn.objects.filter(
        user__study_participations__study=study,
        day__gte=F("user__study_participations__start_date"),
        day__lte=F("user__study_participations__end_date"),
    ).filter(day__lte=today)
    counts = dict(in_study.order_by().values("user_id").annotate(n=Count("id")).values_list("user_id", "n"))
    strip_days = [today - dt.timedelta(days=n) for n in range(STRIP_DAYS - 1, -1, -1)]
    readable: dict[int, tuple[Participant, tuple[dt.date, dt.date]]] = {}
    for p in participants:
        window = diary_window(p, today)
        if p.user_id is not None and window is not None and "diary" in shares.get(p.pk, set()):
            readable[p.user_id] = (p, window)
    recent: dict[int, set[dt.date]] = defaultdict(set)
    for user_id, day in in_study.filter(day__gte=strip_days[0]).values_list("user_id", "day"):
        recent[user_id].add(day)
    dosing = {p.user_id for p in participants if p.user_id is not None and "doses" in shares.get(p.pk, set())}
    taken = _adherence(study, dosing, today)
    rows = [
        replace(
            _row(p, today, readable.get(p.user_id or 0), recent, counts, strip_days),
            adherence=taken.get(p.user_id or 0) if p.user_id in dosing and diary_window(p, today) else None,
        )
        for p in participants
        if p.randomised_at
    ]
    # The people to chase first: most days missing, then the lowest completion.
    rows.sort(key=lambda r: (-r.flagged, r.percent if r.percent is not None else 101, r.participant.code))
    events = list(
        AdverseEvent.objects.filter(participant__study=study).select_related("participant").order_by("-created_at")
    )
    return Dashboard(
        study=study,
        today=today,
        target=study.target_enrolment,
        # Everyone who consented and got a participant code, screened or not yet.
        consented=len(participants),
        flow=_flow(participants),
        rows=rows,
        adverse_events=sorted(events, key=lambda e: (not e.is_serious, -e.created_at.timestamp())),
        withdrawals=[p for p in participants if p.status == Participant.Status.WITHDRAWN],
        strip_days=strip_days,
    )


def _adherence(study: Study, users: set[int], today: dt.date) -> dict[int, tuple[int, int]]:
    """Per person: (capsules logged taken, nights due up to last night) over the study's capsule courses.

    The courses are the regimens the study added to each participant's own treatments (prescriber = the
    study's short code, ``actions.allocation``); doses are what they logged in their check-in. Two
    queries whatever the number of participants.
    """
    last_night = today - dt.timedelta(days=1)
    courses = Regimen.objects.filter(user_id__in=users, prescriber=study.capsule_prescriber, started_on__lte=last_night)
    due: dict[int, int] = defaultdict(int)
    for user_id, started, stopped in courses.values_list("user_id", "started_on", "stopped_on"):
        end = min(stopped or last_night, last_night)
        due[user_id] += max(0, (end - started).days + 1)
    logged = (
        DoseLog.objects.filter(regimen__in=courses, day__lte=last_night)
        .exclude(status=DoseLog.Status.SKIPPED)
        .order_by()
        .values("regimen__user_id")
        .annotate(n=Count("id"))
        .values_list("regimen__user_id", "n")
    )
    taken = dict(logged)
    return {user_id: (min(taken.get(user_id, 0), n), n) for user_id, n in due.items()}


def _row(
    p: Participant,
    today: dt.date,
    readable: tuple[Participant, tuple[dt.date, dt.date]] | None,
    recent: dict[int, set[dt.date]],
    counts: dict[int, int],
    strip_days: list[dt.date],
) -> CompletionRow:
    if readable is None:
        return CompletionRow(p, p.study_day(today), 0, 0, 0, [DayMark(d, OUTSIDE) for d in strip_days], False)
    first, last = readable[1]
    expected = (last - first).days + 1
    days = recent.get(p.user_id or 0, set())
    strip = []
    flagged = 0
    for d in strip_days:
        if d < first or d > last:
            state = OUTSIDE
        elif d in days:
            state = DONE
        elif (today - d).days >= FLAG_AFTER_DAYS:
            state = MISSING
            flagged += 1
        else:
            state = PENDING
        strip.append(DayMark(d, state))
    return CompletionRow(p, p.study_day(today), expected, counts.get(p.user_id or 0, 0), flagged, strip, True)


def flow_for(study: Study) -> Flow:
    """The CONSORT flow on its own (the results page and the paper), in two queries."""
    participants = list(study.participants.all())
    screened_ids = set(Screening.objects.filter(participant__study=study).values_list("participant_id", flat=True))
    for p in participants:
        p.has_screening = p.pk in screened_ids  # type: ignore[attr-defined]
    return _flow(participants)

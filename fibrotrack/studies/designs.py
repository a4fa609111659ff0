"""Study protocols: the schema stored in ``Study.protocol`` and the published designs to start from.

Pure data and validation, no models. A protocol is a ``Protocol``; it round-trips through
``to_json``/``from_json`` (what ``Study.protocol`` and every ``ProtocolVersion`` hold).

The shape of a design:

* **conditions**: what a participant is in on a given day (baseline, placebo,
  LDN 4.5 mg, washout, or a one-day lab session), each with its length;
* **sequences**: the orders a participant can be allocated to, each a list of
  condition keys. A fixed design (the 2009 pilot) has one sequence; a
  counterbalanced crossover has "AB" and "BA"; an N-of-1 series has every
  order of its treatment/placebo pairs. Randomisation allocates sequences;
* **visits**: lab visits on study days with a window either side, and which
  lab measures the blinded assessor enters there;
* **eligibility**, the **contrasts** to analyse, the **responder** rule and the
  **stratification** factor and **block sizes** of the allocation.

Citations are given only for papers we opened; designs that reproduce them
say so, and every length can be changed while the study is a draft.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

SCHEMA_VERSION = 1

BASELINE, PLACEBO, TREATMENT, WASHOUT, SESSION = "baseline", "placebo", "treatment", "washout", "session"
CONDITION_KINDS = {
    BASELINE: _("Baseline (nothing new)"),
    PLACEBO: _("Placebo"),
    TREATMENT: _("Treatment being studied"),
    WASHOUT: _("Washout"),
    SESSION: _("Lab session"),
}
#: Lab measures a blinded assessor can enter (as personal trials' assessments).
MEASURES = {
    "pressure_kpa": _("Pressure pain threshold (kPa)"),
    "heat_c": _("Heat pain threshold (°C)"),
    "cold_c": _("Cold pain threshold (°C)"),
    "cold_pressor_s": _("Cold-pressor time (seconds, stopped at the cap)"),
}
#: Stratification factors the allocation can be drawn within.
STRATA = {"": _("None"), "site": _("Site (from the invitation code)"), "group": _("Group (e.g. patients and controls)")}
BLINDING = {"none": _("Open label"), "single": _("Single-blind"), "double": _("Double-blind")}

PILOT_2009, CROSSOVER_2013, SINGLE_DOSE_2009, NOF1_SERIES, CUSTOM = (
    "ldn_pilot_2009",
    "ldn_crossover_2013",
    "naltrexone_single_dose_2009",
    "nof1_series",
    "custom",
)


class ProtocolError(ValueError):
    """A protocol that cannot be run as written; the message says what to change."""


@dataclass(frozen=True)
class Condition:
    key: str
    kind: str
    label: str
    days: int
    blinded: bool = False
    # Washout and run-in days usually do not count in the analysis.
    counts: bool = True
    dose: str = ""


@dataclass(frozen=True)
class Visit:
    key: str
    label: str
    # Study day (1 = the participant's first day), or, with ``condition``, the day within that condition.
    day: int
    window_before: int = 2
    window_after: int = 2
    measures: tuple[str, ...] = ()
    condition: str = ""


@dataclass(frozen=True)
class Eligibility:
    min_age: int = 18
    max_age: int | None = None
    women_only: bool = False
    # The ACR 2016 criteria, scored from the screener's WPI and SSS answers.
    requires_acr_2016: bool = True
    # Naltrexone blocks opioid painkillers: current opioid use excludes.
    excludes_opioids: bool = True
    # Further yes/no exclusion questions in plain words ("Are you pregnant or breastfeeding?").
    exclusion_questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Protocol:
    title: str
    summary: str
    citation: str
    conditions: tuple[Condition, ...]
    sequences: dict[str, tuple[str, ...]]
    contrasts: tuple[tuple[str, str], ...]
    primary_outcome: str = "pain"
    secondary_outcomes: tuple[str, ...] = ("fatigue", "sleep_quality", "mood")
    visits: tuple[Visit, ...] = ()
    eligibility: Eligibility = field(default_factory=Eligibility)
    blinding: str = "double"
    groups: tuple[str, ...] = ()
    stratify_by: str = ""
    block_sizes: tuple[int, ...] = (2, 4)
    responder_threshold_pct: int = 30
    # Mean of each condition's final N days as its endpoint (0: every counted day).
    endpoint_last_days: int = 0
    cold_pressor_cap_s: int = 180
    template: str = CUSTOM
    notes: tuple[str, ...] = ()
    schema: int = SCHEMA_VERSION

    # Reading -------------------------------------------------------------------------

    def condition(self, key: str) -> Condition:
        for c in self.conditions:
            if c.key == key:
                return c
        raise ProtocolError(f"No condition called {key!r}.")

    @property
    def is_randomised(self) -> bool:
        return len(self.sequences) > 1

    def length_days(self, sequence: str) -> int:
        return sum(self.condition(k).days for k in self.sequences[sequence])

    def longest_days(self) -> int:
        """The longest sequence: a window the same for everyone, so it tells nothing about the allocation."""
        return max(self.length_days(name) for name in self.sequences)

    def schedule(self, sequence: str) -> list[tuple[int, int, Condition]]:
        """``(first study day, last study day, condition)`` for each step of ``sequence``."""
        out, day = [], 1
        for key in self.sequences[sequence]:
            c = self.condition(key)
            out.append((day, day + c.days - 1, c))
            day += c.days
        return out

    def condition_on(self, sequence: str, study_day: int) -> Condition | None:
        for first, last, c in self.schedule(sequence):
            if first <= study_day <= last:
                return c
        return None

    def visit_days(self, sequence: str) -> list[tuple[Visit, int]]:
        """Each visit with its study day in ``sequence`` (condition-relative visits placed within it)."""
        starts = {c.key: first for first, _last, c in self.schedule(sequence)}
        out = []
        for v in self.visits:
            out.append((v, starts[v.condition] + v.day - 1 if v.condition else v.day))
        return sorted(out, key=lambda pair: pair[1])

    # Checking ------------------------------------------------------------------------

    def validate(self) -> None:
        keys = [c.key for c in self.conditions]
        if len(set(keys)) != len(keys):
            raise ProtocolError("Two conditions have the same key.")
        for c in self.conditions:
            if c.kind not in CONDITION_KINDS:
                raise ProtocolError(f"Unknown condition kind {c.kind!r}.")
            if not 1 <= c.days <= 365:
                raise ProtocolError(f"{c.label}: a condition lasts 1 to 365 days.")
        if not self.sequences:
            raise ProtocolError("A protocol needs at least one sequence.")
        for name, seq in self.sequences.items():
            if not seq or any(k not in keys for k in seq):
                raise ProtocolError(f"Sequence {name} names a condition that does not exist.")
        kinds = {c.key: c.kind for c in self.conditions}
        for ref, trt in self.contrasts:
            if ref not in kinds or trt not in kinds:
                raise ProtocolError(f"The contrast {ref} vs {trt} names a condition that does not exist.")
        if self.blinding not in BLINDING:
            raise ProtocolError("Blinding must be none, single or double.")
        if self.stratify_by not in STRATA:
            raise ProtocolError("Unknown stratification factor.")
        if self.stratify_by == "group" and not self.groups:
            raise ProtocolError("Stratifying by group needs the groups to be named.")
        if not self.block_sizes or any(b < 1 for b in self.block_sizes):
            raise ProtocolError("Block sizes must be positive.")
        if self.is_randomised and any(b % len(self.sequences) for b in self.block_sizes):
            raise ProtocolError(
                f"Each block size must be a multiple of the number of sequences ({len(self.sequences)}), "
                "so that every block is balanced."
            )
        if not 5 <= self.responder_threshold_pct <= 90:
            raise ProtocolError("The responder threshold is between 5% and 90%.")
        for v in self.visits:
            if v.condition and v.condition not in keys:
                raise ProtocolError(f"Visit {v.label} is placed in a condition that does not exist.")
            if any(m not in MEASURES for m in v.measures):
                raise ProtocolError(f"Visit {v.label} asks for an unknown measure.")

    # Storage -------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["sequences"] = {k: list(v) for k, v in self.sequences.items()}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Protocol:
        if not data:
            raise ProtocolError("This study has no protocol yet.")
        d = dict(data)
        d["conditions"] = tuple(Condition(**c) for c in d["conditions"])
        d["sequences"] = {k: tuple(v) for k, v in d["sequences"].items()}
        d["contrasts"] = tuple(tuple(pair) for pair in d["contrasts"])
        d["visits"] = tuple(Visit(**{**v, "measures": tuple(v.get("measures", ()))}) for v in d.get("visits", ()))
        e = dict(d.get("eligibility") or {})
        e["exclusion_questions"] = tuple(e.get("exclusion_questions", ()))
        d["eligibility"] = Eligibility(**e)
        for name in ("secondary_outcomes", "groups", "block_sizes", "notes"):
            d[name] = tuple(d.get(name, ()))
        return cls(**d)


# The published designs ------------------------------------------------------------------

PILOT_CITATION = (
    "Younger J, Mackey S. Fibromyalgia symptoms are reduced by low-dose naltrexone: a pilot study. "
    "Pain Medicine. 2009;10(4):663-672."
)
CROSSOVER_CITATION = (
    "Younger J, Noor N, McCue R, Mackey S. Low-dose naltrexone for the treatment of fibromyalgia: findings of "
    "a small, randomized, double-blind, placebo-controlled, counterbalanced, crossover trial assessing daily "
    "pain levels. Arthritis & Rheumatism. 2013;65(2):529-538."
)
SINGLE_DOSE_CITATION = (
    "Younger JW, Zautra AJ, Cummins ET. Effects of naltrexone on pain sensitivity and mood in fibromyalgia: "
    "no evidence for endogenous opioid pathophysiology. PLoS One. 2009;4(4):e5180."
)
LAB = ("pressure_kpa", "heat_c", "cold_c", "cold_pressor_s")


def _fortnightly_visits(total_days: int) -> tuple[Visit, ...]:
    return tuple(
        Visit(key=f"v{n}", label=f"Visit {n}", day=day, measures=LAB)
        for n, day in enumerate(range(1, total_days + 1, 14), start=1)
    )


def ldn_pilot_2009() -> Protocol:
    conditions = (
        Condition(BASELINE, BASELINE, gettext_noop("Baseline"), 14),
        Condition(PLACEBO, PLACEBO, gettext_noop("Placebo"), 14, blinded=True),
        Condition(
            "ldn",
            TREATMENT,
            gettext_noop("LDN 4.5 mg"),
            56,
            blinded=True,
            dose=gettext_noop("4.5 mg naltrexone at night"),
        ),
        Condition(WASHOUT, WASHOUT, gettext_noop("Washout"), 14, counts=False),
    )
    return Protocol(
        title=gettext_noop("Low-dose naltrexone pilot (single-blind, fixed order)"),
        summary=gettext_noop(
            "Every participant keeps a daily diary through 2 weeks of baseline, 2 weeks of placebo (single-blind), "
            "8 weeks of LDN 4.5 mg and 2 weeks of washout, with mechanical, heat and cold pain thresholds in the "
            "lab every two weeks, as in the 2009 pilot."
        ),
        citation=PILOT_CITATION,
        conditions=conditions,
        sequences={"fixed": (BASELINE, PLACEBO, "ldn", WASHOUT)},
        contrasts=((PLACEBO, "ldn"), (BASELINE, "ldn")),
        visits=_fortnightly_visits(98),
        blinding="single",
        block_sizes=(1,),
        template=PILOT_2009,
        eligibility=Eligibility(women_only=True),
        notes=(
            gettext_noop(
                "The order is fixed (placebo before LDN), so the design cannot separate the drug from time; "
                "the 2013 crossover randomised the order."
            ),
        ),
    )


def ldn_crossover_2013() -> Protocol:
    conditions = (
        Condition(BASELINE, BASELINE, gettext_noop("Baseline"), 14),
        Condition(
            "ldn",
            TREATMENT,
            gettext_noop("LDN 4.5 mg"),
            84,
            blinded=True,
            dose=gettext_noop("4.5 mg naltrexone at night"),
        ),
        Condition(PLACEBO, PLACEBO, gettext_noop("Placebo"), 28, blinded=True),
    )
    return Protocol(
        title=gettext_noop("Low-dose naltrexone crossover (randomised, double-blind, counterbalanced)"),
        summary=gettext_noop(
            "After a 2-week baseline, each participant takes LDN 4.5 mg for 12 weeks and placebo for 4 weeks, in an "
            "order drawn at random and balanced across participants, with neither participant nor staff knowing "
            "which is which, as in the 2013 trial."
        ),
        citation=CROSSOVER_CITATION,
        conditions=conditions,
        sequences={"AB": (BASELINE, "ldn", PLACEBO), "BA": (BASELINE, PLACEBO, "ldn")},
        contrasts=((PLACEBO, "ldn"), (BASELINE, "ldn")),
        visits=_fortnightly_visits(126),
        blinding="double",
        block_sizes=(2, 4),
        endpoint_last_days=0,
        template=CROSSOVER_2013,
        eligibility=Eligibility(women_only=True),
        notes=(
            gettext_noop(
                "The two conditions differ in length (12 and 4 weeks), so the length of the first blinded period hints "
                "at the order; the published trial had the same property."
            ),
        ),
    )


def naltrexone_single_dose_2009() -> Protocol:
    conditions = (
        Condition(
            "naltrexone_50",
            SESSION,
            gettext_noop("Naltrexone 50 mg session"),
            1,
            blinded=True,
            dose=gettext_noop("50 mg naltrexone"),
        ),
        Condition(WASHOUT, WASHOUT, gettext_noop("Between sessions"), 7, counts=False),
        Condition(PLACEBO, SESSION, gettext_noop("Placebo session"), 1, blinded=True),
    )
    visit_measures = LAB
    return Protocol(
        title=gettext_noop(
            "Single dose of naltrexone 50 mg against placebo in lab sessions, with matched healthy controls"
        ),
        summary=gettext_noop(
            "Women with fibromyalgia and age-matched healthy women each attend two lab sessions, one with 50 mg "
            "naltrexone and one with placebo, in a random, double-blind order; heat, cold and mechanical pain "
            "sensitivity are measured at each session, as in the 2009 PLoS One study. The gap between sessions "
            "(7 days here) is yours to set."
        ),
        citation=SINGLE_DOSE_CITATION,
        conditions=conditions,
        sequences={
            "NP": ("naltrexone_50", WASHOUT, PLACEBO),
            "PN": (PLACEBO, WASHOUT, "naltrexone_50"),
        },
        contrasts=((PLACEBO, "naltrexone_50"),),
        primary_outcome="pain",
        secondary_outcomes=("mood",),
        visits=(
            Visit("s1", gettext_noop("First session"), 1, window_before=0, window_after=0, measures=visit_measures),
            Visit("s2", gettext_noop("Second session"), 9, window_before=0, window_after=0, measures=visit_measures),
        ),
        blinding="double",
        groups=("fibromyalgia", "healthy_control"),
        stratify_by="group",
        block_sizes=(2, 4),
        template=SINGLE_DOSE_2009,
        eligibility=Eligibility(women_only=True, requires_acr_2016=False),
        notes=(
            gettext_noop(
                "Healthy controls are not screened with the ACR criteria; the fibromyalgia group is (the screener asks "
                "which group the person joins)."
            ),
        ),
    )


def nof1_series(pairs: int = 3, period_days: int = 14) -> Protocol:
    conditions = (
        Condition(BASELINE, BASELINE, gettext_noop("Baseline"), 14),
        Condition(
            "ldn",
            TREATMENT,
            gettext_noop("LDN 4.5 mg"),
            period_days,
            blinded=True,
            dose=gettext_noop("4.5 mg naltrexone at night"),
        ),
        Condition(PLACEBO, PLACEBO, gettext_noop("Placebo"), period_days, blinded=True),
    )
    # Every order of the pairs: within each pair LDN and placebo in a random order.
    sequences: dict[str, tuple[str, ...]] = {}
    for orders in itertools.product(("AB", "BA"), repeat=pairs):
        steps: list[str] = [BASELINE]
        for order in orders:
            steps += ["ldn", PLACEBO] if order == "AB" else [PLACEBO, "ldn"]
        sequences["-".join(orders)] = tuple(steps)
    n = len(sequences)
    return Protocol(
        # No numbers in these words, so that they translate whatever the pairs and lengths (shown beside them).
        title=gettext_noop("Series of N-of-1 trials (randomised pairs of LDN and placebo)"),
        summary=gettext_noop(
            "Each participant runs their own blinded trial: pairs of periods, LDN 4.5 mg and placebo in a random "
            "order within each pair. Each person gets their own result, and the series is pooled across participants."
        ),
        citation="",
        conditions=conditions,
        sequences=sequences,
        contrasts=((PLACEBO, "ldn"),),
        blinding="double",
        block_sizes=(n,),
        template=NOF1_SERIES,
    )


def custom() -> Protocol:
    conditions = (
        Condition(BASELINE, BASELINE, gettext_noop("Baseline"), 14),
        Condition("treatment", TREATMENT, gettext_noop("Treatment"), 28, blinded=True),
        Condition(PLACEBO, PLACEBO, gettext_noop("Placebo"), 28, blinded=True),
    )
    return Protocol(
        title=gettext_noop("Custom design"),
        summary=gettext_noop(
            "A two-period crossover to adapt: after a baseline, each participant takes the treatment and placebo "
            "in a random, balanced order. Every comparison is within the same person."
        ),
        citation="",
        conditions=conditions,
        sequences={"AB": (BASELINE, "treatment", PLACEBO), "BA": (BASELINE, PLACEBO, "treatment")},
        contrasts=((PLACEBO, "treatment"),),
        blinding="double",
        block_sizes=(2, 4),
        template=CUSTOM,
    )


def _texts(protocol: Protocol) -> set[str]:
    conditions = {t for c in protocol.conditions for t in (c.label, c.dose)}
    return {protocol.title, protocol.summary, *protocol.notes, *conditions, *(v.label for v in protocol.visits)} - {""}


def template_text(text: str) -> str:
    """A template's own words (stored in English in a protocol) in the reader's language.

    Words the PI wrote or changed are theirs and shown as written.
    """
    return gettext(text) if text in _TEMPLATE_TEXTS else text


TEMPLATES = {
    PILOT_2009: ldn_pilot_2009,
    CROSSOVER_2013: ldn_crossover_2013,
    SINGLE_DOSE_2009: naltrexone_single_dose_2009,
    NOF1_SERIES: nof1_series,
    CUSTOM: custom,
}
_TEMPLATE_TEXTS: set[str] = set().union(*(_texts(make()) for make in TEMPLATES.values()))

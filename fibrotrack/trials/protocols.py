"""Protocol templates: the published designs a person can start from.

Pure data, no Django. Each template gives the phases in planned order, the
comparisons, whether it is blinded by default and the lab-assessment
interval. Everything can be changed before the trial starts.

The names, summaries and notes are English source texts, marked with ``gettext_noop`` for the
catalogue and translated when shown (``trials/words.py``): a template's name is stored in a trial's
registration, which must read the same whatever language the page was in. Citations stay as published.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def gettext_noop(message: str) -> str:
    """Marks a text for the catalogue (makemessages reads the name), without importing Django."""
    return message


BASELINE, PLACEBO, TREATMENT, COMPARISON, WASHOUT, PAUSE = (
    "baseline",
    "placebo",
    "treatment",
    "comparison",
    "washout",
    "pause",
)
#: The kinds in English (stored keys; words.KIND_CHOICES has them in the active language).
KINDS: dict[str, str] = {
    BASELINE: "Baseline (nothing new)",
    PLACEBO: "Placebo",
    TREATMENT: "Treatment being tested",
    COMPARISON: "Comparison treatment",
    WASHOUT: "Washout (stopped, letting it wear off)",
    PAUSE: "Pause",
}
#: Phases in which something is taken from a container, so they can be blinded.
TAKEN_KINDS = (PLACEBO, TREATMENT, COMPARISON)
#: Phases that need at least one treatment regimen linked.
NEEDS_REGIMEN = (TREATMENT, COMPARISON)
#: Phases that usually do not count in the analysis (run-in, washout, pause).
NOT_COUNTED_BY_DEFAULT = (WASHOUT, PAUSE)

LDN_PILOT, CROSSOVER, PAIRS, BEFORE_AFTER, CUSTOM = "ldn_pilot", "crossover", "pairs", "before_after", "custom"

BEFORE_AFTER_CAVEAT = gettext_noop(
    "A before/after comparison cannot separate the effect of the treatment from changes over time, "
    "from expectation (the placebo response) or from regression to the mean (starting something new "
    "during a bad spell that would have eased anyway)."
)


@dataclass(frozen=True)
class PhaseSpec:
    kind: str
    days: int
    counts: bool = True
    blinded: bool = False
    block: int | None = None


@dataclass(frozen=True)
class Template:
    key: str
    name: str
    summary: str
    citation: str
    phases: tuple[PhaseSpec, ...]
    comparisons: tuple[tuple[str, str], ...]
    blinded: bool = False
    assessment_every_days: int = 0
    endpoint_last_days: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: Values for the summary's %(name)s placeholders (the summary itself is the catalogue's msgid).
    summary_args: tuple[tuple[str, int | str], ...] = ()

    @property
    def summary_text(self) -> str:
        """The summary in English, placeholders filled in."""
        return self.summary % dict(self.summary_args)


def ldn_pilot() -> Template:
    return Template(
        key=LDN_PILOT,
        name=gettext_noop("LDN pilot design"),
        summary=gettext_noop(
            "14 days of baseline, 14 days of placebo (single-blind), 56 days of low-dose naltrexone 4.5 mg, "
            "then 14 days of washout. Compares LDN with placebo and with baseline."
        ),
        citation=(
            "Younger J, Mackey S. Fibromyalgia symptoms are reduced by low-dose naltrexone: a pilot study. "
            "Pain Medicine. 2009;10(4):663-672."
        ),
        phases=(
            PhaseSpec(BASELINE, 14),
            PhaseSpec(PLACEBO, 14, blinded=True),
            PhaseSpec(TREATMENT, 56, blinded=True),
            PhaseSpec(WASHOUT, 14, counts=False),
        ),
        comparisons=((PLACEBO, TREATMENT), (BASELINE, TREATMENT)),
        blinded=True,
        assessment_every_days=14,
        notes=(
            gettext_noop(
                "The order is fixed (placebo first), as in the pilot: blinding hides which bottle is which, "
                "but someone who remembers the plan can work out when the switch happens. A randomized "
                "design hides the order too."
            ),
        ),
    )


def crossover() -> Template:
    return Template(
        key=CROSSOVER,
        name=gettext_noop("Crossover"),
        summary=gettext_noop(
            "A 2-week baseline, then LDN for 12 weeks and placebo for 4 weeks in an order drawn at random "
            "by FibroTrack and sealed. The endpoint of each condition is the mean of its final 3 days."
        ),
        citation=(
            "Younger J, Noor N, McCue R, Mackey S. Low-dose naltrexone for the treatment of fibromyalgia: "
            "findings of a small, randomized, double-blind, placebo-controlled, counterbalanced, crossover "
            "trial assessing daily pain levels. Arthritis & Rheumatism. 2013;65(2):529-538."
        ),
        phases=(
            PhaseSpec(BASELINE, 14),
            PhaseSpec(TREATMENT, 84, blinded=True, block=1),
            PhaseSpec(PLACEBO, 28, blinded=True, block=1),
        ),
        comparisons=((PLACEBO, TREATMENT), (BASELINE, TREATMENT)),
        blinded=True,
        assessment_every_days=14,
        endpoint_last_days=True,
        notes=(
            gettext_noop(
                "The two conditions differ in length (12 and 4 weeks), so the length of the first blinded "
                "period hints at the order; the published trial had the same property."
            ),
        ),
    )


def pairs(k: int = 4, n: int = 14, control: str = PLACEBO, blinded: bool = True) -> Template:
    phases = []
    for pair in range(1, k + 1):
        phases.append(PhaseSpec(TREATMENT, n, blinded=blinded, block=pair))
        phases.append(PhaseSpec(control, n, blinded=blinded, block=pair))
    if control == PLACEBO:
        summary = gettext_noop(
            "%(pairs)d pairs of periods of %(days)d days. Within each pair the treatment and placebo come in an "
            "order drawn at random by FibroTrack. Allows a randomization test."
        )
    else:
        summary = gettext_noop(
            "%(pairs)d pairs of periods of %(days)d days. Within each pair the treatment and the comparison "
            "treatment come in an order drawn at random by FibroTrack. Allows a randomization test."
        )
    return Template(
        key=PAIRS,
        name=gettext_noop("Randomized pairs"),
        summary=summary,
        summary_args=(("pairs", k), ("days", n)),
        citation=(
            "Edgington ES, Onghena P. Randomization Tests. 4th ed. Chapman & Hall/CRC; 2007. "
            "Vohra S, et al. CONSORT extension for reporting N-of-1 trials (CENT) 2015. BMJ. 2015;350:h1738."
        ),
        phases=tuple(phases),
        comparisons=((control, TREATMENT),),
        blinded=blinded,
        assessment_every_days=0,
    )


def before_after() -> Template:
    return Template(
        key=BEFORE_AFTER,
        name=gettext_noop("Before/after"),
        summary=gettext_noop("14 days of baseline, then 6 weeks on the treatment. Simple, but weak evidence."),
        citation="",
        phases=(PhaseSpec(BASELINE, 14), PhaseSpec(TREATMENT, 42)),
        comparisons=((BASELINE, TREATMENT),),
        notes=(BEFORE_AFTER_CAVEAT,),
    )


def custom() -> Template:
    return Template(
        key=CUSTOM,
        name=gettext_noop("Custom"),
        summary=gettext_noop(
            "Start from a baseline and a treatment phase, then add, remove and change phases as you need."
        ),
        citation="",
        phases=(PhaseSpec(BASELINE, 14), PhaseSpec(TREATMENT, 28)),
        comparisons=((BASELINE, TREATMENT),),
    )


TEMPLATE_NAMES: dict[str, str] = {
    LDN_PILOT: "LDN pilot design",
    CROSSOVER: "Crossover",
    PAIRS: "Randomized pairs",
    BEFORE_AFTER: "Before/after",
    CUSTOM: "Custom",
}


def get(key: str, **options: int | str | bool) -> Template:
    if key == LDN_PILOT:
        return ldn_pilot()
    if key == CROSSOVER:
        return crossover()
    if key == PAIRS:
        return pairs(**options)  # type: ignore[arg-type]
    if key == BEFORE_AFTER:
        return before_after()
    if key == CUSTOM:
        return custom()
    raise KeyError(key)


def all_templates() -> list[Template]:
    return [ldn_pilot(), crossover(), pairs(), before_after(), custom()]


def possible_comparisons(kinds: set[str]) -> list[tuple[str, str]]:
    """Every sensible (reference, treatment) pair among the kinds a plan has."""
    out = []
    for trt in (TREATMENT, COMPARISON):
        if trt not in kinds:
            continue
        for ref in (PLACEBO, BASELINE, COMPARISON):
            if ref in kinds and ref != trt:
                out.append((ref, trt))
    return out

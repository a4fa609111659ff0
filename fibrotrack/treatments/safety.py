"""Safety rules, as data. Pure: no Django, no database.

Each rule names the treatment flags it reacts to (from the catalogue:
opioid, opioid antagonist, serotonergic, sedative), how it is triggered, how
strongly (a blocking warning must be acknowledged before saving; a caution
is shown but does not stop anything), a plain message, and its sources.
Every message ends with the same reminder: this is information, not medical
advice, and the prescriber is the person to talk to.

Triggers:

* ``together``: two treatments whose date ranges overlap, one with each
  flag (in either order; both flags may be the same, e.g. two serotonergic
  medicines);
* ``after_stop``: a treatment with the first flag has stopped; shown when
  it stops, and when a treatment with the second flag starts within
  ``window_days`` of that stop;
* ``question``: while a treatment with the flag is active, the daily
  check-in asks ``question``; a "yes" shows the message (blocking).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils import translation
from django.utils.text import get_text_list
from django.utils.translation import gettext, gettext_lazy, gettext_noop


class Flag(StrEnum):
    OPIOID = "opioid"
    OPIOID_ANTAGONIST = "opioid_antagonist"
    SEROTONERGIC = "serotonergic"
    SEDATIVE = "sedative"


class Level(StrEnum):
    BLOCK = "block"
    CAUTION = "caution"


class Trigger(StrEnum):
    TOGETHER = "together"
    AFTER_STOP = "after_stop"
    QUESTION = "question"


DISCLAIMER = gettext_noop(
    "This is information, not medical advice. Talk to your prescriber or pharmacist before you start, "
    "stop or change anything."
)

# Shown at once when a serious side effect is logged, and at the top of the doctor's report.
# Lazy: it is imported at module level and shown in the reader's language.
SERIOUS_SIDE_EFFECT_TITLE = gettext_lazy("Contact your doctor or emergency services now")
SERIOUS_SIDE_EFFECT_MESSAGE = gettext_noop(
    "You logged {names}, which can be a serious side effect. Do not wait for your next appointment. "
    "If you cannot reach your doctor, call your local emergency number."
)


def serious_side_effect_message(names: Iterable[str]) -> str:
    """The urgent message for these side effects (names in the active language), in plain words."""
    # Inside a sentence a name starts in lower case, except in German, where nouns keep their capital.
    lower = not (translation.get_language() or "").startswith("de")
    names = [n.lower() if lower and n[:1].isupper() and n[1:2].islower() else n for n in dict.fromkeys(names)] or [
        gettext("this")
    ]
    listed = get_text_list(names, gettext("and"))
    return f"{SERIOUS_SIDE_EFFECT_TITLE}. " + gettext(SERIOUS_SIDE_EFFECT_MESSAGE).format(names=listed)


@dataclass(frozen=True)
class Citation:
    text: str
    url: str = ""


@dataclass(frozen=True)
class Rule:
    """``title``, ``message``, ``question`` and ``acknowledgement`` are English source texts (marked with
    ``gettext_noop``); a ``Finding`` and the ``*_text`` properties give them in the active language.
    Citations stay as published."""

    key: str
    trigger: Trigger
    level: Level
    flags: tuple[Flag, ...]
    title: str
    message: str  # may use {first} and {second}: the names of the treatments involved
    citations: tuple[Citation, ...]
    window_days: int = 0
    question: str = ""
    acknowledgement: str = ""

    @property
    def blocking(self) -> bool:
        return self.level == Level.BLOCK

    @property
    def title_text(self) -> str:
        return gettext(self.title)

    @property
    def question_text(self) -> str:
        return gettext(self.question) if self.question else ""

    @property
    def acknowledgement_text(self) -> str:
        return gettext(self.acknowledgement) if self.acknowledgement else ""


NALTREXONE_LABEL = Citation(
    "Naltrexone hydrochloride tablets, US prescribing information: contraindications (patients receiving opioid "
    "analgesics), precipitated withdrawal (opioid-free interval of 7 to 10 days), vulnerability to opioid overdose.",
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=naltrexone+hydrochloride",
)
SAMHSA_TIP63 = Citation(
    "SAMHSA. Medications for Opioid Use Disorder (TIP 63), chapter 3C: Naltrexone. 2021.",
    "https://www.ncbi.nlm.nih.gov/books/NBK574913/",
)
YOUNGER_2014 = Citation(
    "Younger J, Parkitny L, McLain D. The use of low-dose naltrexone (LDN) as a novel anti-inflammatory "
    "treatment for chronic pain. Clin Rheumatol. 2014;33(4):451–459.",
    "https://doi.org/10.1007/s10067-014-2517-2",
)

NALTREXONE_OPIOID_MESSAGE = gettext_noop(
    "{first} and {second} work against each other. Naltrexone blocks opioid drugs: taken together, it cancels "
    "the opioid’s pain relief, and in someone who takes opioids regularly it can bring on opioid withdrawal "
    "(sweating, shaking, stomach cramps, vomiting, anxiety). Before starting naltrexone, an opioid-free "
    "interval of 7 to 10 days is usual. Never take more opioid to get past the block: that can cause an "
    "overdose. Talk to your prescriber before taking these together."
)
# The same message for the check-in's question, where the second medicine is "opioids" in general.
NALTREXONE_OPIOIDS_MESSAGE = gettext_noop(
    "{first} and opioids work against each other. Naltrexone blocks opioid drugs: taken together, it cancels "
    "the opioid’s pain relief, and in someone who takes opioids regularly it can bring on opioid withdrawal "
    "(sweating, shaking, stomach cramps, vomiting, anxiety). Before starting naltrexone, an opioid-free "
    "interval of 7 to 10 days is usual. Never take more opioid to get past the block: that can cause an "
    "overdose. Talk to your prescriber before taking these together."
)
ACKNOWLEDGEMENT = gettext_noop("I have read this warning and I will talk to my prescriber.")

RULES: tuple[Rule, ...] = (
    Rule(
        key="naltrexone_with_opioid",
        trigger=Trigger.TOGETHER,
        level=Level.BLOCK,
        flags=(Flag.OPIOID_ANTAGONIST, Flag.OPIOID),
        title=gettext_noop("Naltrexone blocks opioid painkillers"),
        message=NALTREXONE_OPIOID_MESSAGE,
        citations=(NALTREXONE_LABEL, SAMHSA_TIP63, YOUNGER_2014),
        acknowledgement=ACKNOWLEDGEMENT,
    ),
    Rule(
        key="opioid_tolerance_after_naltrexone",
        trigger=Trigger.AFTER_STOP,
        level=Level.CAUTION,
        flags=(Flag.OPIOID_ANTAGONIST, Flag.OPIOID),
        title=gettext_noop("After stopping naltrexone, opioids can hit harder"),
        message=gettext_noop(
            "You stopped {first}. For a while afterwards your opioid tolerance may be lower than before: an opioid "
            "dose you used to take safely could now be too strong and cause an overdose (very sleepy, slow or "
            "shallow breathing). If you need an opioid painkiller, such as {second}, tell the prescriber that you "
            "recently took naltrexone."
        ),
        citations=(NALTREXONE_LABEL, SAMHSA_TIP63),
        window_days=30,
    ),
    Rule(
        key="opioid_while_on_naltrexone",
        trigger=Trigger.QUESTION,
        level=Level.BLOCK,
        flags=(Flag.OPIOID_ANTAGONIST,),
        title=gettext_noop("Naltrexone blocks opioid medicines"),
        message=NALTREXONE_OPIOIDS_MESSAGE,
        citations=(NALTREXONE_LABEL, YOUNGER_2014),
        question=gettext_noop("Did you take any opioid today (including cough or anti-diarrhoea medicines)?"),
        acknowledgement=ACKNOWLEDGEMENT,
    ),
    Rule(
        key="serotonergic_combination",
        trigger=Trigger.TOGETHER,
        level=Level.CAUTION,
        flags=(Flag.SEROTONERGIC, Flag.SEROTONERGIC),
        title=gettext_noop("Two treatments that raise serotonin"),
        message=gettext_noop(
            "{first} and {second} both raise serotonin. Together they can, rarely, cause serotonin syndrome: "
            "agitation, confusion, a fast heartbeat, sweating, shivering, muscle twitching or stiffness, and a "
            "high temperature. It can be serious: get urgent medical help if these appear. Some people take such "
            "combinations under supervision; make sure your prescriber knows about both."
        ),
        citations=(
            Citation(
                "Boyer EW, Shannon M. The serotonin syndrome. N Engl J Med. 2005;352(11):1112–1120.",
                "https://doi.org/10.1056/NEJMra041867",
            ),
            Citation(
                "US FDA Drug Safety Communication, 22 March 2016: opioid pain medicines (including tramadol, "
                "methadone and fentanyl) and serotonin syndrome with serotonergic drugs."
            ),
        ),
    ),
    Rule(
        key="opioid_with_sedative",
        trigger=Trigger.TOGETHER,
        level=Level.CAUTION,
        flags=(Flag.OPIOID, Flag.SEDATIVE),
        title=gettext_noop("An opioid with a medicine that causes drowsiness"),
        message=gettext_noop(
            "{first} with {second}: opioids taken with other medicines that slow the brain and breathing "
            "(benzodiazepines, pregabalin or gabapentin, sleeping tablets, sodium oxybate) can cause extreme "
            "sleepiness and slowed breathing. Avoid alcohol, and make sure your prescriber knows about both."
        ),
        citations=(
            Citation(
                "US FDA Drug Safety Communication, 31 August 2016: boxed warnings on combined use of opioids and "
                "benzodiazepines or other central nervous system depressants."
            ),
            Citation(
                "US FDA Drug Safety Communication, 19 December 2019: serious breathing problems with gabapentin "
                "and pregabalin taken with opioids or other CNS depressants."
            ),
        ),
    ),
)

_BY_KEY = {r.key: r for r in RULES}


def rule(key: str) -> Rule:
    return _BY_KEY[key]


@dataclass(frozen=True)
class Course:
    """A treatment over a date range, as the rules see it. ``stop`` is the last day, inclusive."""

    name: str
    flags: frozenset[str]
    start: dt.date
    stop: dt.date | None = None
    ref: Any = None  # the regimen it came from, when there is one

    def overlaps(self, other: Course) -> bool:
        far = dt.date.max
        return self.start <= (other.stop or far) and other.start <= (self.stop or far)

    def active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.stop is None or day <= self.stop)


@dataclass(frozen=True)
class Finding:
    rule: Rule
    first: str
    second: str = ""
    refs: tuple[Any, ...] = ()

    @property
    def blocking(self) -> bool:
        return self.rule.blocking

    @property
    def title(self) -> str:
        return self.rule.title_text

    @property
    def message(self) -> str:
        return gettext(self.rule.message).format(first=self.first, second=self.second)

    @property
    def question(self) -> str:
        return self.rule.question_text

    @property
    def acknowledgement(self) -> str:
        return self.rule.acknowledgement_text

    @property
    def disclaimer(self) -> str:
        return gettext(DISCLAIMER)

    @property
    def citations(self) -> tuple[Citation, ...]:
        return self.rule.citations

    @property
    def key(self) -> str:
        return self.rule.key


def _pair(rule_: Rule, a: Course, b: Course) -> Finding | None:
    """A finding if ``a`` and ``b`` carry the rule's two flags, in either order."""
    first, second = rule_.flags
    if first in a.flags and second in b.flags:
        return Finding(rule_, a.name, b.name, (a.ref, b.ref))
    if first in b.flags and second in a.flags:
        return Finding(rule_, b.name, a.name, (b.ref, a.ref))
    return None


def check_new(new: Course, others: Iterable[Course]) -> list[Finding]:
    """Everything to say before ``new`` is saved, given the person's other courses."""
    findings: list[Finding] = []
    others = [o for o in others if o.ref is None or o.ref != new.ref]
    for rule_ in RULES:
        if rule_.trigger == Trigger.TOGETHER:
            for other in others:
                if new.overlaps(other) and (found := _pair(rule_, new, other)):
                    findings.append(found)
        elif rule_.trigger == Trigger.AFTER_STOP:
            stopped_flag, new_flag = rule_.flags
            if new_flag not in new.flags:
                continue
            for other in others:
                if (
                    stopped_flag in other.flags
                    and other.stop is not None
                    and other.stop < new.start <= other.stop + dt.timedelta(days=rule_.window_days)
                ):
                    findings.append(Finding(rule_, other.name, new.name, (other.ref, new.ref)))
    return _unique(findings)


def check_active(courses: Iterable[Course], day: dt.date) -> list[Finding]:
    """Combinations among the courses active on ``day`` (each pair once)."""
    active = [c for c in courses if c.active_on(day)]
    findings = []
    for rule_ in RULES:
        if rule_.trigger != Trigger.TOGETHER:
            continue
        for i, a in enumerate(active):
            for b in active[i + 1 :]:
                if found := _pair(rule_, a, b):
                    findings.append(found)
    return _unique(findings)


def check_stopped(stopped: Course, day: dt.date) -> list[Finding]:
    """What to say when ``stopped`` has stopped, while ``day`` is still within the rule's window."""
    findings = []
    for rule_ in RULES:
        if rule_.trigger != Trigger.AFTER_STOP or stopped.stop is None:
            continue
        if rule_.flags[0] in stopped.flags and day <= stopped.stop + dt.timedelta(days=rule_.window_days):
            findings.append(Finding(rule_, stopped.name, gettext("codeine or tramadol"), (stopped.ref,)))
    return findings


def questions(courses: Iterable[Course], day: dt.date) -> list[Finding]:
    """The check-in questions that apply on ``day``."""
    active = [c for c in courses if c.active_on(day)]
    findings = []
    for rule_ in RULES:
        if rule_.trigger != Trigger.QUESTION:
            continue
        matching = [c for c in active if rule_.flags[0] in c.flags]
        if matching:
            findings.append(Finding(rule_, matching[0].name, gettext("opioids"), tuple(c.ref for c in matching)))
    return findings


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, frozenset[str]]] = set()
    out = []
    for f in findings:
        key = (f.rule.key, frozenset((f.first, f.second)))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out

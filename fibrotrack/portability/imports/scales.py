"""Which Flaredown conditions and symptoms become daily check-in scales: the person chooses.

Flaredown rates diagnoses ("Fibromyalgia") and symptoms ("Fatigue") alike, 0–4.
Making every one a daily scale would silently grow the check-in by every
diagnosis someone once followed, so the preview lists each name that no scale of
the person's matches, with a checkbox. The default protects the check-in:
symptoms are ticked, diagnoses are not. A diagnosis is what Flaredown's research
export calls a "Condition", or (the personal export does not say) a name in
``DIAGNOSES``. An unticked name still keeps its values, on an archived scale:
history and reports show them, the check-in does not, and the symptoms page can
switch it on later.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from fibrotrack.portability.imports.base import NewScale, Options

# Diagnoses Flaredown users commonly track; casefolded. A name here is never ticked by default.
DIAGNOSES = frozenset(
    {
        "fibromyalgia",
        "chronic fatigue syndrome",
        "me/cfs",
        "cfs",
        "myalgic encephalomyelitis",
        "lupus",
        "systemic lupus erythematosus",
        "rheumatoid arthritis",
        "osteoarthritis",
        "psoriatic arthritis",
        "ankylosing spondylitis",
        "arthritis",
        "hypothyroidism",
        "hashimoto's thyroiditis",
        "irritable bowel syndrome",
        "ibs",
        "crohn's disease",
        "ulcerative colitis",
        "endometriosis",
        "ehlers-danlos syndrome",
        "eds",
        "pots",
        "postural orthostatic tachycardia syndrome",
        "multiple sclerosis",
        "sjögren's syndrome",
        "interstitial cystitis",
        "celiac disease",
        "migraine",
        "depression",
        "anxiety",
        "ptsd",
        "diabetes",
        "asthma",
        "long covid",
    }
)


def is_diagnosis(name: str, conditions: set[str]) -> bool:
    folded = name.casefold()
    return folded in conditions or folded.replace("’", "'") in DIAGNOSES


def new_scales(names: Iterable[str], conditions: set[str], matches: Callable[[str], str | None]) -> list[NewScale]:
    """The names no scale of the person's matches, diagnoses last, each with its default."""
    found = []
    for name in names:
        if matches(name) is None:
            condition = is_diagnosis(name, conditions)
            found.append(NewScale(key=name.casefold(), name=name, condition=condition, daily=not condition))
    return sorted(found, key=lambda scale: (scale.condition, scale.name.casefold()))


def chosen_for_daily(options: Options, names: Iterable[str], conditions: set[str]) -> frozenset[str]:
    """The casefolded names that become active check-in scales: the person's ticks, else the defaults."""
    if options.daily is not None:
        return options.daily
    return frozenset(name.casefold() for name in names if not is_diagnosis(name, conditions))

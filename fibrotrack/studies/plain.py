"""A protocol in plain words, and a participant's schedule in blinded words. No models.

Labels that come from a template (stored in English in the protocol's JSON)
are translated when shown; a research team's own labels are shown as written.

The participant's schedule never names what is in a bottle: a blinded
condition is "Bottle period 1", "Bottle period 2"… And because the length of
a period can itself give the order away (the 2013 crossover has 12 weeks of
LDN and 4 of placebo), the periods are shown one by one only when every
sequence of the protocol would show exactly the same thing; otherwise the
blinded periods are shown as one stretch, and the team says when to change
bottles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, ngettext

from fibrotrack.diary.defaults import DEFAULT_SYMPTOMS, symptom_label
from fibrotrack.studies import designs, screener
from fibrotrack.studies.designs import Protocol

OUTCOME_KEYS = tuple(s.key for s in DEFAULT_SYMPTOMS)


def label(text: str) -> str:
    return designs.template_text(text)


def outcome_label(key: str) -> str:
    for s in DEFAULT_SYMPTOMS:
        if s.key == key:
            return symptom_label(s.name)
    return key.replace("_", " ").capitalize()


def weeks_or_days(days: int) -> str:
    if days % 7 == 0 and days >= 14:
        return ngettext("%(n)s week", "%(n)s weeks", days // 7) % {"n": days // 7}
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}


@dataclass(frozen=True)
class Step:
    first: int
    last: int
    label: str

    @property
    def days(self) -> int:
        return self.last - self.first + 1


def describe(protocol: Protocol) -> dict[str, Any]:
    """What the staff's protocol page shows, every part in plain words."""
    conditions = [
        {
            "label": label(c.label),
            "kind": str(designs.CONDITION_KINDS.get(c.kind, c.kind)),
            "length": weeks_or_days(c.days),
            "blinded": c.blinded,
            "counts": c.counts,
            "dose": designs.template_text(c.dose),
        }
        for c in protocol.conditions
    ]
    sequences = [
        {
            "name": name,
            "steps": [label(protocol.condition(k).label) for k in steps],
            "length": weeks_or_days(protocol.length_days(name)),
        }
        for name, steps in protocol.sequences.items()
    ]
    rules = protocol.eligibility
    eligibility = [
        gettext("Aged %(min)s to %(max)s") % {"min": rules.min_age, "max": rules.max_age}
        if rules.max_age
        else gettext("Aged %(min)s or older") % {"min": rules.min_age}
    ]
    if rules.women_only:
        eligibility.append(gettext("Women only"))
    if rules.requires_acr_2016:
        eligibility.append(gettext("Meets the 2016 ACR fibromyalgia criteria (scored by the screener)"))
    if rules.excludes_opioids:
        eligibility.append(gettext("Not taking opioid painkillers (naltrexone blocks them)"))
    eligibility += [gettext("Not: %(question)s") % {"question": q} for q in rules.exclusion_questions]
    return {
        "title": designs.template_text(protocol.title),
        "summary": designs.template_text(protocol.summary),
        "citation": protocol.citation,
        "conditions": conditions,
        "sequences": sequences,
        "randomised": protocol.is_randomised,
        "blinding": str(designs.BLINDING.get(protocol.blinding, protocol.blinding)),
        "stratify_by": str(designs.STRATA.get(protocol.stratify_by, protocol.stratify_by)),
        "block_sizes": ", ".join(str(b) for b in protocol.block_sizes),
        "responder": protocol.responder_threshold_pct,
        "primary_outcome": outcome_label(protocol.primary_outcome),
        "secondary_outcomes": [outcome_label(k) for k in protocol.secondary_outcomes],
        "contrasts": [
            gettext("%(treatment)s against %(reference)s")
            % {"treatment": label(protocol.condition(t).label), "reference": label(protocol.condition(r).label)}
            for r, t in protocol.contrasts
        ],
        "groups": [screener.group_label(g) for g in protocol.groups],
        "visits": len(protocol.visits),
        "eligibility": eligibility,
        "notes": [designs.template_text(n) for n in protocol.notes],
    }


def _blinded_steps(protocol: Protocol, sequence: str) -> list[Step]:
    steps, bottle = [], 0
    for first, last, c in protocol.schedule(sequence):
        if c.blinded:
            bottle += 1
            text = gettext("Bottle period %(n)s") % {"n": bottle}
        else:
            text = str(designs.CONDITION_KINDS.get(c.kind, c.kind)) if c.kind != designs.SESSION else label(c.label)
        steps.append(Step(first, last, text))
    return steps


def _merged(protocol: Protocol, sequence: str) -> list[Step]:
    out: list[Step] = []
    run: list[tuple[int, int]] = []
    bottles = 0

    def flush() -> None:
        nonlocal bottles
        if run:
            first_bottle, bottles = bottles + 1, bottles + len(run)
            text = (
                gettext("Bottle periods %(first)s to %(last)s") % {"first": first_bottle, "last": bottles}
                if len(run) > 1
                else gettext("Bottle period %(n)s") % {"n": first_bottle}
            )
            out.append(Step(run[0][0], run[-1][1], text))
            run.clear()

    for first, last, c in protocol.schedule(sequence):
        if c.blinded:
            run.append((first, last))
            continue
        flush()
        text = str(designs.CONDITION_KINDS.get(c.kind, c.kind)) if c.kind != designs.SESSION else label(c.label)
        out.append(Step(first, last, text))
    flush()
    return out


def participant_schedule(protocol: Protocol) -> tuple[list[Step], bool]:
    """The schedule a blinded participant may see, and whether the bottle periods are merged.

    It takes no sequence on purpose: what is shown is what every sequence has in common, so the
    page is the same whatever the participant was allocated.
    """
    names = list(protocol.sequences)
    shapes = [_blinded_steps(protocol, name) for name in names]
    if all(shape == shapes[0] for shape in shapes):
        return shapes[0], False
    merged = [_merged(protocol, name) for name in names]
    if all(shape == merged[0] for shape in merged):
        return merged[0], True
    # Sequences that differ even once merged: any schedule would hint at the order, so none is shown.
    return [], True

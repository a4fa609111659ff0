"""Bottle labels: what is printed on each bottle of a kit.

A label is built from the study's short code, the kit number, the
participant's code (once the kit is assigned) and the bottle's number, never
from the slot's arm: ``bottle_labels`` is not even given it, so no label can
say what a bottle holds, and every kit's labels read the same whatever its
arm (a property test checks this for every design).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from fibrotrack.studies import bottles, designs


@dataclass(frozen=True)
class Label:
    study_code: str
    kit: str
    participant_code: str  # "" before the kit is assigned: written in by hand
    bottle: int
    of: int
    instruction: str


def instruction(protocol: designs.Protocol) -> str:
    """One instruction for every bottle of the study, so that it cannot differ between arms."""
    blinded = [c for c in protocol.conditions if c.blinded]
    if blinded and all(c.kind == designs.SESSION for c in blinded):
        return _("To be taken at the lab session, as the study team tells you.")
    return _("Take one capsule at night.")


def bottle_labels(protocol: designs.Protocol, study_code: str, kit: str, participant_code: str) -> list[Label]:
    count = bottles.bottle_count(protocol)
    text = instruction(protocol)
    return [Label(study_code.upper(), kit, participant_code, n, count, text) for n in range(1, count + 1)]

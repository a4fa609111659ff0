"""Bottles and capsule days of a protocol's sequence: pure arithmetic on ``designs.Protocol``, no Django models.

Each blinded condition of a sequence is one bottle, numbered in the order the
participant takes them (bottle 1 for the first blinded period). Every
sequence of a protocol holds the same conditions in another order, so the
number of bottles never depends on the allocation; what each bottle holds does,
and only the pharmacist's pages read that (``contents``).
"""

from __future__ import annotations

from dataclasses import dataclass

from fibrotrack.studies import designs


@dataclass(frozen=True)
class Bottle:
    number: int
    condition: designs.Condition
    first_day: int  # study days, 1 = the participant's first day
    last_day: int


def bottles(protocol: designs.Protocol, sequence: str) -> list[Bottle]:
    out: list[Bottle] = []
    for first, last, condition in protocol.schedule(sequence):
        if condition.blinded:
            out.append(Bottle(len(out) + 1, condition, first, last))
    return out


def bottle_count(protocol: designs.Protocol) -> int:
    """The same for every sequence (a sequence is an order of the same conditions)."""
    return max((len(bottles(protocol, s)) for s in protocol.sequences), default=0)


def capsule_runs(protocol: designs.Protocol, sequence: str) -> list[tuple[int, int]]:
    """Runs of consecutive study days with capsules to take at night (blinded placebo or treatment periods).

    A lab session's dose is given at the lab, so sessions are not nightly capsules.
    """
    runs: list[tuple[int, int]] = []
    for first, last, condition in protocol.schedule(sequence):
        if not condition.blinded or condition.kind == designs.SESSION:
            continue
        if runs and runs[-1][1] == first - 1:
            runs[-1] = (runs[-1][0], last)
        else:
            runs.append((first, last))
    return runs


def treatment_conditions(protocol: designs.Protocol) -> list[designs.Condition]:
    return [c for c in protocol.conditions if c.kind in (designs.TREATMENT, designs.SESSION) and c.dose]

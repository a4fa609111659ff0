"""Central, concealed allocation for research studies: permuted blocks, strata, crossover orders. No Django.

* Draws come from ``secrets.SystemRandom`` (the operating system's CSPRNG)
  unless a test passes ``random.Random(seed)``: nobody, including whoever
  runs the server, can predict or reproduce a real allocation list.
* **Permuted blocks** keep the arms balanced as participants arrive: each
  block holds every arm in the protocol's ratio, in a random order. With one
  fixed block size, whoever has seen the earlier allocations of a block knows
  the last one; drawing each block's size at random from the protocol's list
  (by default 2 and 4 times the sum of the ratio: 4 and 8 for 1:1) hides where
  blocks end, so only the position within a block is predictable, not the arm.
* **Stratification** by one factor: each stratum (e.g. "opioid use: yes/no")
  gets its own, independent block sequence, so the arms are balanced within
  every stratum.
* **Crossovers** allocate period *orders* instead of arms: AB/BA for two
  conditions, a Williams design for three or more (each condition once in
  every period and, across the design, after every other condition equally
  often, which balances first-order carry-over; Williams 1949).

The list is made once, before the first enrolment, and only the pharmacist
(custodian) role sees it; the studies app hands out the next unused slot of
the participant's stratum.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Slot", "crossover_orders", "default_block_sizes", "make_crossover_schedule", "make_schedule", "order_label"]


@dataclass(frozen=True)
class Slot:
    """One allocation: the ``sequence_number``-th participant of ``stratum`` gets ``arm``.

    ``order`` is the period order for crossover slots (``arm`` is then its
    label, e.g. ``"ldn-placebo"``), ``None`` for parallel arms. ``block_number``
    and ``block_size`` are for the pharmacist's audit only: showing them to
    anyone else would make later allocations of the block guessable.
    """

    stratum: str
    sequence_number: int
    block_number: int
    block_size: int
    arm: str
    order: tuple[str, ...] | None = None


def default_block_sizes(ratio: Sequence[int]) -> tuple[int, ...]:
    """Two and four times the sum of the ratio (4 and 8 for two arms 1:1)."""
    unit = sum(ratio)
    return (2 * unit, 4 * unit)


def _check(arms: Sequence[str], ratio: Sequence[int], block_sizes: Sequence[int], strata: Sequence[str]) -> None:
    if len(arms) < 2:
        raise ValueError("at least two arms")
    if len(set(arms)) != len(arms) or any(not a for a in arms):
        raise ValueError("arms must be distinct, non-empty names")
    if len(ratio) != len(arms) or any(int(r) != r or r < 1 for r in ratio):
        raise ValueError("ratio: one positive whole number per arm")
    unit = sum(ratio)
    if not block_sizes or any(int(b) != b or b < unit or b % unit for b in block_sizes):
        raise ValueError(f"block sizes must be positive multiples of {unit} (the sum of the ratio)")
    if not strata or len(set(strata)) != len(strata):
        raise ValueError("strata must be distinct (use [''] for none)")


def make_schedule(
    arms: Sequence[str],
    ratio: Sequence[int] | None = None,
    block_sizes: Sequence[int] | None = None,
    strata: Sequence[str] = ("",),
    n_per_stratum: int | Mapping[str, int] = 100,
    rng: random.Random | None = None,
    *,
    orders: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Slot]:
    """An allocation list with randomly sized permuted blocks, one block sequence per stratum.

    ``ratio`` defaults to 1:1:...; ``block_sizes`` to :func:`default_block_sizes`.
    Each stratum gets whole blocks until it has at least ``n_per_stratum``
    slots (a number, or one per stratum), so its list ends with a complete
    block and may be up to ``max(block_sizes) - 1`` longer than asked.
    ``rng`` defaults to ``secrets.SystemRandom()``; pass ``random.Random(seed)``
    only in tests and demos. Slots come stratum by stratum, in order.
    """
    ratio = tuple(ratio) if ratio is not None else (1,) * len(arms)
    sizes = tuple(block_sizes) if block_sizes is not None else default_block_sizes(ratio)
    _check(arms, ratio, sizes, strata)
    rng = rng if rng is not None else secrets.SystemRandom()
    unit = sum(ratio)
    slots: list[Slot] = []
    for stratum in strata:
        wanted = n_per_stratum[stratum] if isinstance(n_per_stratum, Mapping) else n_per_stratum
        if wanted < 1:
            raise ValueError("n_per_stratum must be at least 1")
        n = 0
        block = 0
        while n < wanted:
            block += 1
            size = rng.choice(sizes)
            content = [a for a, r in zip(arms, ratio, strict=True) for _ in range(r * size // unit)]
            rng.shuffle(content)
            for arm in content:
                n += 1
                slots.append(Slot(stratum, n, block, size, arm, orders[arm] if orders is not None else None))
    return slots


def order_label(order: Sequence[str]) -> str:
    return "-".join(order)


def crossover_orders(conditions: Sequence[str]) -> list[tuple[str, ...]]:
    """The counterbalanced period orders for a crossover of ``conditions``.

    Two conditions: AB and BA. Three or more: a Williams design - ``k``
    orders for an even number ``k`` of conditions, ``2k`` (the square and its
    mirror image) for an odd one. In every design each condition is in each
    period equally often and follows each other condition equally often.
    """
    k = len(conditions)
    if k < 2 or len(set(conditions)) != k or any(not c for c in conditions):
        raise ValueError("at least two distinct, non-empty conditions")
    # First row 0, 1, k-1, 2, k-2, ...; row i adds i (mod k) (Williams 1949).
    first = [0]
    lo, hi = 1, k - 1
    while len(first) < k:
        first.append(lo)
        lo += 1
        if len(first) < k:
            first.append(hi)
            hi -= 1
    rows = [[(x + i) % k for x in first] for i in range(k)]
    if k % 2:
        rows += [list(reversed(r)) for r in rows]
    return [tuple(conditions[x] for x in r) for r in rows]


def make_crossover_schedule(
    conditions: Sequence[str],
    block_sizes: Sequence[int] | None = None,
    strata: Sequence[str] = ("",),
    n_per_stratum: int | Mapping[str, int] = 100,
    rng: random.Random | None = None,
) -> list[Slot]:
    """An allocation list of period orders: each order is an "arm" of a 1:1:... permuted-block list.

    ``block_sizes`` must be multiples of the number of orders (2 for AB/BA);
    by default 2 and 4 times it. Each completed block holds every order equally often.
    """
    orders = crossover_orders(conditions)
    labels = [order_label(o) for o in orders]
    return make_schedule(
        labels,
        None,
        block_sizes,
        strata,
        n_per_stratum,
        rng,
        orders=dict(zip(labels, orders, strict=True)),
    )

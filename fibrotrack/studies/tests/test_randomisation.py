"""Allocation lists for studies: permuted blocks of random size, strata, crossover orders (no database)."""

from __future__ import annotations

import random
import secrets
from collections import Counter
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from fibrotrack.studies.randomisation import (
    Slot,
    crossover_orders,
    default_block_sizes,
    make_crossover_schedule,
    make_schedule,
)

PROFILE = settings(max_examples=60, deadline=None, derandomize=True, database=None)


def _blocks(slots: list[Slot]) -> dict[tuple[str, int], list[Slot]]:
    out: dict[tuple[str, int], list[Slot]] = {}
    for s in slots:
        out.setdefault((s.stratum, s.block_number), []).append(s)
    return out


@st.composite
def protocols(draw: st.DrawFn) -> tuple[list[str], list[int], list[int], list[str], int, int]:
    n_arms = draw(st.integers(2, 4))
    arms = [f"arm{i}" for i in range(n_arms)]
    ratio = [draw(st.integers(1, 3)) for _ in arms]
    unit = sum(ratio)
    sizes = sorted(set(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))))
    strata = draw(st.sampled_from([[""], ["opioids: no", "opioids: yes"], ["a", "b", "c"]]))
    return arms, ratio, [m * unit for m in sizes], strata, draw(st.integers(1, 60)), draw(st.integers(0, 2**32))


@PROFILE
@given(protocols())
def test_every_completed_block_is_balanced_in_the_ratio_within_each_stratum(
    p: tuple[list[str], list[int], list[int], list[str], int, int],
) -> None:
    arms, ratio, sizes, strata, n, seed = p
    slots = make_schedule(arms, ratio, sizes, strata, n, random.Random(seed))
    unit = sum(ratio)
    for stratum in strata:
        mine = [s for s in slots if s.stratum == stratum]
        # At least n slots, ending with a complete block: never more than one block too many.
        assert n <= len(mine) < n + max(sizes)
        assert [s.sequence_number for s in mine] == list(range(1, len(mine) + 1))
    for (_stratum, _number), block in _blocks(slots).items():
        size = block[0].block_size
        assert size in sizes and len(block) == size
        counts = Counter(s.arm for s in block)
        assert counts == Counter({a: r * size // unit for a, r in zip(arms, ratio, strict=True)})
    # Strata are interleaved nowhere: each stratum's block numbers run 1, 2, 3...
    for stratum in strata:
        numbers = [s.block_number for s in slots if s.stratum == stratum]
        assert numbers == sorted(numbers) and set(numbers) == set(range(1, max(numbers) + 1))


@PROFILE
@given(st.integers(2, 5), st.integers(1, 3), st.integers(1, 40), st.integers(0, 2**32))
def test_every_crossover_order_appears_equally_often_in_every_completed_block(
    k: int, mult: int, n: int, seed: int
) -> None:
    conditions = [f"c{i}" for i in range(k)]
    orders = crossover_orders(conditions)
    slots = make_crossover_schedule(conditions, [mult * len(orders)], ["x", "y"], n, random.Random(seed))
    for block in _blocks(slots).values():
        counts = Counter(s.order for s in block)
        assert set(counts) == set(orders) and set(counts.values()) == {mult}
        assert all(s.arm == "-".join(s.order or ()) for s in block)


@pytest.mark.parametrize("k", [2, 3, 4, 5, 6])
def test_williams_designs_balance_periods_and_first_order_carry_over(k: int) -> None:
    conditions = [chr(ord("A") + i) for i in range(k)]
    orders = crossover_orders(conditions)
    assert len(orders) == (k if k % 2 == 0 else 2 * k) and len(set(orders)) == len(orders)
    assert all(sorted(o) == conditions for o in orders)
    for period in range(k):
        assert set(Counter(o[period] for o in orders).values()) == {len(orders) // k}
    follows = Counter(pair for o in orders for pair in pairwise(o))
    assert len(follows) == k * (k - 1) and len(set(follows.values())) == 1


def test_two_conditions_give_ab_and_ba() -> None:
    assert crossover_orders(["ldn", "placebo"]) == [("ldn", "placebo"), ("placebo", "ldn")]


def test_the_same_seed_gives_the_same_list_and_the_default_draws_from_the_system_csprng(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a = make_schedule(["ldn", "placebo"], n_per_stratum=30, rng=random.Random(7))
    assert a == make_schedule(["ldn", "placebo"], n_per_stratum=30, rng=random.Random(7))
    used: list[object] = []
    real = secrets.SystemRandom

    class Spy(secrets.SystemRandom):
        def shuffle(self, x: Any) -> None:
            used.append(self)
            super().shuffle(x)

    monkeypatch.setattr(secrets, "SystemRandom", Spy)
    make_schedule(["ldn", "placebo"], n_per_stratum=10)
    assert used and all(isinstance(r, real) for r in used)


def test_block_sizes_default_to_two_and_four_times_the_ratio() -> None:
    assert default_block_sizes([1, 1]) == (4, 8)
    assert default_block_sizes([2, 1]) == (6, 12)
    slots = make_schedule(["ldn", "placebo"], n_per_stratum=400, rng=random.Random(1))
    assert {s.block_size for s in slots} == {4, 8}


def test_the_next_arm_cannot_be_told_from_the_position_in_the_list() -> None:
    """With random block sizes, the arm at any position (or position within a block) is
    equally likely to be either: across many lists, no position favours one arm, and the
    last slot of a block is no more predictable to an outsider than any other."""
    n_lists, length = 600, 24
    rng = random.Random(2009)
    by_position: list[Counter[str]] = [Counter() for _ in range(length)]
    last_of_block: Counter[str] = Counter()
    for _ in range(n_lists):
        slots = make_schedule(["ldn", "placebo"], [1, 1], [4, 8], [""], length, rng)[:length]
        for i, s in enumerate(slots):
            by_position[i][s.arm] += 1
        last_of_block.update(s.arm for s, nxt in pairwise(slots) if nxt.block_number != s.block_number)
    for counts in by_position:
        assert stats.binomtest(counts["ldn"], n_lists, 0.5).pvalue > 0.0005
    assert stats.binomtest(last_of_block["ldn"], last_of_block.total(), 0.5).pvalue > 0.001
    # Where blocks end varies from list to list (random sizes): position 4 ends a block only sometimes.
    ends: Counter[bool] = Counter()
    for _ in range(200):
        slots = make_schedule(["a", "b"], [1, 1], [4, 8], [""], 8, rng)
        ends[slots[3].block_number != slots[4].block_number] += 1
    assert 60 < ends[True] < 140


def test_arm_ratios_hold_in_blocks() -> None:
    slots = make_schedule(["ldn", "placebo"], [2, 1], [3, 6], ["a", "b"], {"a": 9, "b": 3}, random.Random(3))
    assert len([s for s in slots if s.stratum == "b"]) in (3, 6)
    assert (
        Counter(s.arm for s in slots if s.stratum == "a")["ldn"] * 1
        == 2 * Counter(s.arm for s in slots if s.stratum == "a")["placebo"]
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"arms": ["ldn"]}, "two arms"),
        ({"arms": ["ldn", "ldn"]}, "distinct"),
        ({"arms": ["ldn", "placebo"], "ratio": [1]}, "ratio"),
        ({"arms": ["ldn", "placebo"], "ratio": [0, 1]}, "ratio"),
        ({"arms": ["ldn", "placebo"], "block_sizes": [3]}, "multiples of 2"),
        ({"arms": ["ldn", "placebo"], "block_sizes": []}, "multiples"),
        ({"arms": ["ldn", "placebo"], "strata": ["a", "a"]}, "strata"),
        ({"arms": ["ldn", "placebo"], "n_per_stratum": 0}, "at least 1"),
    ],
)
def test_an_impossible_protocol_is_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_schedule(rng=random.Random(0), **kwargs)
    with pytest.raises(ValueError):
        crossover_orders(["a"])


def test_every_arrangement_of_a_block_is_equally_likely() -> None:
    """Permuted blocks: the order within a block of 4 is one of the 6 arrangements, each with chance 1/6."""
    slots = make_schedule(["a", "b"], [1, 1], [4], [""], 4 * 3000, random.Random(4))
    seen = Counter("".join(s.arm for s in block) for block in _blocks(slots).values())
    assert len(seen) == 6
    assert stats.chisquare(list(seen.values())).pvalue > 0.001

"""Bang's blinding index (Bang, Ni & Davis 2004), per arm."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fibrostats import AnalysisInputError, bang_blinding_index


def _answers(table: dict[str, tuple[int, int, int]]) -> tuple[list[str], list[str | None]]:
    """``table[arm] = (guessed drug, guessed placebo, don't know)``."""
    actual: list[str] = []
    guess: list[str | None] = []
    for arm, counts in table.items():
        for answer, n in zip(("drug", "placebo", "dont_know"), counts, strict=True):
            actual += [arm] * n
            guess += [answer] * n
    return actual, guess


def test_the_index_is_correct_minus_wrong_over_all_answers_with_the_multinomial_se() -> None:
    # The CRISP counts of Bang et al. (2004), table 7, as the R package BI's example gives them.
    actual, guess = _answers({"drug": (82, 25, 170), "placebo": (27, 29, 83)})
    drug, placebo = bang_blinding_index(actual, guess).arms
    assert (drug.n, drug.n_correct, drug.n_wrong, drug.n_dont_know) == (277, 82, 25, 170)
    assert drug.index.estimate == pytest.approx((82 - 25) / 277)
    assert placebo.index.estimate == pytest.approx((29 - 27) / 139)
    pc, pw = 82 / 277, 25 / 277
    se = math.sqrt((pc * (1 - pc) + pw * (1 - pw) + 2 * pc * pw) / 277)
    assert drug.se == pytest.approx(se)
    assert drug.index.ci_low == pytest.approx(drug.index.estimate - 1.959964 * se, abs=1e-6)  # type: ignore[operator]
    # The form in the paper, (2 n_c / (n_c + n_w) - 1) (n_c + n_w) / n, is the same number.
    assert drug.index.estimate == pytest.approx((2 * 82 / (82 + 25) - 1) * (82 + 25) / 277)
    assert drug.reading == "more_correct_than_chance" and placebo.reading == "consistent_with_blinding"


def test_everyone_wrong_is_minus_one_and_everyone_right_is_one() -> None:
    actual, guess = _answers({"drug": (0, 10, 0), "placebo": (0, 10, 0)})
    drug, placebo = bang_blinding_index(actual, guess).arms
    assert drug.index.estimate == -1.0 and drug.reading == "more_wrong_than_chance"
    assert placebo.index.estimate == 1.0 and placebo.se == 0.0


def test_all_dont_know_is_zero_and_an_empty_arm_has_no_index() -> None:
    actual, guess = _answers({"drug": (0, 0, 5)})
    drug, placebo = bang_blinding_index(actual, guess).arms
    assert drug.index.estimate == 0.0 and drug.reading == "consistent_with_blinding"
    assert placebo.n == 0 and placebo.index.estimate is None and placebo.reading is None


def test_unanswered_guesses_are_counted_and_left_out() -> None:
    r = bang_blinding_index(["drug", "drug", "placebo"], ["drug", None, "placebo"])
    assert r.n_missing == 1 and r.arms[0].n == 1
    json.dumps(r.to_dict(), allow_nan=False)


def test_unknown_labels_are_input_errors() -> None:
    with pytest.raises(AnalysisInputError):
        bang_blinding_index(["drug"], ["maybe"])
    with pytest.raises(AnalysisInputError):
        bang_blinding_index(["active"], ["drug"])
    with pytest.raises(AnalysisInputError):
        bang_blinding_index(["drug"], [])


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["drug", "placebo"]), st.sampled_from(["drug", "placebo", "dont_know"])), max_size=60
    )
)
def test_the_index_is_bounded_and_swapping_labels_swaps_the_arms(pairs: list[tuple[str, str]]) -> None:
    actual = [a for a, _ in pairs]
    guess: list[str | None] = [g for _, g in pairs]
    r = bang_blinding_index(actual, guess)
    swap = {"drug": "placebo", "placebo": "drug", "dont_know": "dont_know"}
    s = bang_blinding_index([swap[a] for a in actual], [swap[g] for g in guess if g is not None])
    for arm, other in zip(r.arms, reversed(s.arms), strict=True):
        assert arm.index == other.index and arm.n == other.n
        if arm.index.estimate is not None:
            assert -1.0 <= arm.index.ci_low <= arm.index.estimate <= arm.index.ci_high <= 1.0  # type: ignore[operator]

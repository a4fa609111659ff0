"""The k-anonymity floor, rounding and blurring of the "what worked for others" cells, with adversarial data."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pandas as pd
import pytest

from fibrotrack.knowledge.outcome_cells import K, blurred_quantile, build_cells, round_count, share_pct

NO_EFFECTS = pd.DataFrame(columns=["user_id", "treatment_key", "effect_key", "effect_name"])


def people(
    n: int, key: str = "pregabalin", start_id: int = 1, improvement: float = 0.4, days: int = 60
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "user_id": range(start_id, start_id + n),
            "treatment_key": key,
            "days_on": days,
            "improvement": improvement,
            "source": "diary",
        }
    )


def test_it_shows_nothing_at_all_for_nine_people():
    assert K == 10
    assert build_cells(people(9), NO_EFFECTS) == []


def test_it_shows_a_cell_for_ten_people():
    [cell] = build_cells(people(10), NO_EFFECTS)
    assert cell.treatment_key == "pregabalin"
    assert cell.people == 10
    assert cell.estimated_people == 10
    assert cell.improvement_median == 40
    assert cell.improved_share == 100


def test_nine_people_with_an_estimate_hide_the_estimate_but_not_the_count():
    rows = people(12)
    rows.loc[rows.index[:3], "improvement"] = np.nan
    [cell] = build_cells(rows, NO_EFFECTS)
    assert cell.people == 10
    assert cell.estimated_people is None
    assert cell.improvement_median is None and cell.improved_share is None


def test_a_person_counted_twice_is_still_one_person():
    rows = pd.concat([people(9), people(1, start_id=1)])
    assert build_cells(rows, NO_EFFECTS) == []


def test_cells_are_per_treatment_and_small_ones_vanish():
    rows = pd.concat([people(10, "pregabalin"), people(9, "duloxetine", start_id=100)])
    assert [c.treatment_key for c in build_cells(rows, NO_EFFECTS)] == ["pregabalin"]


@pytest.mark.parametrize(("n", "shown"), [(10, 10), (12, 10), (13, 15), (17, 15), (18, 20), (22, 20), (23, 25)])
def test_counts_are_rounded_to_the_nearest_five(n, shown):
    assert round_count(n) == shown
    [cell] = build_cells(people(n), NO_EFFECTS)
    assert cell.people == shown


def test_percentages_come_from_rounded_counts_and_are_rounded():
    # 4 of 13 is 31%; from rounded counts 5 of 15 is 33%, shown as 35%.
    assert share_pct(4, 13) == 35
    rows = people(13, improvement=0.0)
    rows.loc[rows.index[:4], "improvement"] = 0.5
    [cell] = build_cells(rows, NO_EFFECTS)
    assert cell.improved_share == 35
    assert cell.improved_share % 5 == 0


def test_a_side_effect_reported_by_nine_people_is_not_shown_and_ten_is():
    rows = people(20)
    effects = pd.DataFrame(
        [(uid, "pregabalin", "dizziness", "Dizziness") for uid in range(1, 11)]
        + [(uid, "pregabalin", "swelling", "Swelling") for uid in range(1, 10)],
        columns=["user_id", "treatment_key", "effect_key", "effect_name"],
    )
    [cell] = build_cells(rows, effects)
    assert cell.side_effects == [{"key": "dizziness", "name": "Dizziness", "people": 10, "share": 50}]


def test_no_quantile_is_ever_one_persons_value():
    values = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    # The plain median would be 50, one person's value; the blurred one is the mean of three people.
    assert blurred_quantile(values, 0.5) == pytest.approx(50)
    assert blurred_quantile([0, 1, 2, 3, 4, 97, 98, 99, 100, 101], 0.5) == pytest.approx((3 + 4 + 97) / 3)


def test_two_cells_differing_by_one_person_do_not_reveal_that_persons_value():
    """The attacker knows the ten people on treatment A and that B is the same ten plus one more person.

    For every value the eleventh person could have, the published B is computed; each published B must fit
    many different values of that person (at least a whole rounding step), so subtracting A from B tells
    nothing exact.
    """
    rng = np.random.default_rng(7)
    known = rng.uniform(-0.6, 0.9, size=10)
    base = pd.DataFrame(
        {"user_id": range(1, 11), "treatment_key": "b", "days_on": 50, "improvement": known, "source": "diary"}
    )
    [cell_a] = build_cells(base.assign(treatment_key="a"), NO_EFFECTS)
    published: dict[tuple, list[int]] = {}
    for pct in range(-100, 101):
        extra = pd.DataFrame(
            {"user_id": [11], "treatment_key": "b", "days_on": 50, "improvement": [pct / 100], "source": "diary"}
        )
        [cell_b] = build_cells(pd.concat([base, extra], ignore_index=True), NO_EFFECTS)
        shown = asdict(cell_b)
        shown.pop("treatment_key")
        published.setdefault(tuple(sorted((k, str(v)) for k, v in shown.items())), []).append(pct)
    assert cell_a.people == 10
    assert all(len(values) >= 5 for values in published.values()), published.values()
    # The count does not even show that someone was added.
    assert {dict(key)["people"] for key in published} == {"10"}

"""The published designs as protocols: their lengths, orders and visits, and the schema's checks."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fibrotrack.studies import designs
from fibrotrack.studies.designs import Protocol, ProtocolError


@pytest.mark.parametrize("key", list(designs.TEMPLATES))
def test_every_template_is_valid_and_survives_storage(key):
    protocol = designs.TEMPLATES[key]()
    protocol.validate()
    assert Protocol.from_json(protocol.to_json()) == protocol


def test_the_pilot_reproduces_the_2009_timeline():
    p = designs.ldn_pilot_2009()
    assert [(c.kind, c.days) for _f, _l, c in p.schedule("fixed")] == [
        ("baseline", 14),
        ("placebo", 14),
        ("treatment", 56),
        ("washout", 14),
    ]
    assert not p.is_randomised and p.blinding == "single" and p.responder_threshold_pct == 30
    assert [day for _v, day in p.visit_days("fixed")] == [1, 15, 29, 43, 57, 71, 85]


def test_the_crossover_counterbalances_12_weeks_of_ldn_and_4_of_placebo():
    p = designs.ldn_crossover_2013()
    assert set(p.sequences) == {"AB", "BA"} and p.blinding == "double"
    assert p.length_days("AB") == p.length_days("BA") == 14 + 84 + 28
    assert p.condition_on("AB", 15).key == "ldn" and p.condition_on("BA", 15).key == "placebo"
    assert p.condition_on("BA", 14 + 28 + 1).key == "ldn"


def test_the_single_dose_study_has_two_sessions_and_a_control_group():
    p = designs.naltrexone_single_dose_2009()
    assert p.groups == ("fibromyalgia", "healthy_control") and p.stratify_by == "group"
    assert [c.kind for _f, _l, c in p.schedule("NP")] == ["session", "washout", "session"]
    assert [day for _v, day in p.visit_days("NP")] == [1, 9]


def test_an_nof1_series_has_every_order_of_its_pairs():
    p = designs.nof1_series(pairs=3)
    assert len(p.sequences) == 8 and p.block_sizes == (8,)
    assert all(seq.count("ldn") == 3 and seq.count("placebo") == 3 for seq in p.sequences.values())


def test_it_refuses_unbalanced_block_sizes():
    p = designs.ldn_crossover_2013()
    with pytest.raises(ProtocolError, match="multiple of the number of sequences"):
        Protocol.from_json({**p.to_json(), "block_sizes": [3]}).validate()


def test_it_refuses_a_contrast_with_an_unknown_condition():
    p = designs.ldn_crossover_2013()
    with pytest.raises(ProtocolError, match="does not exist"):
        Protocol.from_json({**p.to_json(), "contrasts": [["placebo", "nothing"]]}).validate()


@given(st.integers(min_value=1, max_value=4), st.integers(min_value=1, max_value=60))
def test_every_study_day_of_an_nof1_series_has_exactly_one_condition(pairs, period):
    p = designs.nof1_series(pairs=pairs, period_days=period)
    for name in p.sequences:
        total = p.length_days(name)
        assert all(p.condition_on(name, day) is not None for day in range(1, total + 1))
        assert p.condition_on(name, total + 1) is None

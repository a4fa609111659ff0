"""Properties of the pure pieces: the dataset's digest is reproducible; the forest plot draws any estimates."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from fibrotrack.studies import dataset, forest

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
rows = st.lists(
    st.tuples(st.text(min_size=1, max_size=8), st.integers(1, 400), st.sampled_from(["ldn", "placebo"]), finite),
    max_size=30,
)


@given(rows)
def test_the_digest_of_a_dataset_survives_a_round_trip_through_its_own_text(diary_rows):
    payload = {
        "diary": {"columns": ["participant", "study_day", "condition", "pain"], "rows": [list(r) for r in diary_rows]}
    }
    text = dataset.canonical(payload)
    assert dataset.canonical(json.loads(text)) == text
    assert dataset.sha256(dataset.canonical(json.loads(text))) == dataset.sha256(text)


@given(st.lists(st.tuples(st.text(max_size=12), finite, finite, finite), min_size=1, max_size=20))
def test_the_forest_plot_draws_any_estimates_with_every_label_escaped(points):
    lines = [forest.ForestLine(label, e, min(a, b), max(a, b)) for label, e, a, b in points]
    lines.append(forest.ForestLine("Pooled", 0.0, None, None, pooled=True))
    svg = str(forest.forest_svg(lines, title="<t>", axis_label="x & y"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<t>" not in svg and "&lt;t&gt;" in svg and "x &amp; y" in svg
    assert svg.count("<rect") == len(points) and svg.count("<polygon") == 1
    # Labels are text nodes; every attribute is a finite number or a fixed word.
    assert not re.search(r'="[^"]*(nan|inf)', svg, re.IGNORECASE)

import datetime as dt
import re

import pytest
from django.urls import reverse

from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.series import rolling_mean
from fibrotrack.lib.testing.factories import make_checkin

pytestmark = pytest.mark.django_db


def _fill(user, days):
    today = diary_day(user)
    for i in range(days):
        make_checkin(user, today - dt.timedelta(days=i), pain=i % 11, fatigue=5, note=f"n{i}")


def test_history_uses_a_constant_number_of_queries(
    owner, owner_client, django_assert_num_queries, django_assert_max_num_queries
):
    _fill(owner, 1)
    owner_client.get(reverse("diary:history"))  # warm the session
    with django_assert_max_num_queries(12) as few:
        owner_client.get(reverse("diary:history"))
    _fill(owner, 40)
    with django_assert_num_queries(len(few.captured_queries)):
        response = owner_client.get(reverse("diary:history"))
    assert response.status_code == 200


def test_history_shows_the_heatmap_and_days(owner, owner_client):
    today = diary_day(owner)
    make_checkin(owner, today - dt.timedelta(days=1), pain=7, note="after the move")
    html = owner_client.get(reverse("diary:history"), {"symptom": "pain", "days": "30"}).content.decode()
    label = f"{today - dt.timedelta(days=1):%A %-d %B}: Pain 7"
    assert label in html
    assert "after the move" in html
    assert "heat-7" in html


def test_history_pages_back_through_older_days(owner, owner_client):
    old = diary_day(owner) - dt.timedelta(days=45)
    make_checkin(owner, old, pain=2, note="long ago")
    first = owner_client.get(reverse("diary:history")).content.decode()
    assert "long ago" not in first and "Older days" in first
    second = owner_client.get(reverse("diary:history"), {"page": "2"}).content.decode()
    assert "long ago" in second


def test_chart_has_an_svg_and_a_table_alternative(owner, owner_client):
    _fill(owner, 10)
    html = owner_client.get(reverse("diary:chart"), {"s": ["pain", "fatigue"], "days": "30"}).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert 'role="img"' in html
    assert "The same numbers as a table" in html
    assert "<polyline" in html
    assert "Pain, 7-day mean" in html


def test_chart_query_count_is_constant(owner, owner_client, django_assert_max_num_queries):
    _fill(owner, 2)
    owner_client.get(reverse("diary:chart"))
    with django_assert_max_num_queries(8):
        owner_client.get(reverse("diary:chart"), {"days": "365"})
    _fill(owner, 60)
    with django_assert_max_num_queries(8):
        owner_client.get(reverse("diary:chart"), {"days": "365"})


def test_rolling_mean_skips_missing_days_and_needs_four_values():
    start = dt.date(2026, 1, 1)
    values = {start + dt.timedelta(days=i): float(v) for i, v in enumerate([2, 4, 6, 8])}
    means = rolling_mean(values, start, start + dt.timedelta(days=9))
    assert means[start + dt.timedelta(days=2)] is None  # only 3 values so far
    assert means[start + dt.timedelta(days=3)] == 5.0
    assert means[start + dt.timedelta(days=6)] == 5.0  # 7-day window still holds all four
    assert means[start + dt.timedelta(days=7)] is None  # the first value has left the window


def test_gaps_in_the_diary_are_gaps_in_the_line():
    from fibrotrack.lib.charts import _segments

    start = dt.date(2026, 1, 1)
    values = {start: 1.0, start + dt.timedelta(days=1): 2.0, start + dt.timedelta(days=3): 4.0}
    segments = _segments(values, start, start + dt.timedelta(days=3))
    assert [len(s) for s in segments] == [2, 1]


@pytest.mark.parametrize("page", ["99999999999", "-3", "abc", "0", "100000"])
def test_a_silly_page_number_never_breaks_the_history(owner, owner_client, page):
    response = owner_client.get(reverse("diary:history"), {"page": page, "days": "nonsense", "symptom": "nope"})
    assert response.status_code == 200


def test_history_and_chart_load_nothing_from_another_site(owner, owner_client):
    _fill(owner, 3)
    for name in ("diary:history", "diary:chart", "diary:today"):
        html = owner_client.get(reverse(name)).content.decode()
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), name

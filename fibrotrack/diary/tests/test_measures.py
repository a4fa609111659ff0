"""Daily measures from devices: their series, the history page's table, scoped to their owner."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from fibrotrack.diary.measures import measure_series, measures_by_day
from fibrotrack.diary.models import DailyMeasure
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.factories import make_checkin

pytestmark = pytest.mark.django_db


def _measure(user, day, kind, value):
    return DailyMeasure.objects.create(user=user, day=day, kind=kind, value=Decimal(value), source="Apple Health")


def test_the_series_is_one_kind_in_order_and_only_the_persons_own(owner, stranger):
    day = dt.date(2024, 3, 10)
    _measure(owner, day, "steps", "5700")
    _measure(owner, day - dt.timedelta(days=1), "steps", "4200")
    _measure(owner, day, "resting_hr", "58")
    _measure(stranger, day, "steps", "99999")
    assert measure_series(owner, "steps", day - dt.timedelta(days=5), day) == [
        (day - dt.timedelta(days=1), 4200.0),
        (day, 5700.0),
    ]
    assert measures_by_day(owner, day, day) == {day: {"steps": 5700.0, "resting_hr": 58.0}}
    with pytest.raises(ValueError, match="unknown measure kind"):
        measure_series(owner, "weight", day, day)


def test_one_measure_per_day_and_kind(owner):
    from django.db import IntegrityError, transaction

    _measure(owner, dt.date(2024, 3, 10), "steps", "1")
    with pytest.raises(IntegrityError), transaction.atomic():
        _measure(owner, dt.date(2024, 3, 10), "steps", "2")


def test_the_history_page_lists_the_measures_of_its_days(owner, owner_client, stranger, django_assert_num_queries):
    today = diary_day(owner)
    make_checkin(owner, today, pain=3)
    _measure(owner, today, "steps", "12345")
    _measure(stranger, today, "resting_hr", "71")
    owner_client.get(reverse("diary:history"))  # warm the session
    page = owner_client.get(reverse("diary:history")).content.decode()
    assert "From your watch or phone" in page and "12,345" in page and "71 bpm" not in page
    few = len(_queries(owner_client))
    for i in range(1, 20):
        _measure(owner, today - dt.timedelta(days=i), "hrv_sdnn", "40")
    with django_assert_num_queries(few):
        owner_client.get(reverse("diary:history"))


def _queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("diary:history"))
    return captured.captured_queries

"""Per-person before/after estimates for "what worked for others", on synthetic diaries with a known effect."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from fibrotrack.diary.models import CheckIn, SymptomScore
from fibrotrack.knowledge.outcome_models import OutcomeConsent
from fibrotrack.knowledge.tests.seed import START, TODAY, add_course, sharing_person
from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.reports import outcomes


def sharing():
    return OutcomeConsent.objects.filter(consented_at__isnull=False, withdrawn_at=None).values("user_id")


@given(
    before=st.floats(min_value=0.5, max_value=10),
    after=st.floats(min_value=0, max_value=10),
    lower_is_better=st.booleans(),
)
def test_the_improvement_is_the_share_of_the_room_to_improve(before, after, lower_is_better):
    if not lower_is_better:
        before = min(before, 9.5)
    result = outcomes.improvement(
        pd.Series([before]), pd.Series([after]), pd.Series([lower_is_better]), pd.Series([0.0]), pd.Series([10.0])
    )[0]
    expected = (before - after) / before if lower_is_better else (after - before) / (10 - before)
    assert result == pytest.approx(max(-1.0, min(1.0, expected)))
    assert -1.0 <= result <= 1.0


def test_no_room_to_improve_gives_no_estimate():
    result = outcomes.improvement(
        pd.Series([0.0]), pd.Series([2.0]), pd.Series([True]), pd.Series([0.0]), pd.Series([10.0])
    )
    assert np.isnan(result[0])


@pytest.mark.django_db
@pytest.mark.parametrize(("before", "after", "expected"), [(6, 3, 0.5), (8, 2, 0.75), (4, 5, -0.25), (5, 5, 0.0)])
def test_the_diary_estimate_finds_a_known_effect(before, after, expected):
    person = sharing_person(before=before, after=after)
    frame = outcomes.people(sharing(), TODAY)
    row = frame[frame.user_id == person.pk].iloc[0]
    assert row.treatment_key == "pregabalin"
    assert row.improvement == pytest.approx(expected)
    assert row.days_on == (TODAY - START).days + 1


@pytest.mark.django_db
def test_days_outside_the_two_four_week_windows_do_not_count():
    person = sharing_person(before=6, after=3)
    pain = person.symptoms.get(key="pain")
    for offset, value in ((-40, 10), (40, 10)):
        checkin = CheckIn.objects.create(user=person, day=START + dt.timedelta(days=offset))
        SymptomScore.objects.create(checkin=checkin, symptom=pain, value=value)
    frame = outcomes.people(sharing(), TODAY)
    assert frame.improvement.iloc[0] == pytest.approx(0.5)


@pytest.mark.django_db
def test_only_days_on_it_count_after_a_course_stopped_early():
    person = sharing_person(before=6, after=3, stopped_on=START + dt.timedelta(days=13))
    pain = person.symptoms.get(key="pain")
    # After stopping, pain went back up: those days are not "on it".
    SymptomScore.objects.filter(checkin__day__gt=START + dt.timedelta(days=13), symptom=pain).update(value=9)
    frame = outcomes.people(sharing(), TODAY)
    assert frame.improvement.iloc[0] == pytest.approx(0.5)
    assert frame.days_on.iloc[0] == 14


@pytest.mark.django_db
def test_too_few_diary_days_give_a_count_but_no_estimate():
    sharing_person(days=6)
    frame = outcomes.people(sharing(), TODAY)
    assert len(frame) == 1
    assert np.isnan(frame.improvement.iloc[0])


@pytest.mark.django_db
def test_the_first_symptom_stands_in_when_pain_is_not_tracked():
    person = UserFactory(symptoms=["fatigue", "sleep_quality"])
    person.symptoms.filter(key="sleep_quality").update(position=0)  # higher is better, and first
    person.symptoms.filter(key="fatigue").update(position=1)
    add_course(person, before=4, after=7, symptom="sleep_quality")
    OutcomeConsent.objects.create(user=person, consented_at=timezone.now())
    frame = outcomes.people(sharing(), TODAY)
    assert frame.improvement.iloc[0] == pytest.approx((7 - 4) / (10 - 4))


@pytest.mark.django_db
def test_people_who_do_not_share_are_never_read():
    sharing_person(consent=False)
    sharing_person(consent=True)
    withdrawn = sharing_person(consent=True)
    OutcomeConsent.objects.filter(user=withdrawn).update(withdrawn_at=timezone.now())
    assert len(outcomes.people(sharing(), TODAY)) == 1

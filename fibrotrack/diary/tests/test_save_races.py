"""The optimistic check-in save: what happens when another save lands between its read and its write.

These run on SQLite and, in CI, on PostgreSQL, where the writes take the
one-statement path (``onestatement.py``); both must end in the same state.
"""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fibrotrack.diary import actions
from fibrotrack.diary.actions import CheckInData, do_save_checkin
from fibrotrack.diary.models import CheckIn, CheckInRevision
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.factories import make_checkin

pytestmark = pytest.mark.django_db


def _data(user, note="", **scores):
    symptoms = {s.key: s for s in user.symptoms.all()}
    return CheckInData(
        scores={symptoms[k].pk: v for k, v in scores.items()},
        note=note,
        symptom_names={s.pk: s.name for s in symptoms.values()},
    )


def _stale_first_read(monkeypatch, stale):
    """The first read returns ``stale`` (what a racing request saw); later reads are real."""
    real, calls = actions._read_day, []

    def read(user, day, *, lock=False):
        calls.append(lock)
        return stale if len(calls) == 1 else real(user, day, lock=lock)

    monkeypatch.setattr(actions, "_read_day", read)
    return calls


def test_a_double_tap_on_a_new_day_becomes_an_edit_of_the_day_it_created(owner, monkeypatch):
    day = diary_day(owner)
    make_checkin(owner, day, pain=5, note="first tap")  # the first tap won
    calls = _stale_first_read(monkeypatch, None)  # the second tap read before it landed
    checkin, changed = do_save_checkin(owner, day, _data(owner, note="second tap", pain=6))
    assert calls == [False, False]  # the refused INSERT was tried once more, on the fresh day
    assert changed
    assert CheckIn.objects.filter(user=owner, day=day).count() == 1
    stored = CheckIn.objects.get(user=owner, day=day)
    assert (stored.note, stored.score_map) == ("second tap", {owner.symptoms.get(key="pain").pk: 6})
    edit = CheckInRevision.objects.filter(user=owner, day=day).order_by("pk").last()
    assert edit.action == "updated"
    assert edit.changes["note"] == ["first tap", "second tap"]  # measured against the day that really was there


def test_an_edit_that_lost_a_race_is_made_again_on_what_the_winner_saved(owner, monkeypatch):
    day = diary_day(owner) - dt.timedelta(days=1)
    make_checkin(owner, day, pain=5, note="original")
    stale = actions._read_day(owner, day)
    do_save_checkin(owner, day, _data(owner, note="the other tab", pain=5))  # lands in between
    calls = _stale_first_read(monkeypatch, stale)
    do_save_checkin(owner, day, _data(owner, note="this tab", pain=7))
    assert len(calls) == 2
    stored = CheckIn.objects.get(user=owner, day=day)
    assert stored.note == "this tab"
    assert stored.score_map == {owner.symptoms.get(key="pain").pk: 7}
    last = CheckInRevision.objects.filter(user=owner, day=day).order_by("pk").last()
    assert last.changes["note"] == ["the other tab", "this tab"]
    assert CheckInRevision.objects.filter(user=owner, day=day).count() == 3


def test_the_last_attempt_reads_under_the_lock_and_gives_up_loudly(owner, monkeypatch):
    day = diary_day(owner) - dt.timedelta(days=2)
    make_checkin(owner, day, pain=5)
    real = actions._read_day

    def read(user, d, *, lock=False):
        return real(user, d, lock=lock) if lock else None  # every unlocked read is stale

    monkeypatch.setattr(actions, "_read_day", read)
    checkin, changed = do_save_checkin(owner, day, _data(owner, pain=8))
    assert changed and checkin.pk == CheckIn.objects.get(user=owner, day=day).pk
    assert CheckIn.objects.get(user=owner, day=day).score_map == {owner.symptoms.get(key="pain").pk: 8}


def test_every_edit_moves_updated_at_on_even_for_scores_alone(owner):
    day = diary_day(owner) - dt.timedelta(days=3)
    first = make_checkin(owner, day, pain=5)
    before = CheckIn.objects.get(pk=first.pk).updated_at
    do_save_checkin(owner, day, _data(owner, pain=6))
    assert CheckIn.objects.get(pk=first.pk).updated_at > before


def test_a_resubmit_that_changes_nothing_writes_nothing(owner):
    day = diary_day(owner) - dt.timedelta(days=4)
    make_checkin(owner, day, pain=5, note="same")
    same = _data(owner, note="same", pain=5)
    with CaptureQueriesContext(connection) as queries:
        _, changed = do_save_checkin(owner, day, same)
    assert not changed
    assert len(queries) == 1  # the read, and no transaction at all
    assert CheckInRevision.objects.filter(user=owner, day=day).count() == 1


def test_a_save_takes_the_same_number_of_queries_however_much_it_holds(owner):
    few = _data(owner, pain=5)
    many = CheckInData(
        scores={s.pk: 3 for s in owner.symptoms.all()},
        hours_slept=Decimal("6.5"),
        pain_regions=["neck", "jaw_l", "hip_r"],
        note="a fuller day",
        symptom_names={s.pk: s.name for s in owner.symptoms.all()},
    )

    def statements(captured):
        # The test's own transaction makes PostgreSQL's one statement take a savepoint; a request has none.
        return len([q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]])

    counts = []
    for offset, data in ((10, few), (11, many)):
        day = diary_day(owner) - dt.timedelta(days=offset)
        edit = CheckInData(**{**data.__dict__, "note": "edited"})
        with CaptureQueriesContext(connection) as created:
            do_save_checkin(owner, day, data)
        with CaptureQueriesContext(connection) as edited:
            do_save_checkin(owner, day, edit)
        counts.append((statements(created), statements(edited)))
    assert counts[0] == counts[1]
    # The read plus the writes: on PostgreSQL one statement; elsewhere a transaction of plain statements.
    assert max(counts[0]) <= (2 if connection.vendor == "postgresql" else 7)


@pytest.mark.parametrize("lock", [False, True])
def test_the_read_returns_the_day_its_scores_and_its_tags(owner, lock):
    day = diary_day(owner)
    tag = actions.do_add_tag(owner, "long drive")
    checkin, _ = do_save_checkin(
        owner, day, replace(_data(owner, note="n", pain=4, fatigue=7), tag_ids=[tag.pk], hours_slept=Decimal("6.5"))
    )
    with CaptureQueriesContext(connection) as queries:
        stored = actions._read_day(owner, day, lock=lock)
    assert len(queries) == 1
    symptoms = {s.key: s.pk for s in owner.symptoms.all()}
    ids = dict(checkin.scores.values_list("symptom_id", "pk"))
    assert stored.scores == {
        symptoms["pain"]: (ids[symptoms["pain"]], 4),
        symptoms["fatigue"]: (ids[symptoms["fatigue"]], 7),
    }
    assert stored.tag_ids == {tag.pk}
    assert (stored.checkin.pk, stored.checkin.hours_slept, stored.checkin.note) == (checkin.pk, Decimal("6.5"), "n")
    assert stored.checkin.updated_at == CheckIn.objects.get(pk=checkin.pk).updated_at


def test_the_read_of_a_day_without_scores_or_tags(owner):
    day = diary_day(owner)
    do_save_checkin(owner, day, CheckInData(scores={}, note="only a note"))
    stored = actions._read_day(owner, day)
    assert (stored.scores, stored.tag_ids, stored.checkin.note) == ({}, set(), "only a note")
    assert actions._read_day(owner, day - dt.timedelta(days=1)) is None

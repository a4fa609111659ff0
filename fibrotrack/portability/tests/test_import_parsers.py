"""The parsers never crash on garbage, and always say which row was wrong."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fibrotrack.portability.imports import reader
from fibrotrack.portability.imports.base import ImportRefused, Options
from fibrotrack.portability.imports.values import FLAREDOWN_TO_TEN, parse_day, parse_dose, parse_rating, to_ten

TODAY = dt.date(2024, 6, 1)


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("8.0 mg", Decimal("8"), "mg"),
        ("8mg", Decimal("8"), "mg"),
        ("0,5 g", Decimal("500"), "mg"),
        ("1000 IU", Decimal("1000"), "IU"),
        ("50 µg", Decimal("50"), "mcg"),
        ("20 min", Decimal("20"), "minutes"),
        ("2.5 ml", Decimal("2.5"), "ml"),
    ],
)
def test_doses_with_a_known_unit_are_read(text, amount, unit):
    dose = parse_dose(text)
    assert (dose.amount, dose.unit, dose.text) == (amount, unit, text)


@pytest.mark.parametrize("text", ["", "1", "2 pills", "half a tablet", "10 mg twice", "0 mg", "0.0001 mg", "-5 mg"])
def test_other_doses_keep_their_text(text):
    dose = parse_dose(text)
    assert dose.amount is None and dose.text == text.strip()


@given(st.text(max_size=40))
def test_dose_parsing_never_fails(text):
    dose = parse_dose(text)
    assert dose.amount is None or (dose.amount > 0 and dose.amount == dose.amount.quantize(Decimal("0.001")))


@given(
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal("99999"), places=3), st.sampled_from(["mg", "mcg", "ml"])
)
def test_any_plain_dose_is_read_exactly(amount, unit):
    dose = parse_dose(f"{amount} {unit}")
    assert (dose.amount, dose.unit) == (amount, unit)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=TODAY))
def test_iso_dates_are_read(day):
    assert parse_day(day.isoformat(), TODAY) == day
    assert parse_day(f"{day.isoformat()} 00:00:00 UTC", TODAY) == day


@given(st.text(max_size=30))
def test_date_parsing_only_raises_value_errors(text):
    try:
        day = parse_day(text, TODAY)
    except ValueError as error:
        assert str(error)
    else:
        assert dt.date(1990, 1, 1) <= day <= TODAY


@given(st.integers(0, 4))
def test_ratings_map_onto_the_whole_0_10_scale_in_order(rating):
    assert parse_rating(str(rating)) == rating
    assert parse_rating(f"{rating}.0") == rating
    assert to_ten(rating) == FLAREDOWN_TO_TEN[rating]
    assert list(FLAREDOWN_TO_TEN.values()) == sorted(FLAREDOWN_TO_TEN.values())
    assert (to_ten(0), to_ten(4)) == (0, 10)


@given(st.text(max_size=12))
def test_rating_parsing_only_raises_value_errors(text):
    try:
        value = parse_rating(text)
    except ValueError as error:
        assert "rating from 0 to 4" in str(error)
    else:
        assert value is None or 0 <= value <= 4


HEADER = [
    "user_id",
    "age",
    "sex",
    "country",
    "checkin_date",
    "trackable_id",
    "trackable_type",
    "trackable_name",
    "trackable_value",
]
cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["Symptom", "Condition", "Treatment", "Tag", "Food", "Weather", "HBI", "2017-04-25", "3", "8 mg"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(cell, min_size=0, max_size=11), max_size=12))
@pytest.mark.django_db
def test_garbage_research_files_never_crash_and_every_problem_names_its_row(owner, tmp_path_factory, table):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in table:
        writer.writerow(["one", *row[1:]] if row else row)
    path = tmp_path_factory.mktemp("garbage") / "fd.csv"
    path.write_text(buffer.getvalue())
    try:
        preview = reader("flaredown-research").preview(path, owner, Options(source_user="one"))
    except ImportRefused as refused:
        assert str(refused)
        return
    for problem in preview.problems:
        assert problem.location.startswith("row ")
        assert 2 <= int(problem.location.split()[1]) <= len(table) + 1  # the header is row 1
        assert problem.reason


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(max_size=10), min_size=0, max_size=9), max_size=10))
@pytest.mark.django_db
def test_garbage_fibrotrack_csv_never_crashes(owner, tmp_path_factory, table):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["date", "category", "code", "name", "value", "unit", "detail", "record"])
    writer.writerows(table)
    path = tmp_path_factory.mktemp("garbage") / "ft.csv"
    path.write_text(buffer.getvalue())
    try:
        preview = reader("fibrotrack-csv").preview(path, owner, Options())
    except ImportRefused as refused:
        assert str(refused)
        return
    assert all(p.location.startswith(("row ", "line ")) or p.reason for p in preview.problems)

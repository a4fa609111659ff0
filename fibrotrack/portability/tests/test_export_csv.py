"""The long CSV: one row per value, with documented categories and codes."""

import csv
import io

import pytest

from fibrotrack.diary.models import SymptomScore
from fibrotrack.portability.export_csv import CATEGORIES, COLUMNS, export_csv
from fibrotrack.portability.tests.portability_helpers import fill_account

pytestmark = pytest.mark.django_db


def rows(user):
    return list(csv.DictReader(io.StringIO(export_csv(user).decode())))


def test_one_row_per_value_in_long_format(owner):
    fill_account(owner)
    table = rows(owner)
    assert list(table[0]) == COLUMNS
    symptoms = [r for r in table if r["category"] == "symptom"]
    assert len(symptoms) == SymptomScore.objects.filter(checkin__user=owner).count()
    assert {r["category"] for r in table} <= set(CATEGORIES)
    assert {"symptom", "sleep", "pain_region", "tag", "note", "acr2016", "regimen", "dose", "side_effect"} <= {
        r["category"] for r in table
    }
    assert [r["date"] for r in table] == sorted(r["date"] for r in table)


def test_notes_with_commas_quotes_and_newlines_survive(owner):
    fill_account(owner)
    notes = [r["detail"] for r in rows(owner) if r["category"] == "note"]
    assert "Day 0, with “quotes”, commas\nand a second line" in notes


def test_every_category_and_code_is_documented():
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[3] / "docs" / "data-formats.md").read_text()
    for column in COLUMNS:
        assert f"`{column}`" in docs
    for category in CATEGORIES:
        assert f"`{category}`" in docs


def test_the_download_is_csv(owner_client, owner):
    fill_account(owner, days=3)
    response = owner_client.post("/me/data/export/csv/")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().startswith(",".join(COLUMNS))

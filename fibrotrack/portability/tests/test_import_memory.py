"""Large Flaredown files stream: memory follows the number of days and names, never the number of rows."""

import csv
import datetime as dt
import tracemalloc

import pytest

from fibrotrack.diary.models import SymptomScore
from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.portability.imports import reader
from fibrotrack.portability.imports.base import Options

pytestmark = pytest.mark.django_db

HEADER = ["user_id", "age", "sex", "country", "checkin_date", "trackable_id", "trackable_type", "trackable_name",
          "trackable_value"]  # fmt: skip
DAYS = 60
START = dt.date(2019, 1, 1)


def write_file(path, repeat):
    """60 days x 25 values, each row written ``repeat`` times (as a re-sent export would hold them)."""
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for d in range(DAYS):
            day = (START + dt.timedelta(days=d)).isoformat()
            rows = [
                ["u1", "41", "f", "GB", day, str(i), "Symptom", f"Symptom {i}", str((d + i) % 5)] for i in range(15)
            ]
            rows += [["u1", "41", "f", "GB", day, str(100 + i), "Treatment", f"Remedy {i}", f"{10 + i}.0 mg"]
                     for i in range(4)]  # fmt: skip
            rows += [["u1", "41", "f", "GB", day, str(200 + i), "Tag", f"Tag {i}", ""] for i in range(3)]
            rows += [["u1", "41", "f", "GB", day, "300", "Weather", "temperature_max", f"{d % 30}.5"]]
            rows += [["u1", "41", "f", "GB", day, "301", "HBI", "general_wellbeing", "2"]]
            rows += [["u1", "41", "f", "GB", day, "1", "Symptom", "Symptom 1", "9"]]  # a bad row
            for _ in range(repeat):
                writer.writerows(rows)
    return DAYS * 25 * repeat


def peak_bytes(path, user):
    tracemalloc.start()
    try:
        preview = reader("flaredown-research").preview(path, user, Options())
        result = reader("flaredown-research").apply(path, user, Options())
        return tracemalloc.get_traced_memory()[1], preview, result
    finally:
        tracemalloc.stop()


def test_ten_times_the_rows_needs_no_more_memory(tmp_path):
    small_rows = write_file(tmp_path / "small.csv", 2)
    large_rows = write_file(tmp_path / "large.csv", 20)
    small_user, large_user = UserFactory(email="small@example.org"), UserFactory(email="large@example.org")
    peak_bytes(tmp_path / "small.csv", UserFactory(email="warm@example.org"))  # imports, caches and the like
    small, small_preview, _ = peak_bytes(tmp_path / "small.csv", small_user)
    large, large_preview, result = peak_bytes(tmp_path / "large.csv", large_user)
    assert (small_preview.rows, large_preview.rows) == (small_rows, large_rows)
    assert large_preview.problem_count == DAYS * 20  # every bad row counted, though only the first 200 listed
    assert dict(result.written)["New diary days"] == DAYS
    assert SymptomScore.objects.filter(checkin__user=large_user).count() == DAYS * 15
    print(f"peak {small / 1e6:.1f} MB for {small_rows:,} rows, {large / 1e6:.1f} MB for {large_rows:,} rows")
    # The large file is 10x the rows (about 2 MB more text); reading it whole would take many MB more.
    assert large < small * 1.5 + 1_000_000

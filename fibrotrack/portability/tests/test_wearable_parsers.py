"""Reading watch and phone exports into daily values: the real formats, the day rules, DST, and refusals."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import zipfile
import zoneinfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fibrotrack.portability.imports.base import ImportRefused
from fibrotrack.portability.tests.wearable_helpers import (
    APPLE_SAMPLE,
    SAMPLES,
    apple_xml,
    sleep,
    steps,
    write_apple,
)
from fibrotrack.portability.wearables import apple, fitbit, googlefit

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
D = dt.date


def test_apple_sample_counts_asleep_not_in_bed_and_the_busiest_step_source():
    summary = apple.read(APPLE_SAMPLE, BERLIN)
    # Core 2 h + deep 1 h + REM 1.5 h + core 3.25 h; the iPhone's 8 h 40 "in bed" and the 15 min awake are not sleep.
    assert summary.sleep[D(2024, 3, 10)] == pytest.approx(7.75)
    # The watch counted 5,700 and the phone 5,000 of the same walking: the day is the watch's, not 10,700.
    assert summary.steps == {D(2024, 3, 9): 5700}
    assert summary.step_sources[D(2024, 3, 9)] == "Jo’s Apple Watch"
    assert summary.resting_hr == {D(2024, 3, 10): 58}
    assert summary.hrv == {D(2024, 3, 10): 45}
    # A night with only the iPhone's "in bed" (no watch) counts that, and says so.
    assert summary.sleep[D(2024, 3, 12)] == pytest.approx(7.5)
    assert summary.in_bed_only == {D(2024, 3, 12)}
    assert summary.problem_count == 0


def test_apple_zip_is_read_from_inside_the_archive(tmp_path):
    path = write_apple(tmp_path / "export.zip", steps("2024-03-09 10:00:00 +0100", 1234), zipped=True)
    assert apple.read(path, BERLIN).steps == {D(2024, 3, 9): 1234}


def test_overlapping_sleep_from_two_apps_counts_once(tmp_path):
    path = write_apple(
        tmp_path / "export.xml",
        sleep("2024-03-09 23:00:00 +0100", "2024-03-10 07:00:00 +0100"),
        sleep("2024-03-10 00:00:00 +0100", "2024-03-10 06:00:00 +0100", "HKCategoryValueSleepAnalysisAsleep"),
    )
    assert apple.read(path, BERLIN).sleep == {D(2024, 3, 10): 8.0}


@pytest.mark.parametrize(
    ("zone", "start", "end", "day", "hours"),
    [
        # Spring forward: 23:00 to 07:00 on the wall clock is 7 hours slept.
        ("Europe/Berlin", "2024-03-30 23:00:00 +0100", "2024-03-31 07:00:00 +0200", D(2024, 3, 31), 7),
        ("America/New_York", "2024-03-09 23:00:00 -0500", "2024-03-10 07:00:00 -0400", D(2024, 3, 10), 7),
        # Fall back: the same wall-clock night is 9 hours.
        ("Europe/Berlin", "2024-10-26 23:00:00 +0200", "2024-10-27 07:00:00 +0100", D(2024, 10, 27), 9),
        ("America/New_York", "2024-11-02 23:00:00 -0400", "2024-11-03 07:00:00 -0500", D(2024, 11, 3), 9),
    ],
)
def test_dst_nights_count_the_hours_really_slept_on_the_wake_up_day(tmp_path, zone, start, end, day, hours):
    path = write_apple(tmp_path / "export.xml", sleep(start, end))
    assert apple.read(path, zoneinfo.ZoneInfo(zone)).sleep == {day: pytest.approx(hours)}


def test_a_night_is_dated_in_the_persons_time_zone_not_the_files(tmp_path):
    # Recorded in Berlin (+0100), woke at 06:00 there = 00:00 in New York: the New York diary's 10 March.
    path = write_apple(tmp_path / "export.xml", sleep("2024-03-09 22:00:00 +0100", "2024-03-10 06:00:00 +0100"))
    assert apple.read(path, BERLIN).sleep == {D(2024, 3, 10): 8}
    assert apple.read(path, NEW_YORK).sleep == {D(2024, 3, 10): 8}
    path = write_apple(tmp_path / "export.xml", sleep("2024-03-09 22:00:00 +0100", "2024-03-10 05:00:00 +0100"))
    assert apple.read(path, NEW_YORK).sleep == {D(2024, 3, 9): 7}  # woke at 23:00 on the 9th in New York


def test_waking_before_the_day_boundary_counts_for_the_new_day_and_a_night_never_splits(tmp_path):
    # The diary day turns over at 4 a.m.; stage segments end at 23:30, 01:10, 03:50 and 06:30.
    path = write_apple(
        tmp_path / "export.xml",
        sleep("2024-03-09 22:30:00 +0100", "2024-03-09 23:30:00 +0100"),
        sleep("2024-03-09 23:30:00 +0100", "2024-03-10 01:10:00 +0100", "HKCategoryValueSleepAnalysisAsleepDeep"),
        sleep("2024-03-10 01:10:00 +0100", "2024-03-10 03:50:00 +0100", "HKCategoryValueSleepAnalysisAsleepREM"),
        sleep("2024-03-10 04:20:00 +0100", "2024-03-10 06:30:00 +0100"),
        # Another night: woke for good at 03:30, before the 4 a.m. turnover: still the night before the 12th.
        sleep("2024-03-11 21:30:00 +0100", "2024-03-12 03:30:00 +0100"),
        # An afternoon nap belongs to its own day.
        sleep("2024-03-12 14:00:00 +0100", "2024-03-12 15:00:00 +0100"),
    )
    summary = apple.read(path, BERLIN)
    assert summary.sleep == {D(2024, 3, 10): pytest.approx(7.5), D(2024, 3, 12): pytest.approx(7)}


def test_impossible_records_are_left_out(tmp_path):
    path = write_apple(
        tmp_path / "export.xml",
        sleep("2024-03-01 23:00:00 +0100", "2024-03-04 07:00:00 +0100"),  # three days "asleep": a clock error
        sleep("2024-03-04 23:00:00 +0100", "2024-03-05 06:00:00 +0100"),
        *[steps(f"2024-03-05 10:{m:02d}:00 +0100", 150_000) for m in range(4)],  # 600,000 steps in a day
        steps("2024-03-06 10:00:00 +0100", 3000),
    )
    summary = apple.read(path, BERLIN)
    assert summary.sleep == {D(2024, 3, 5): 7}
    assert summary.steps == {D(2024, 3, 6): 3000}
    assert any("not possible" in reason for _, reason in summary.problems)


def test_steps_are_dated_in_the_persons_time_zone(tmp_path):
    path = write_apple(tmp_path / "export.xml", steps("2024-03-09 23:30:00 -0500", 100))  # 05:30 on the 10th in Berlin
    assert apple.read(path, NEW_YORK).steps == {D(2024, 3, 9): 100}
    assert apple.read(path, BERLIN).steps == {D(2024, 3, 10): 100}


def test_an_xml_bomb_is_refused_before_it_expands(tmp_path):
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    path = tmp_path / "export.xml"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE HealthData [{entities}]><HealthData>&lol9;</HealthData>')
    with pytest.raises(ImportRefused, match="declares XML entities"):
        apple.read(path, BERLIN)


def test_an_external_entity_is_refused(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE HealthData [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        '<HealthData><Record type="HKQuantityTypeIdentifierStepCount" sourceName="&secret;" '
        'startDate="2024-03-09 10:00:00 +0100" endDate="2024-03-09 10:00:00 +0100" value="1"/></HealthData>'
    )
    with pytest.raises(ImportRefused, match="declares XML entities"):
        apple.read(path, BERLIN)


def test_a_truncated_zip_is_refused_clearly(tmp_path):
    whole = write_apple(tmp_path / "export.zip", steps("2024-03-09 10:00:00 +0100", 5), zipped=True)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(ImportRefused, match="incomplete or damaged"):
        apple.read(cut, BERLIN)


def test_a_cut_short_export_xml_is_refused(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(apple_xml(steps("2024-03-09 10:00:00 +0100", 5))[:-40])
    with pytest.raises(ImportRefused, match="cut short or damaged"):
        apple.read(path, BERLIN)


def test_xml_that_is_not_apple_health_is_refused(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text('<?xml version="1.0"?><rss><channel/></rss>')
    with pytest.raises(ImportRefused, match="not an Apple Health export"):
        apple.read(path, BERLIN)


def test_fitbit_files_from_takeout(tmp_path):
    archive = tmp_path / "takeout.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for kind in ("sleep", "steps", "resting_heart_rate"):
            out.write(
                SAMPLES / f"fitbit_{kind}-2024-03-09.json", f"Takeout/Fitbit/Global Export Data/{kind}-2024-03-09.json"
            )
        out.writestr("Takeout/Fitbit/Your Profile/Profile.csv", "id,name\n1,Jo\n")
    summary = fitbit.read(archive, BERLIN)
    assert summary.sleep == {D(2024, 3, 10): pytest.approx((421 + 39) / 60)}  # the night and the nap
    # Fitbit's minute steps are UTC: 23:30 UTC on the 9th is 00:30 on the 10th in Berlin.
    assert summary.steps == {D(2024, 3, 9): 200, D(2024, 3, 10): 50}
    assert summary.resting_hr == {D(2024, 3, 9): pytest.approx(61.42)}  # the 0 ("not computed") is left out


def test_a_single_fitbit_file_is_recognised_by_its_content(tmp_path):
    path = tmp_path / "upload"
    path.write_bytes((SAMPLES / "fitbit_resting_heart_rate-2024-03-09.json").read_bytes())
    assert fitbit.read(path, BERLIN).resting_hr == {D(2024, 3, 9): pytest.approx(61.42)}


@pytest.mark.parametrize("content", [b"{}", b'[{"foo": 1}]', b'{"activities-heart": []}', b"not json", b"[" * 100_000])
def test_json_that_is_not_fitbits_is_refused(tmp_path, content):
    path = tmp_path / "upload"
    path.write_bytes(content)
    with pytest.raises(ImportRefused, match="not one of Fitbit"):
        fitbit.read(path, BERLIN)


def test_google_fit_daily_activity_metrics(tmp_path):
    summary = googlefit.read(SAMPLES / "google_fit_daily_activity_metrics.csv", BERLIN)
    assert summary.steps == {D(2024, 3, 9): 5123, D(2024, 3, 10): 2011}  # the 11th has no step count
    archive = tmp_path / "takeout.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(
            SAMPLES / "google_fit_daily_activity_metrics.csv",
            "Takeout/Fit/Daily activity metrics/Daily activity metrics.csv",
        )
    assert googlefit.read(archive, BERLIN).steps == summary.steps


@pytest.mark.parametrize(
    "content",
    [
        b"user_id,checkin_date,trackable_name\nu1,2024-01-01,Fatigue\n",  # a Flaredown file
        b"",
        b"Date;Step count\n2024-03-09;5\n",  # semicolons: one column
        b"\xff\xfe\x00garbage",
    ],
)
def test_a_csv_of_the_wrong_shape_is_refused(tmp_path, content):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    with pytest.raises(ImportRefused, match="Daily activity metrics"):
        googlefit.read(path, BERLIN)


def test_bad_rows_are_reported_not_imported(tmp_path):
    path = tmp_path / "upload.csv"
    path.write_text("Date,Step count\n2024-03-09,12\n2024-13-40,5\n2024-03-10,lots\n2024-03-11,-4\n")
    summary = googlefit.read(path, BERLIN)
    assert summary.steps == {D(2024, 3, 9): 12}
    assert [location for location, _ in summary.problems] == ["row 3", "row 4", "row 5"]


READERS = [apple.read, fitbit.read, googlefit.read]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prefix=st.sampled_from([b"", b"PK\x03\x04", b'<?xml version="1.0"?><HealthData>']),
    data=st.binary(max_size=2000),
    reader=st.sampled_from(READERS),
)
def test_arbitrary_bytes_never_crash_a_reader(tmp_path, prefix, data, reader):
    path = tmp_path / "upload"
    path.write_bytes(prefix + data)  # as a zip, as Apple's XML, or anything
    with contextlib.suppress(ImportRefused):  # a clear refusal is fine; any other exception fails the test
        reader(path, BERLIN)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60),
    reader=st.sampled_from(READERS),
)
def test_arbitrary_values_inside_a_valid_shape_never_crash(tmp_path, text, reader):
    path = tmp_path / "upload"
    if reader is apple.read:
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        body = apple_xml(steps(escaped, 5), steps("2024-03-09 10:00:00 +0100", 5)).encode("utf-8", "surrogatepass")
        path.write_bytes(body)
    elif reader is fitbit.read:
        path.write_text(json.dumps([{"dateTime": text, "value": text}, {"dateTime": "03/09/24 10:00:00", "value": 3}]))
    else:
        buffer = io.StringIO()
        buffer.write(f"Date,Step count\n{text.replace(chr(0), '')},{text}\n")
        path.write_text(buffer.getvalue())
    with contextlib.suppress(ImportRefused):  # a clear refusal is fine; any other exception fails the test
        reader(path, BERLIN)


def _zips(tmp_path):
    apple_zip = write_apple(tmp_path / "apple.zip", steps("2024-03-09 10:00:00 +0100", 5), zipped=True)
    fitbit_zip = tmp_path / "fitbit.zip"
    with zipfile.ZipFile(fitbit_zip, "w", zipfile.ZIP_DEFLATED) as out:
        out.write(SAMPLES / "fitbit_sleep-2024-03-09.json", "Takeout/Fitbit/Global Export Data/sleep-2024-03-09.json")
    fit_zip = tmp_path / "fit.zip"
    with zipfile.ZipFile(fit_zip, "w", zipfile.ZIP_DEFLATED) as out:
        out.write(SAMPLES / "google_fit_daily_activity_metrics.csv", "Takeout/Fit/Daily activity metrics.csv")
    return [(apple.read, apple_zip), (fitbit.read, fitbit_zip), (googlefit.read, fit_zip)]


def test_a_zip_cut_anywhere_or_with_a_flipped_byte_is_refused_or_read_never_crashes(tmp_path):
    for read, whole in _zips(tmp_path):
        data = whole.read_bytes()
        damaged = tmp_path / "damaged.zip"
        for cut in range(4, len(data), 9):
            for variant in (data[:cut], data[:cut] + bytes([data[cut] ^ 0xFF]) + data[cut + 1 :]):
                damaged.write_bytes(variant)
                with contextlib.suppress(ImportRefused):
                    read(damaged, BERLIN)

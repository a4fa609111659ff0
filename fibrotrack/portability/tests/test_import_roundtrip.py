"""FibroTrack's own files: export -> import into an empty account -> export loses nothing."""

import datetime as dt
import json

import pytest

from fibrotrack.diary.models import CheckIn, CheckInRevision, SymptomScore, TrackedSymptom
from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.portability.export_csv import export_csv
from fibrotrack.portability.export_json import build_document, export_json
from fibrotrack.portability.imports import reader
from fibrotrack.portability.imports.base import ImportRefused, Options
from fibrotrack.portability.tests.portability_helpers import fill_account
from fibrotrack.treatments.models import DoseChange, DoseLog, Regimen, SideEffect, SideEffectReport

pytestmark = pytest.mark.django_db

# Identity and the moment of export differ by design; the revision log is the
# history of each account (the import writes its own entries).
NOT_COMPARED = ("exported_at", "checkin_revisions")


def comparable(document):
    document = {k: v for k, v in document.items() if k not in NOT_COMPARED}
    document["profile"] = {
        k: v for k, v in document["profile"].items() if k not in ("email", "display_name", "date_joined")
    }
    return document


def empty_account():
    return UserFactory(symptoms=[], time_zone="America/New_York", day_starts_at_hour=2)


def counts(user):
    return (
        CheckIn.objects.filter(user=user).count(),
        SymptomScore.objects.filter(checkin__user=user).count(),
        Regimen.objects.filter(user=user).count(),
        DoseChange.objects.filter(regimen__user=user).count(),
        DoseLog.objects.filter(regimen__user=user).count(),
        SideEffect.objects.filter(user=user).count(),
        SideEffectReport.objects.filter(side_effect__user=user).count(),
    )


def test_json_round_trip_is_lossless(owner, tmp_path):
    fill_account(owner)
    path = tmp_path / "export.json"
    path.write_bytes(export_json(owner))
    target = empty_account()
    result = reader("fibrotrack-json").apply(path, target, Options())
    assert result.problem_count == 0, result.problems
    target.refresh_from_db()
    assert comparable(build_document(target)) == comparable(json.loads(path.read_text()))
    assert (target.time_zone, target.day_starts_at_hour) == ("Europe/London", 4)


def test_csv_round_trip_is_lossless(owner, tmp_path):
    fill_account(owner)
    path = tmp_path / "export.csv"
    first = export_csv(owner)
    path.write_bytes(first)
    target = empty_account()
    result = reader("fibrotrack-csv").apply(path, target, Options())
    assert result.problem_count == 0, result.problems
    assert export_csv(target).decode() == first.decode()


@pytest.mark.parametrize(("fmt", "export"), [("fibrotrack-json", export_json), ("fibrotrack-csv", export_csv)])
def test_importing_the_same_file_again_creates_no_duplicates(owner, tmp_path, fmt, export):
    fill_account(owner)
    path = tmp_path / "export"
    path.write_bytes(export(owner))
    target = empty_account()
    reader(fmt).apply(path, target, Options())
    before = counts(target)
    revisions = CheckInRevision.objects.filter(user=target).count()
    again = reader(fmt).apply(path, target, Options())
    assert counts(target) == before
    assert CheckInRevision.objects.filter(user=target).count() == revisions
    assert again.total == 0


def test_importing_into_the_same_account_changes_nothing(owner, tmp_path):
    fill_account(owner)
    path = tmp_path / "export.json"
    path.write_bytes(export_json(owner))
    before = counts(owner)
    result = reader("fibrotrack-json").apply(path, owner, Options())
    assert counts(owner) == before
    assert result.total == 0


def test_the_preview_writes_nothing_and_says_what_confirming_will_do(owner, tmp_path):
    fill_account(owner)
    path = tmp_path / "export.json"
    path.write_bytes(export_json(owner))
    target = empty_account()
    preview = reader("fibrotrack-json").preview(path, target, Options())
    assert counts(target) == (0, 0, 0, 0, 0, 0, 0)
    target.refresh_from_db()
    assert target.time_zone == "America/New_York"
    changes = dict(preview.changes)
    assert changes["New diary days"] == CheckIn.objects.filter(user=owner).count()
    assert changes["Diary days you already have: updated where the file differs"] == 0
    assert dict(preview.counts)["Treatment courses (with doses)"] == 2
    assert preview.first_rows and preview.mapping
    symptoms_before = TrackedSymptom.objects.filter(user=target).count()
    reader("fibrotrack-json").apply(path, target, Options())
    assert CheckIn.objects.filter(user=target).count() == changes["New diary days"]
    assert TrackedSymptom.objects.filter(user=target).count() - symptoms_before == changes["New symptoms"]
    again = dict(reader("fibrotrack-json").preview(path, target, Options()).changes)
    assert again["New diary days"] == again["New symptoms"] == again["New ACR 2016 questionnaires"] == 0
    assert again["Diary days you already have: updated where the file differs"] == changes["New diary days"]


def test_bad_records_are_reported_and_the_rest_is_imported(owner, tmp_path):
    fill_account(owner, days=6)
    document = json.loads(export_json(owner))
    document["checkins"][0]["scores"]["pain"] = 11
    document["checkins"][1]["day"] = "2024-02-30"
    document["checkins"][2]["tags"] = ["no_such_tag"]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document))
    target = empty_account()
    result = reader("fibrotrack-json").apply(path, target, Options())
    reasons = {p.location: p.reason for p in result.problems}
    assert reasons["checkins #1"] == "pain should be a whole number from 0 to 10: 11"
    assert "not a date" in reasons["checkins #2"]
    assert reasons["checkins #3"] == "unknown tag 'no_such_tag'"
    assert CheckIn.objects.filter(user=target).count() == len(document["checkins"]) - 3


def test_bad_csv_rows_are_reported_with_their_row_numbers(owner, tmp_path):
    fill_account(owner, days=4)
    lines = export_csv(owner).decode().splitlines()
    lines.insert(2, "2024-01-01,symptom,pain,Pain,12,0-10,lower is better,")
    lines.insert(3, "yesterday,sleep,hours_slept,Hours slept,7,h,,")
    lines.insert(4, "2024-01-01,horoscope,leo,Leo,1,,,")
    lines.insert(5, "just,three,cells")
    path = tmp_path / "export.csv"
    path.write_text("\n".join(lines) + "\n")
    preview = reader("fibrotrack-csv").preview(path, empty_account(), Options())
    reasons = {p.location: p.reason for p in preview.problems}
    assert reasons["row 3"] == "the score 12 is not between 0 and 10"
    assert "is not a date" in reasons["row 4"]
    assert reasons["row 5"] == "unknown category “horoscope”"
    assert reasons["row 6"] == "expected 8 columns, found 3"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format": "other"}', "not a FibroTrack export"),
        ('{"format": "fibrotrack", "version": 99}', "version 99"),
        ("{not json", "not valid JSON"),
    ],
)
def test_files_that_are_not_fibrotrack_json_are_refused(owner, tmp_path, content, message):
    path = tmp_path / "file.json"
    path.write_text(content)
    with pytest.raises(ImportRefused, match=message):
        reader("fibrotrack-json").preview(path, owner, Options())


def test_a_section_an_app_refuses_is_reported_and_the_rest_imported(owner, tmp_path):
    fill_account(owner, days=4)
    document = json.loads(export_json(owner))
    document["trials"] = [{"title": "no uuid"}]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document))
    target = empty_account()
    result = reader("fibrotrack-json").apply(path, target, Options())
    assert [(p.location, p.reason) for p in result.problems] == [("trials", "each trial needs a 'uuid'")]
    assert CheckIn.objects.filter(user=target).count() == len(document["checkins"])


def test_json_round_trip_keeps_trials_too(owner, clinician, today, tmp_path):
    from fibrotrack.trials import actions as trial_actions
    from fibrotrack.trials.models import Trial
    from fibrotrack.trials.tests.helpers import new_trial, started, with_custodian

    ldn = fill_account(owner)["ldn"]
    trial = started(with_custodian(new_trial(owner, regimen=ldn), clinician), today - dt.timedelta(days=100))
    trial_actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    path = tmp_path / "export.json"
    path.write_bytes(export_json(owner))
    exported = json.loads(path.read_text())
    assert [t["uuid"] for t in exported["trials"]] == [str(trial.uuid)]
    target = empty_account()
    result = reader("fibrotrack-json").apply(path, target, Options())
    assert result.problem_count == 0, result.problems
    assert dict(result.written)["Trials"] == 1
    assert Trial.objects.get(user=target).title == trial.title
    assert comparable(build_document(target)) == comparable(exported)
    assert reader("fibrotrack-json").apply(path, target, Options()).total == 0

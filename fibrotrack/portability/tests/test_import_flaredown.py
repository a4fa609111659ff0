"""Flaredown imports: the research export (long) and the personal data.csv (wide)."""

import datetime as dt
from decimal import Decimal

import pytest

from fibrotrack.diary.models import CheckIn, CheckInRevision, SymptomScore, Tag
from fibrotrack.lib.dates import diary_day
from fibrotrack.portability.imports import reader
from fibrotrack.portability.imports.base import ImportRefused, Options
from fibrotrack.treatments.models import DoseChange, DoseLog, Regimen, Treatment

pytestmark = pytest.mark.django_db

HEADER = "user_id,age,sex,country,checkin_date,trackable_id,trackable_type,trackable_name,trackable_value\n"


def research(tmp_path, rows, name="fd.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows))
    return path


def rows_for(user_id="QEVuQwEA", start=dt.date(2017, 4, 25)):
    d1, d2, d3 = (start + dt.timedelta(days=i) for i in range(3))
    return [
        f"{user_id},30,female,US,{d1},1069,Condition,Fibromyalgia,3",
        f"{user_id},30,female,US,{d1},1356,Symptom,Fatigue,4",
        f"{user_id},30,female,US,{d1},148,Symptom,Brain fog,1",
        f"{user_id},30,female,US,{d1},1,Treatment,Ibuprofen,400.0 mg",
        f"{user_id},30,female,US,{d1},2,Treatment,Cannabis,2 puffs",
        f"{user_id},30,female,US,{d1},3,Tag,Stress,",
        f"{user_id},30,female,US,{d1},4,Food,Gluten,",
        f"{user_id},30,female,US,{d1},5,Weather,temperature_max,21.3",
        f"{user_id},30,female,US,{d1},6,HBI,general_wellbeing,2",
        f"{user_id},30,female,US,{d2},1356,Symptom,Fatigue,2",
        f"{user_id},30,female,US,{d2},1,Treatment,Ibuprofen,0.6 g",
        f"{user_id},30,female,US,{d3},1356,Symptom,Fatigue,0",
        f"{user_id},30,female,US,{d3},1,Treatment,Ibuprofen,400 mg",
    ]


def test_ratings_map_from_0_4_to_0_10_and_join_symptoms_already_tracked(owner, tmp_path):
    path = research(tmp_path, rows_for())
    result = reader("flaredown-research").apply(path, owner, Options())
    assert result.problem_count == 0
    fatigue = owner.symptoms.get(key="fatigue")
    values = dict(SymptomScore.objects.filter(symptom=fatigue).values_list("checkin__day", "value"))
    assert values == {dt.date(2017, 4, 25): 10, dt.date(2017, 4, 26): 5, dt.date(2017, 4, 27): 0}
    assert SymptomScore.objects.get(symptom__key="fibro_fog", checkin__user=owner).value == 3
    fibro = owner.symptoms.get(name="Fibromyalgia")
    assert fibro.is_custom and fibro.lower_is_better
    assert SymptomScore.objects.get(symptom=fibro).value == 8


def test_doses_are_parsed_and_unreadable_ones_kept_as_text(owner, tmp_path):
    reader("flaredown-research").apply(research(tmp_path, rows_for()), owner, Options())
    ibuprofen = Regimen.objects.get(user=owner, treatment__key="ibuprofen")
    assert ibuprofen.treatment.user_id is None  # the catalogue entry, found by name
    assert (ibuprofen.schedule, ibuprofen.started_on, ibuprofen.stopped_on) == (
        "as_needed",
        dt.date(2017, 4, 25),
        dt.date(2017, 4, 27),
    )
    logs = list(DoseLog.objects.filter(regimen=ibuprofen).values_list("day", "amount", "unit"))
    assert [(a, u) for _, a, u in logs] == [(Decimal("400"), "mg"), (Decimal("600"), "mg"), (Decimal("400"), "mg")]
    changes = list(DoseChange.objects.filter(regimen=ibuprofen).values_list("effective_on", "amount"))
    assert changes == [
        (dt.date(2017, 4, 25), Decimal("400")),
        (dt.date(2017, 4, 26), Decimal("600")),
        (dt.date(2017, 4, 27), Decimal("400")),
    ]
    cannabis = Regimen.objects.get(user=owner, treatment__name="Cannabis")
    assert cannabis.treatment.user == owner
    assert DoseLog.objects.get(regimen=cannabis).amount is None
    note = CheckIn.objects.get(user=owner, day=dt.date(2017, 4, 25)).note
    assert "Flaredown dose, Cannabis: 2 puffs" in note


def test_tags_foods_and_weather_by_choice(owner, tmp_path):
    path = research(tmp_path, rows_for())
    reader("flaredown-research").apply(path, owner, Options(weather="note"))
    day = CheckIn.objects.get(user=owner, day=dt.date(2017, 4, 25))
    assert {t.name for t in day.tags.all()} == {"Stress", "Gluten"}
    assert Tag.objects.get(user=owner, name="Gluten")
    assert "Weather (Flaredown): temperature_max 21.3" in day.note

    other = type(owner).objects.create(email="skip@example.org", time_zone="UTC")
    preview = reader("flaredown-research").preview(path, other, Options(weather="skip"))
    assert dict(preview.counts)["Not imported: weather (skipped by choice)"] == 1
    reader("flaredown-research").apply(path, other, Options(weather="skip"))
    assert "Weather" not in CheckIn.objects.get(user=other, day=dt.date(2017, 4, 25)).note


def test_the_preview_states_the_mapping_and_writes_nothing(owner, tmp_path):
    preview = reader("flaredown-research").preview(research(tmp_path, rows_for()), owner, Options())
    assert CheckIn.objects.filter(user=owner).count() == 0
    assert not Regimen.objects.filter(user=owner).exists()
    assert any("0→0, 1→3, 2→5, 3→8, 4→10" in line for line in preview.mapping)
    assert preview.rows == 13
    counts = dict(preview.counts)
    assert counts["Symptom and condition ratings"] == 5
    assert counts["Not imported: HBI (Harvey-Bradshaw index)"] == 1
    changes = dict(preview.changes)
    assert changes["New diary days"] == 3
    assert changes["New symptoms and conditions"] == 1  # Fibromyalgia; Fatigue and Brain fog are already tracked
    assert changes["New treatments of your own"] == 1  # Cannabis
    assert preview.first_rows[0][7] == "Fibromyalgia"


def test_a_file_with_several_people_is_refused_with_their_ids_until_one_is_chosen(owner, tmp_path):
    path = research(tmp_path, rows_for("aaa") + rows_for("bbb")[:4])
    with pytest.raises(ImportRefused) as refused:
        reader("flaredown-research").preview(path, owner, Options())
    assert refused.value.sources == [("aaa", 13), ("bbb", 4)]
    with pytest.raises(ImportRefused, match="no user_id zzz"):
        reader("flaredown-research").preview(path, owner, Options(source_user="zzz"))
    reader("flaredown-research").apply(path, owner, Options(source_user="bbb"))
    assert CheckIn.objects.filter(user=owner).count() == 1


def test_bad_rows_are_reported_with_row_numbers_and_the_rest_imported(owner, tmp_path):
    future = diary_day(owner) + dt.timedelta(days=2)
    rows = [
        "u,30,f,US,2017-04-25,1,Symptom,Fatigue,7",
        "u,30,f,US,25/04/2017,1,Symptom,Fatigue,2",
        f"u,30,f,US,{future},1,Symptom,Fatigue,2",
        "u,30,f,US,2017-04-26,1,Mood,Happy,2",
        "u,30,f,US,2017-04-26,1",
        "u,30,f,US,2017-04-26,1,Symptom,Fatigue,2",
    ]
    preview = reader("flaredown-research").preview(research(tmp_path, rows), owner, Options())
    reasons = {p.location: p.reason for p in preview.problems}
    assert reasons == {
        "row 2": "“7” is not a rating from 0 to 4",
        "row 3": "“25/04/2017” is not a date like 2017-04-25",
        "row 4": f"{future} is in the future",
        "row 5": "unknown trackable_type “Mood”",
        "row 6": "expected 9 columns, found 6",
    }
    result = reader("flaredown-research").apply(research(tmp_path, rows), owner, Options())
    assert result.problem_count == 5
    assert SymptomScore.objects.filter(checkin__user=owner).count() == 1


def test_importing_the_same_file_twice_creates_no_duplicates(owner, tmp_path):
    path = research(tmp_path, rows_for())
    reader("flaredown-research").apply(path, owner, Options())
    tables = (CheckIn, SymptomScore, DoseLog, DoseChange, Regimen, Treatment, Tag, CheckInRevision)
    before = [m.objects.count() for m in tables]
    notes = list(CheckIn.objects.filter(user=owner).values_list("note", flat=True))
    again = reader("flaredown-research").apply(path, owner, Options())
    assert [m.objects.count() for m in tables] == before
    assert list(CheckIn.objects.filter(user=owner).values_list("note", flat=True)) == notes
    assert again.total == 0


def test_existing_days_keep_their_other_values_and_get_a_revision(owner, tmp_path):
    from fibrotrack.lib.testing.factories import make_checkin

    make_checkin(owner, dt.date(2017, 4, 25), note="My own words", pain=6)
    reader("flaredown-research").apply(research(tmp_path, rows_for()), owner, Options())
    day = CheckIn.objects.get(user=owner, day=dt.date(2017, 4, 25))
    assert day.score_map[owner.symptoms.get(key="pain").pk] == 6
    assert day.note.startswith("My own words\n")
    assert CheckInRevision.objects.filter(checkin=day, action="updated", changes__source__1="Flaredown import").exists()


def test_a_file_that_is_not_a_flaredown_export_is_refused(owner, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("date,category\n")
    with pytest.raises(ImportRefused, match="not a Flaredown research export"):
        reader("flaredown-research").preview(path, owner, Options())
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ImportRefused):
        reader("flaredown-research").preview(path, owner, Options())


PERSONAL = (
    "Date,Fibromyalgia,Fatigue,Duloxetine,Melatonin,Tags,Foods\n"
    "2020-01-01,3,2,60.0 mg,3 mg,Stress; Poor sleep,Coffee\n"
    "2020-01-02,2,,60.0 mg,,Travel,\n"
    "2020-01-03,1,4,30 mg,1,,Coffee; Gluten\n"
    "not a day,1,1,,,,\n"
)


def test_the_personal_export_reads_ratings_treatments_tags_and_foods(owner, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(PERSONAL)
    preview = reader("flaredown-personal").preview(path, owner, Options())
    assert "Columns read as conditions or symptoms (0–4 ratings): Fibromyalgia, Fatigue." in preview.mapping[0]
    assert "Columns read as treatments: Duloxetine, Melatonin." in preview.mapping[0]
    assert preview.rows == 4
    assert [(p.location, p.reason) for p in preview.problems] == [
        ("row 5", "“not a day” is not a date like 2017-04-25")
    ]
    result = reader("flaredown-personal").apply(path, owner, Options())
    assert result.problem_count == 1
    fatigue = dict(SymptomScore.objects.filter(symptom__key="fatigue").values_list("checkin__day", "value"))
    assert fatigue == {dt.date(2020, 1, 1): 5, dt.date(2020, 1, 3): 10}
    duloxetine = Regimen.objects.get(user=owner, treatment__key="duloxetine")
    assert list(DoseLog.objects.filter(regimen=duloxetine).values_list("amount", flat=True)) == [
        Decimal("60"),
        Decimal("60"),
        Decimal("30"),
    ]
    melatonin = Regimen.objects.get(user=owner, treatment__key="melatonin")
    assert "Flaredown dose, Melatonin: 1" in CheckIn.objects.get(user=owner, day=dt.date(2020, 1, 3)).note
    assert DoseLog.objects.filter(regimen=melatonin).count() == 2
    tags = {t.name for t in CheckIn.objects.get(user=owner, day=dt.date(2020, 1, 3)).tags.all()}
    assert tags == {"Coffee", "Gluten"}
    assert {t.name for t in CheckIn.objects.get(user=owner, day=dt.date(2020, 1, 1)).tags.all()} == {
        "Stress",
        "Poor sleep",
        "Coffee",
    }
    reader("flaredown-personal").apply(path, owner, Options())
    assert SymptomScore.objects.filter(checkin__user=owner).count() == 5


def test_a_higher_is_better_symptom_is_never_fed_severity_ratings(owner, tmp_path):
    path = research(tmp_path, ["u,30,f,US,2017-04-25,1,Symptom,Mood,4"])
    reader("flaredown-research").apply(path, owner, Options())
    assert not SymptomScore.objects.filter(symptom__key="mood").exists()
    created = owner.symptoms.get(name="Mood (Flaredown)")
    assert created.lower_is_better

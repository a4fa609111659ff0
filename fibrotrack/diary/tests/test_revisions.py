"""A day's change history speaks in the words of the check-in, never in internal names."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from fibrotrack.diary.history import Change, revision_changes
from fibrotrack.diary.models import CheckInRevision, Tag
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.factories import make_checkin

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[list[str]]:
    """The rows of the history's tables as plain text cells."""
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        rows.append(cells)
    return rows


def test_history_labels_fields_symptoms_and_regions_as_the_checkin_does(owner, owner_client):
    day = diary_day(owner) - dt.timedelta(days=1)
    url = reverse("diary:day", args=[day.isoformat()])
    symptoms = {s.key: s.pk for s in owner.symptoms.all()}
    stress = Tag.objects.get(key="stress")
    first = {f"s_{symptoms['pain']}": "6", "hours_slept": "6.5", "pain_regions": ["neck"], "note": "ok"}
    owner_client.post(url, first)
    owner_client.post(
        url,
        {
            **first,
            f"s_{symptoms['pain']}": "4",
            "hours_slept": "7",
            "pain_regions": ["lower_back", "neck", "shoulder_r"],
            "tags": [str(stress.pk)],
        },
    )
    html = owner_client.get(reverse("diary:revisions", args=[day.isoformat()])).content.decode()
    for internal in ("Hours_slept", "Pain_regions", "lower_back", "shoulder_r", "Scores"):
        assert internal not in html
    rows = _rows(html)
    assert ["Pain", "6", "4"] in rows
    assert ["Hours slept", "6.5", "7"] in rows
    assert ["Where it hurt", "Neck", "Lower back, Neck, Right shoulder"] in rows
    assert ["What happened", "—", "Stress"] in rows
    # The first revision lists what the day was created with, in the same words, and no empty field.
    assert ["Where it hurt", "—", "Neck"] in rows
    assert not [row for row in rows if row[1:] == ["—", "—"]]


def test_a_deleted_day_and_an_import_are_worded_too(owner, owner_client):
    day = diary_day(owner) - dt.timedelta(days=2)
    checkin = make_checkin(owner, day, pain=3, note="before")
    CheckInRevision.objects.create(
        user=owner, checkin=checkin, day=day, action="updated", changes={"source": [None, "Flaredown import"]}
    )
    owner_client.post(reverse("diary:delete", args=[day.isoformat()]))
    rows = _rows(owner_client.get(reverse("diary:revisions", args=[day.isoformat()])).content.decode())
    assert ["Pain", "3", "—"] in rows
    assert ["Note", "before", "—"] in rows
    assert ["Source", "—", "Flaredown import"] in rows


def test_unknown_keys_and_regions_are_shown_rather_than_lost():
    changes = revision_changes({"pain_regions": [["gone_region"], []], "mood_colour": ["blue", "green"]})
    assert changes == [
        Change("Where it hurt", "gone_region", "—"),
        Change("Mood colour", "blue", "green"),
    ]


def test_a_symptom_answered_for_the_first_time_has_an_empty_before():
    changes = revision_changes({"scores": [{"Pain": 5}, {"Pain": 5, "Fatigue": 2}]})
    assert changes == [Change("Fatigue", "—", "2")]

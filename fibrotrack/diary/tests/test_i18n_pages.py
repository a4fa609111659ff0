"""Issue 21: the diary's other pages (history, chart, symptoms, revisions, the ACR 2016 questionnaire) are
translated; the questionnaire says it is an unofficial translation; its scores never depend on the language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fibrotrack.diary import acr2016, regions
from fibrotrack.diary.forms import AcrForm
from fibrotrack.diary.models import Acr2016Assessment, Tag, TrackedSymptom
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.factories import make_checkin
from fibrotrack.lib.testing.i18n import PSEUDO, pseudo_locale, untranslated_text

pytestmark = pytest.mark.django_db


IN_PSEUDO = {"HTTP_ACCEPT_LANGUAGE": PSEUDO}
ACR_ANSWERS = {
    "regions": ["neck", "hip_l", "shoulder_r", "shoulder_l", "upper_back", "lower_leg_l", "jaw_r", "abdomen"],
    "fatigue": "3",
    "unrefreshed": "2",
    "cognitive": "1",
    "headache": "on",
    "depression": "on",
    "three_months": "1",
}


@pytest.fixture
def pseudo():
    with pseudo_locale():
        yield


@pytest.fixture
def a_month(owner):
    today = diary_day(owner)
    stress = Tag.objects.get(user=None, key="stress")
    for offset in range(0, 40, 2):
        checkin = make_checkin(
            owner, today - dt.timedelta(days=offset), note="walked", hours_slept="7.5", pain=offset % 10, fatigue=4
        )
        checkin.tags.add(stress)
    return today


def _page(client: Client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=PSEUDO)
    assert response.status_code == 200, url
    return str(response.content.decode())


def test_history_chart_and_symptom_pages_have_no_untranslated_word(owner, owner_client, a_month, pseudo):
    pain = owner.symptoms.get(key="pain")
    urls = [
        reverse("diary:history"),
        reverse("diary:history") + "?symptom=sleep_quality&days=365&page=2",
        reverse("diary:chart"),
        reverse("diary:chart") + "?s=pain&s=mood&days=30&first=mood",
        reverse("diary:symptoms"),
        reverse("diary:symptom_edit", args=[pain.pk]),
        reverse("diary:revisions", args=[a_month.isoformat()]),
    ]
    for url in urls:
        page = _page(owner_client, url)
        assert "⟦Pain⟧" in page or "⟦Changes to" in page, url  # default symptom names are translated
        assert untranslated_text(page, ignore=[owner.display_name, "walked"]) == [], url


def test_the_heat_map_names_each_day_in_the_active_language(owner, owner_client, a_month):
    page = owner_client.get(reverse("diary:history"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Schmerz" in page and "Dein Verlauf" in page
    assert 'abbr="Montag">M</th>' in page and 'abbr="Dienstag">D</th>' in page
    page = owner_client.get(reverse("diary:history"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Tu historial" in page and 'abbr="miércoles">X</th>' in page and "Estrés" in page


def test_the_questionnaire_pages_have_no_untranslated_word(owner, owner_client, pseudo):
    page = _page(owner_client, reverse("diary:acr_new"))
    assert "⟦Waking unrefreshed⟧" in page and "⟦Left jaw⟧" in page
    assert untranslated_text(page, ignore=[owner.display_name]) == []
    response = owner_client.post(reverse("diary:acr_new"), ACR_ANSWERS, **IN_PSEUDO)
    assert response.status_code == 302
    for url in (response["Location"], reverse("diary:acr_list")):
        page = _page(owner_client, url)
        assert untranslated_text(page, ignore=[owner.display_name]) == [], url


@pytest.mark.parametrize(
    ("language", "note", "anchor"),
    [
        ("es", "Esta es una traducción no oficial del cuestionario ACR 2016", "3 — grave"),
        ("de", "Dies ist eine inoffizielle Übersetzung des ACR-2016-Fragebogens", "3 — schwer"),
    ],
)
def test_a_translated_questionnaire_says_it_is_unofficial(owner_client, language, note, anchor):
    page = owner_client.get(reverse("diary:acr_new"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert note in page and anchor in page
    assert "unofficial" not in owner_client.get(reverse("diary:acr_new")).content.decode()  # English is the original


@pytest.mark.parametrize("language", ["en", "es", "de", PSEUDO])
def test_the_acr_scores_do_not_depend_on_the_language(owner, owner_client, language):
    """The same answers, posted from a page in any language, give the same stored answers and scores."""
    with pseudo_locale():
        response = owner_client.post(reverse("diary:acr_new"), ACR_ANSWERS, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302
    stored = Acr2016Assessment.objects.get(user=owner)
    assert sorted(stored.regions) == sorted(ACR_ANSWERS["regions"])
    result = stored.result
    assert (result.wpi, result.sss, result.psd, result.psd_band) == (8, 8, 16, "severe")
    assert (result.painful_areas, result.generalized_pain, result.criteria_met) == (4, True, True)


@pytest.mark.parametrize("language", ["es", "de", PSEUDO])
def test_the_questionnaire_form_offers_the_same_values_in_every_language(language):
    english = AcrForm()
    with pseudo_locale(), translation.override(language):
        translated = AcrForm()
        for name in ("regions", "fatigue", "unrefreshed", "cognitive", "three_months"):
            values = [value for value, _label in translated.fields[name].choices]
            assert values == [value for value, _label in english.fields[name].choices]
        labels = [str(label) for _value, label in translated.fields["fatigue"].choices]
    # The 0-3 anchors are translated, and each keeps its number.
    assert [label.lstrip("⟦")[0] for label in labels] == ["0", "1", "2", "3"]
    assert sorted(regions.BY_CODE) == sorted(value for value, _ in english.fields["regions"].choices)


def test_the_psd_band_is_a_key_and_its_label_is_translated():
    with translation.override("de"):
        assert acr2016.band_label("severe") == "schwer"
    with translation.override("es"):
        assert acr2016.band_label("very severe") == "muy grave"
    assert acr2016.score(
        regions=["neck"], fatigue=0, unrefreshed=0, cognitive=0, headache=False, abdominal=False,
        depression=False, three_months=False,
    ).psd_band == "none"  # fmt: skip


def test_editing_a_default_symptom_keeps_its_stored_name_in_any_language(owner, owner_client):
    pain = owner.symptoms.get(key="pain")
    page = owner_client.get(reverse("diary:symptom_edit", args=[pain.pk]), HTTP_ACCEPT_LANGUAGE="de")
    assert 'value="Schmerz"' in page.content.decode()
    response = owner_client.post(
        reverse("diary:symptom_edit", args=[pain.pk]),
        {"name": "Schmerz", "direction": "lower", "is_active": "on"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 302
    assert TrackedSymptom.objects.get(pk=pain.pk).name == "Pain"  # unchanged: still the reference name
    owner_client.post(
        reverse("diary:symptom_edit", args=[pain.pk]),
        {"name": "Rückenschmerz", "direction": "lower", "is_active": "on"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert TrackedSymptom.objects.get(pk=pain.pk).name == "Rückenschmerz"  # the person's own name, as written

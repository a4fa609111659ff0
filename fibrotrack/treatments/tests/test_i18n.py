"""Issue 21: every word of the treatment pages is marked for translation, and Spanish and German are complete.

The pseudo-locale (⟦…⟧) finds a word nobody marked; the catalogue test finds a message nobody translated;
the spot checks read real Spanish and German, including the safety warning where naltrexone and an opioid clash.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from fibrotrack.lib.testing.i18n import PSEUDO, pseudo_locale, untranslated_text
from fibrotrack.treatments import catalogue, safety
from fibrotrack.treatments.actions import (
    DoseEntry,
    do_add_custom_treatment,
    do_change_dose,
    do_log_doses,
    do_log_side_effect,
)
from fibrotrack.treatments.models import SideEffect
from fibrotrack.treatments.tests.helpers import catalogue as catalogue_entry
from fibrotrack.treatments.tests.helpers import start

pytestmark = pytest.mark.django_db
IN_PSEUDO = {"HTTP_ACCEPT_LANGUAGE": PSEUDO}
AREA = ("templates/treatments/", "templates/reminders/", "fibrotrack/treatments/", "fibrotrack/reminders/")
# Citations stay as published (in English); the page marks them lang="en", so the pseudo-locale skips them.
NOTE, PRESCRIBER, OWN = "with food", "Dr Rivera", "Turmeric paste"


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request in Spanish leaves Spanish on for the thread (LocaleMiddleware activates, nothing resets):
    later tests that build texts outside a request expect the default."""
    yield
    translation.deactivate()


@pytest.fixture
def pseudo():
    with pseudo_locale():
        yield


def _page(client, url, **kwargs):
    response = client.get(url, **IN_PSEUDO, **kwargs)
    assert response.status_code == 200, url
    return response.content.decode()


def _ignore(user):
    # Brand names and abbreviations (Xanax, LDN) stay as sold; the catalogue marks only the common words.
    brands = [a for e in catalogue.ENTRIES for a in e.aliases if catalogue.alias_label(a) == a]
    return [user.display_name, NOTE, PRESCRIBER, OWN, *brands]


@pytest.fixture
def busy(owner, today):
    """A person with a bit of everything: a plan, a dose change, a stopped treatment, their own treatment,
    an as-needed one, a weekly one, side effects (one of them typed in), and naltrexone with an opioid."""
    ldn = start(owner, "naltrexone", on=today - dt.timedelta(days=20), plan="ldn_standard")
    magnesium = start(owner, "magnesium", on=today - dt.timedelta(days=40), amount="300", schedule="daily",
                      times=("08:00", "20:00"))  # fmt: skip
    do_change_dose(magnesium, effective_on=today - dt.timedelta(days=10), amount=Decimal(200), unit="mg",
                   reason="side_effects", note=NOTE)  # fmt: skip
    start(owner, "pregabalin", on=today - dt.timedelta(days=90), stop=today - dt.timedelta(days=50),
          stop_reason="side_effects")  # fmt: skip
    start(owner, "oxycodone", on=today - dt.timedelta(days=3), amount="5", schedule="as_needed")
    start(owner, "yoga", on=today - dt.timedelta(days=14), amount="30", unit="minutes", schedule="weekly",
          weekdays=(0, 3))  # fmt: skip
    start(owner, "vitamin_d", on=today + dt.timedelta(days=5), amount="1000", unit="IU", schedule="daily",
          times=("09:00",))  # fmt: skip
    own = do_add_custom_treatment(owner, name=OWN, category="supplement", unit="mg")
    do_log_doses(owner, today - dt.timedelta(days=1), [DoseEntry(magnesium, 0, "taken", Decimal(200), "mg")])
    do_log_doses(owner, today - dt.timedelta(days=2), [DoseEntry(magnesium, 1, "skipped")])
    do_log_side_effect(owner, name="Vivid dreams", severity="mild", onset_on=today - dt.timedelta(days=8),
                       is_ongoing=True, regimen=ldn)  # fmt: skip
    do_log_side_effect(owner, name="Nausea", severity="moderate", onset_on=today - dt.timedelta(days=15),
                       is_ongoing=False, ended_on=today - dt.timedelta(days=12))  # fmt: skip
    return {"ldn": ldn, "magnesium": magnesium, "own": own}


def test_the_treatment_pages_have_no_untranslated_word(owner, owner_client, busy, pseudo):
    ldn, magnesium = busy["ldn"], busy["magnesium"]
    ignore = _ignore(owner)
    pages = {
        "list": reverse("treatments:list"),
        "add": reverse("treatments:add"),
        "custom": reverse("treatments:custom_new"),
        "ldn": reverse("treatments:detail", args=[ldn.pk]),
        "magnesium": reverse("treatments:detail", args=[magnesium.pk]) + "?weeks=all",
        "dose": reverse("treatments:change_dose", args=[ldn.pk]),
        "stop": reverse("treatments:stop", args=[ldn.pk]),
        "edit": reverse("treatments:edit", args=[ldn.pk]),
        "effects": reverse("treatments:side_effects"),
        "effect": reverse("treatments:side_effect_edit", args=[SideEffect.objects.get(key="nausea").pk]),
    }
    for name, url in pages.items():
        page = _page(owner_client, url)
        assert untranslated_text(page, ignore=ignore) == [], name
    detail = _page(owner_client, pages["ldn"])
    assert "⟦Naltrexone (LDN)⟧" in detail and "⟦LDN standard⟧" in detail  # the catalogue's own words too
    listed = _page(owner_client, pages["list"])
    assert "⟦Naltrexone blocks opioid painkillers⟧" in listed  # the safety texts are translatable


def test_a_form_with_errors_and_a_safety_warning_has_no_untranslated_word(owner, owner_client, today, pseudo):
    start(owner, "tramadol", on=today - dt.timedelta(days=3), amount="50", schedule="as_needed")
    start(owner, "naltrexone", on=today - dt.timedelta(days=30), amount="1.5")
    ldn = catalogue_entry("naltrexone")
    data = {"treatment": ldn.pk, "unit": "mg", "schedule": "weekly", "started_on": today.isoformat(),
            "plan": "custom", "step-TOTAL_FORMS": "8", "step-INITIAL_FORMS": "0", "step-0-kind": "pause",
            "step-0-amount": "2", "step-0-days": "0", "times": "25:00"}  # fmt: skip
    response = owner_client.post(reverse("treatments:add"), data, **IN_PSEUDO)
    assert response.status_code == 400
    page = response.content.decode()
    assert "⟦Warning⟧" in page and "⟦Naltrexone blocks opioid painkillers⟧" in page
    assert "⟦You already have" in page  # the same treatment twice
    assert untranslated_text(page, ignore=_ignore(owner)) == []


def test_the_messages_after_each_action_are_translated(owner, owner_client, today, busy, pseudo):
    magnesium = busy["magnesium"]
    posts = [
        (reverse("treatments:change_dose", args=[magnesium.pk]),
         {"effective_on": today.isoformat(), "amount": "150", "unit": "mg", "reason": "prescriber"}),
        (reverse("treatments:edit", args=[magnesium.pk]), {"form": "tablet", "prescriber": PRESCRIBER, "note": ""}),
        (reverse("treatments:mark_all_taken"), {}),
        (reverse("treatments:side_effects"),
         {"name": "Headache", "severity": "mild", "onset_on": today.isoformat(), "is_ongoing": "yes"}),
        (reverse("treatments:stop", args=[magnesium.pk]),
         {"stopped_on": today.isoformat(), "reason": "cost", "note": ""}),
    ]  # fmt: skip
    for url, data in posts:
        response = owner_client.post(url, data, follow=True, **IN_PSEUDO)
        said = [str(m) for m in response.context["messages"]]
        assert said, url
        for message in said:
            assert untranslated_text(f"<body><p>{message}</p></body>", ignore=_ignore(owner)) == [], message


@pytest.mark.parametrize("language", ["es", "de"])
def test_every_message_of_the_treatments_and_reminders_is_translated(language):
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    with open(path, "rb") as po:
        messages = read_po(po, locale=language)
    mine = [m for m in messages if m.id and any(loc.startswith(AREA) for loc, _ in m.locations)]
    assert len(mine) > 450  # the area is really there
    missing = [m.id for m in mine if m.fuzzy or not all(m.string if m.pluralizable else [m.string])]
    assert missing == []
    plurals = [m for m in mine if m.pluralizable]
    assert plurals and all(len(m.string) == messages.num_plurals and all(m.string) for m in plurals)
    # Each catalogue name, category, unit, form and side effect, and each safety text, is among them.
    ids = {m.id for m in mine}
    assert {e.name for e in catalogue.ENTRIES} <= ids
    assert set(catalogue.SIDE_EFFECTS.values()) <= ids
    for rule in safety.RULES:
        assert {rule.title, rule.message} <= ids and {rule.question, rule.acknowledgement} - {""} <= ids


def test_the_list_reads_in_spanish_and_german(owner, owner_client, busy):
    url = reverse("treatments:list")
    page = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Tus tratamientos" in page and "Naltrexona (LDN)" in page and "Magnesio" in page
    assert "200 mg, a diario a las 08:00, 20:00" in page and "Efectos secundarios" in page
    page = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Deine Behandlungen" in page and "Naltrexon (LDN)" in page and "Yoga" in page
    assert "wöchentlich, montags und donnerstags" in page and "Oxycodon" in page


def test_the_safety_warning_is_translated_where_naltrexone_and_an_opioid_clash(owner, owner_client, busy):
    url = reverse("treatments:detail", args=[busy["ldn"].pk])
    page = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Aviso: La naltrexona bloquea los analgésicos opioides" in page
    assert "Naltrexona (LDN) y Oxicodona se contrarrestan." in page
    assert "Nunca tomes más opioide para superar el bloqueo: eso puede causar una sobredosis." in page
    page = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Warnung: Naltrexon blockiert Opioid-Schmerzmittel" in page
    assert "Naltrexon (LDN) und Oxycodon wirken gegeneinander." in page
    assert "opioidfreie Zeit von 7 bis 10 Tagen" in page
    # The sources stay as published, marked as English.
    assert '<ul lang="en">' in page and "US prescribing information" in page


def test_the_add_form_warns_in_german_before_saving(owner, owner_client, today):
    start(owner, "tramadol", on=today - dt.timedelta(days=3), amount="50", schedule="as_needed")
    data = {"treatment": catalogue_entry("naltrexone").pk, "unit": "mg", "schedule": "nightly", "amount": "1.5",
            "started_on": today.isoformat()}  # fmt: skip
    response = owner_client.post(reverse("treatments:add"), data, HTTP_ACCEPT_LANGUAGE="de")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Naltrexon (LDN) und Tramadol wirken gegeneinander." in page
    assert "Ich habe diese Warnung gelesen und spreche mit der verschreibenden Praxis." in page
    assert "Bitte lies die Sicherheitswarnung oben" in page


def test_the_check_in_question_and_its_warning_are_translated(owner, owner_client, today):
    start(owner, "naltrexone", on=today - dt.timedelta(days=3), plan="ldn_standard")
    page = owner_client.get(reverse("diary:today"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "¿Tomaste hoy algún opioide (también medicamentos para la tos o contra la diarrea)?" in page
    assert "Naltrexona (LDN) y los opioides se contrarrestan." in page
    assert "He leído este aviso y hablaré con quien me lo recetó." in page


def test_doses_read_with_the_local_decimal_mark_and_unit(owner, owner_client, today):
    regimen = start(owner, "naltrexone", on=today - dt.timedelta(days=30), plan="ldn_standard")
    url = reverse("treatments:detail", args=[regimen.pk])
    assert "4,5 mg" in owner_client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "4.5 mg" in owner_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    vitamin = start(owner, "vitamin_d", amount="1000", unit="IU", schedule="daily", times=("09:00",))
    page = owner_client.get(reverse("treatments:detail", args=[vitamin.pk]), HTTP_ACCEPT_LANGUAGE="es")
    assert "1000 UI" in page.content.decode()


def test_language_does_not_change_what_is_stored(owner, owner_client, today):
    """Keys and codes stay English: a side effect typed in German is the catalogue's, a unit is its code."""
    url = reverse("treatments:side_effects")
    data = {"name": "Kopfschmerzen", "severity": "mild", "onset_on": today.isoformat(), "is_ongoing": "yes"}
    assert owner_client.post(url, data, HTTP_ACCEPT_LANGUAGE="de").status_code == 302
    effect = SideEffect.objects.get(user=owner)
    assert (effect.key, effect.name) == ("headache", "Headache")
    with translation.override("de"):
        assert catalogue.side_effect_label(effect.name) == "Kopfschmerzen"
    data = {"treatment": catalogue_entry("vitamin_d").pk, "unit": "IU", "schedule": "nightly", "amount": "1000",
            "started_on": today.isoformat()}  # fmt: skip
    assert owner_client.post(reverse("treatments:add"), data, HTTP_ACCEPT_LANGUAGE="es").status_code == 302
    assert owner.regimens.get().unit == "IU" and owner.regimens.get().treatment.name == "Vitamin D"


def test_a_persons_own_treatment_keeps_its_name_in_every_language(owner):
    own = do_add_custom_treatment(owner, name="Massage", category="therapy", unit="minutes")
    with translation.override("es"):
        assert own.display_name == "Massage" and catalogue_entry("massage").display_name == "Masaje"


@pytest.mark.parametrize("language", ["es", "de"])
def test_each_translated_safety_text_keeps_its_treatment_names(language):
    """A translation that lost {first} or {second} would drop a medicine's name from a warning."""
    with translation.override(language):
        for rule in safety.RULES:
            finding = safety.Finding(rule, "FIRST", "SECOND")
            assert finding.message != rule.message and "FIRST" in finding.message, rule.key
            assert ("SECOND" in finding.message) == ("{second}" in rule.message), rule.key
            assert finding.title != rule.title and finding.disclaimer != safety.DISCLAIMER
            assert finding.question != rule.question or not rule.question
        urgent = safety.serious_side_effect_message(["X"])
        assert "X" in urgent and "emergency" not in urgent

"""Issue 21: every word of the daily check-in is marked for translation (pseudo-locale ⟦…⟧)."""

import datetime as dt

import pytest
from django.urls import reverse

from fibrotrack.diary.models import CheckIn
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.factories import make_checkin
from fibrotrack.lib.testing.i18n import PSEUDO, pseudo_locale, untranslated_text
from fibrotrack.treatments import safety
from fibrotrack.treatments.tests.helpers import start

pytestmark = pytest.mark.django_db
IN_PSEUDO = {"HTTP_ACCEPT_LANGUAGE": PSEUDO}


@pytest.fixture
def pseudo():
    with pseudo_locale():
        yield


def _page(client, url, **kwargs):
    response = client.get(url, **IN_PSEUDO, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


def test_the_helper_finds_a_word_nobody_marked(pseudo):
    assert untranslated_text("<body><p>⟦Pain⟧</p><p>Fatigue</p><b aria-label='Days'>1</b></body>") == [
        "Fatigue",
        "Days",
    ]
    assert untranslated_text("<body><p>⟦Note⟧ walked 10 minutes, 3 Mar</p></body>", ignore=["walked 10 minutes"]) == []


def test_a_new_persons_check_in_page_has_no_untranslated_word(owner, owner_client, pseudo):
    page = _page(owner_client, reverse("diary:today"))
    assert "⟦Pain⟧" in page and "⟦Where does it hurt?⟧" in page  # the pseudo-locale is on
    assert untranslated_text(page, ignore=[owner.display_name]) == []


def test_a_day_with_treatments_and_an_entry_has_no_untranslated_word(owner, owner_client, pseudo):
    today = diary_day(owner)
    start(owner, "naltrexone", on=today - dt.timedelta(days=20), plan="ldn_standard")
    start(owner, "magnesium", amount="300", schedule="daily", times=("08:00", "20:00"))
    make_checkin(owner, today, note="slept badly", pain=6)
    page = _page(owner_client, reverse("diary:today"))
    assert "⟦Treatments⟧" in page and "⟦Side effects today⟧" in page
    # The safety rule's own texts (title, message, question, acknowledgement) are translated too; only the
    # citations stay as published, marked lang="en". Brand names and abbreviations (LDN) stay as sold.
    question = safety.rule("opioid_while_on_naltrexone")
    assert f"⟦{question.question}⟧" in page and f"⟦{question.acknowledgement}⟧" in page
    assert f"⟦{question.title}⟧" in page
    ignore = ["slept badly", "LDN", owner.display_name]
    assert untranslated_text(page, ignore=ignore) == []


def test_the_saved_message_is_translated(owner, owner_client, pseudo):
    pain = owner.symptoms.get(key="pain").pk
    response = owner_client.post(reverse("diary:today"), {f"s_{pain}": "4"}, follow=True, **IN_PSEUDO)
    said = [str(m) for m in response.context["messages"]]
    assert said == ["⟦Saved ⟦today⟧. Well done for checking in.⟧"]
    assert CheckIn.objects.filter(user=owner).count() == 1
    assert untranslated_text(response.content.decode(), ignore=[owner.display_name]) == []


def test_the_conflict_page_has_no_untranslated_word(owner, owner_client, pseudo):
    day = diary_day(owner) - dt.timedelta(days=1)
    make_checkin(owner, day, pain=2, note="slept badly")
    url = reverse("diary:day", args=[day.isoformat()])
    loaded = _page(owner_client, url)
    version = loaded.split('name="version" value="')[1].split('"')[0]
    pain = owner.symptoms.get(key="pain").pk
    assert (
        owner_client.post(url, {f"s_{pain}": "9", "note": "slept badly", "version": version}, **IN_PSEUDO).status_code
        == 302
    )
    response = owner_client.post(url, {f"s_{pain}": "2", "note": "walked", "version": version}, **IN_PSEUDO)
    assert response.status_code == 409
    assert untranslated_text(response.content.decode(), ignore=["slept badly", "walked", owner.display_name]) == []

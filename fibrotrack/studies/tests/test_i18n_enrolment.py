"""Every word of the enrolment pages is marked for translation (pseudo-locale ⟦…⟧)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fibrotrack.lib.testing.i18n import PSEUDO, pseudo_locale, untranslated_text
from fibrotrack.studies import codes
from fibrotrack.studies.actions import consent
from fibrotrack.studies.tests.enrol_helpers import CONSENT_TEXT, join, make_code, open_study, user
from fibrotrack.studies.views.codes import join_link

pytestmark = pytest.mark.django_db
IN_PSEUDO = {"HTTP_ACCEPT_LANGUAGE": PSEUDO}
# The research team's own words and the published design's (stored data, shown as written).
CONSENT_WORDS = ["What taking part means", "You keep a", "daily diary", ". You may withdraw at any time."]


@pytest.fixture
def pseudo():
    with pseudo_locale():
        yield


def _page(client, url):
    response = client.get(url, **IN_PSEUDO)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_participants_pages_have_no_untranslated_word(client, pseudo):
    study, pi = open_study()
    code = make_code(study, pi)
    person = user(display_name="Ada")
    client.force_login(person)
    data = [study.title, "Ada", code, study.protocol["citation"], *CONSENT_WORDS]
    assert untranslated_text(_page(client, reverse("studies:join")), ignore=data) == []
    assert untranslated_text(_page(client, reverse("studies:join_code", args=[code])), ignore=data) == []
    participant = join(study, pi, person=person)
    data.append(participant.code)
    for name in ("studies:me_screen", "studies:me", "studies:me_consent", "studies:me_withdraw"):
        page = _page(client, reverse(name, args=[study.uuid]))
        # The screener's body map labels its figure's sides with one letter each ("R", "L").
        assert untranslated_text(page, ignore=[*data, "R", "L"]) == [], name
    assert CONSENT_TEXT


def test_the_staff_pages_have_no_untranslated_word(client, pseudo):
    study, pi = open_study()
    participant = join(study, pi)
    client.force_login(pi)
    proto = study.protocol
    data = [study.title, pi.display_name, study.short_code, proto["summary"], proto["citation"], *proto["notes"]]
    data += [
        participant.code,
        participant.user.display_name,
        participant.user.email,
        "pi@example.org",
        *CONSENT_WORDS,
        "4.5 mg naltrexone at night",
        "AB",
        "BA",
        "2, 4",
    ]
    made = [codes.code_for(row.nonce) for row in study.invite_codes.all()]
    data += [*made, *(join_link(c) for c in made), *study.protocol_versions.values_list("hash", flat=True)]
    pages = ("home", "participants", "consent", "staff", "codes", "protocol", "protocol_edit")
    for name in (f"studies:{page}" for page in pages):
        page = _page(client, reverse(name, args=[study.uuid]))
        assert untranslated_text(page, ignore=data) == [], name
    assert consent.current_consent(study) is not None

"""Issue 21: the article pages' own words are translated; the articles' medical texts stay English, and say so.

The Markdown bodies, titles, summaries, doses and citations are in English until an expert translates them:
they carry ``lang="en"`` (so screen readers read them as English, and the pseudo-locale check leaves them
out) and a translated notice says that the article is available in English only.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from fibrotrack.knowledge.comments import do_comment
from fibrotrack.knowledge.outcomes_actions import do_compute_outcomes
from fibrotrack.knowledge.tests.seed import TODAY, sharing_person
from fibrotrack.lib.testing.i18n import PSEUDO, pseudo_locale, untranslated_text
from fibrotrack.treatments import safety

from .conftest import client_for

pytestmark = pytest.mark.django_db
IN_PSEUDO = {"HTTP_ACCEPT_LANGUAGE": PSEUDO}
ENGLISH_ONLY = "This article is available in English only for now"


@pytest.fixture
def pseudo():
    with pseudo_locale():
        yield


def _page(client, url):
    response = client.get(url, **IN_PSEUDO)
    assert response.status_code == 200, url
    # A sentence with a link or emphasis inside is one translation around inline tags: read it as one text.
    return re.sub(r"</?(?:a|strong|em|time)\b[^>]*>", "", response.content.decode())


def test_the_article_list_and_search_have_no_untranslated_word(client, articles, pseudo):
    for url in (reverse("knowledge:list"), reverse("knowledge:list") + "?q=pain&grade=weak_for"):
        page = _page(client, url)
        assert "⟦Treatments: what the evidence says⟧" in page
        assert "⟦The articles are available in English only for now" in page
        assert untranslated_text(page) == [], url


def test_an_article_page_says_it_is_in_english_and_has_no_other_untranslated_word(member, articles, pseudo):
    reader = client_for(member)
    do_comment(member, articles["pregabalin"], "Helped me sleep.")
    page = _page(reader, reverse("knowledge:article", args=["pregabalin"]))
    assert f"⟦{ENGLISH_ONLY}" in page
    assert '<h1 id="article-title" lang="en">Pregabalin</h1>' in page
    assert '<div class="article-body" lang="en">' in page
    # The safety rules that involve pregabalin (a sedative) are shown translated, like every other word.
    flags = articles["pregabalin"].treatment.flags
    titles = [r.title for r in safety.RULES if r.trigger != safety.Trigger.QUESTION and set(r.flags) & flags]
    assert titles and all(f"⟦{title}⟧" in page for title in titles)
    found = untranslated_text(page, ignore=[member.public_name, "Helped me sleep."])
    assert found == []


def test_english_readers_see_no_english_only_notice(client, articles):
    page = client.get(reverse("knowledge:article", args=["pregabalin"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ENGLISH_ONLY not in page and 'lang="en">Pregabalin' not in page


def test_the_grading_and_newsletter_pages_have_no_untranslated_word(client, articles, pseudo):
    for url in (reverse("knowledge:how_we_grade"), reverse("knowledge:newsletter_archive")):
        assert untranslated_text(_page(client, url)) == [], url


def test_what_worked_for_others_pages_have_no_untranslated_word(owner_client, pseudo):
    for _ in range(12):
        sharing_person(before=6, after=3)
    do_compute_outcomes(TODAY)
    for url in (
        reverse("knowledge:outcomes"),
        reverse("knowledge:outcome_detail", args=["pregabalin"]),
        reverse("knowledge:outcomes_share"),
    ):
        page = _page(owner_client, url)
        assert "⟦" in page
        # Treatment names are the catalogue's international names.
        assert untranslated_text(page, ignore=["Pregabalin"]) == [], url


def test_an_article_page_in_spanish_and_german(client, articles):
    url = reverse("knowledge:article", args=["pregabalin"])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Por ahora este artículo solo está en inglés" in page and "Háblalo con tu médico" in page
    assert "EULAR 2017: débil a favor" in page
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Dieser Artikel ist vorerst nur auf Englisch verfügbar" in page and "Quellen" in page
    assert "EULAR 2017: schwach dafür" in page

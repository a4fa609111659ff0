"""Article search on every backend: PostgreSQL (with DATABASE_URL), SQLite FTS5 and the icontains fallback."""

import pytest
from django.db import connection

from fibrotrack.knowledge import search
from fibrotrack.knowledge.models import Article

pytestmark = pytest.mark.django_db

BACKENDS = ["fallback", "fts5"] if connection.vendor == "sqlite" else ["postgresql", "fallback"]


def keys(qs):
    return [a.key for a in qs]


def test_the_expected_backend_is_active():
    assert search.backend() == ("postgresql" if connection.vendor == "postgresql" else "fts5")


@pytest.mark.parametrize("using", BACKENDS)
def test_it_finds_words_in_titles_summaries_and_bodies(articles, using):
    assert keys(search.find_articles("tai chi", using=using)) == ["tai_chi"]
    assert keys(search.find_articles("nerve", using=using)) == ["pregabalin"]  # summary
    assert keys(search.find_articles("tramadol", using=using)) == ["naltrexone"]  # body
    assert keys(search.find_articles("no-such-word-anywhere", using=using)) == []


@pytest.mark.parametrize("using", BACKENDS)
def test_every_word_must_appear(articles, using):
    assert keys(search.find_articles("dizziness weight", using=using)) == ["pregabalin"]
    assert keys(search.find_articles("dizziness tramadol", using=using)) == []


@pytest.mark.parametrize("using", BACKENDS)
def test_search_syntax_in_the_query_is_just_text(articles, using):
    for query in ('"', "NEAR(pain)", "pain*", "title:pain", "-pain", "'; DROP TABLE x; --"):
        list(search.find_articles(query, using=using))  # no error


@pytest.mark.parametrize("using", [b for b in BACKENDS if b != "fallback"])
def test_stemming_and_title_first(articles, using):
    assert keys(search.find_articles("blocking", using=using)) == ["naltrexone"]
    Article.objects.create(
        key="sleep_hygiene_x",
        title="Sleep habits",
        summary="Regular times.",
        category="lifestyle",
        body="Nothing about pregabalin here except this word.",
        last_reviewed="2026-12-05",
    )
    found = keys(search.find_articles("pregabalin", using=using))
    assert found[0] == "pregabalin" and "sleep_hygiene_x" in found


@pytest.mark.parametrize("using", BACKENDS)
def test_an_edit_is_searchable_at_once_and_a_deleted_article_is_gone(articles, using):
    tai_chi = articles["tai_chi"]
    tai_chi.body += "\nQigong is similar."
    tai_chi.save()
    assert keys(search.find_articles("qigong", using=using)) == ["tai_chi"]
    tai_chi.delete()
    assert keys(search.find_articles("qigong", using=using)) == []


def test_filters_combine_with_search(articles):
    assert keys(search.find_articles("", categories=["medication"], grades=["weak_for"])) == ["pregabalin"]
    assert keys(search.find_articles("pain", symptoms=["stiffness"])) == ["tai_chi"]
    assert keys(search.find_articles("", symptoms=["cognition"])) == []

"""Full-text search on every backend, and only over what the person may read."""

import pytest
from django.db import connection
from django.urls import reverse

from fibrotrack.community import search
from fibrotrack.community.actions.moderation import do_hide_post, do_restore_post
from fibrotrack.community.actions.posts import do_delete_post, do_edit_post, do_reply
from fibrotrack.community.actions.threads import do_start_thread
from fibrotrack.community.models import Forum

from .conftest import client_for, join

pytestmark = pytest.mark.django_db

BACKENDS = ["fallback", "fts5"] if connection.vendor == "sqlite" else ["postgresql", "fallback"]


@pytest.fixture
def corpus(owner, friend, sleep_group, private_group):
    join(owner, sleep_group)
    join(friend, sleep_group)
    sleep = Forum.objects.get(slug="sleep")
    a = do_start_thread(owner, sleep, "Magnesium before bed", "I take magnesium glycinate at night.")
    b = do_reply(friend, a, "Sleeping better since I stopped coffee after noon.")
    secret = do_start_thread(owner, private_group.forum, "Private magnesium talk", "magnesium secrets")
    return {"thread": a, "reply": b, "secret": secret}


def test_the_expected_backend_is_active():
    expected = "postgresql" if connection.vendor == "postgresql" else "fts5"
    assert search.backend() == expected


@pytest.mark.parametrize("using", BACKENDS)
def test_search_finds_words_in_posts_and_titles(corpus, stranger, using):
    found = list(search.search_posts(stranger, "magnesium", using=using))
    assert [p.pk for p in found] == [corpus["thread"].posts.get(position=0).pk]
    assert [p.pk for p in search.search_posts(stranger, "coffee noon", using=using)] == [corpus["reply"].pk]
    assert list(search.search_posts(stranger, "bed", using=using))  # title word
    assert not list(search.search_posts(stranger, "nothing-like-this", using=using))


@pytest.mark.parametrize("using", BACKENDS)
def test_private_hidden_and_deleted_posts_are_never_found(corpus, owner, friend, stranger, moderator, using):
    assert all(p.thread_id != corpus["secret"].pk for p in search.search_posts(stranger, "magnesium", using=using))
    assert any(p.thread_id == corpus["secret"].pk for p in search.search_posts(owner, "magnesium", using=using))
    do_hide_post(moderator, corpus["reply"], "x")
    assert not list(search.search_posts(stranger, "coffee", using=using))
    do_restore_post(moderator, corpus["reply"])
    do_delete_post(friend, corpus["reply"])
    assert not list(search.search_posts(stranger, "coffee", using=using))


@pytest.mark.parametrize("using", BACKENDS)
def test_edits_and_title_changes_are_searchable_at_once(corpus, owner, stranger, using):
    post = corpus["thread"].posts.get(position=0)
    do_edit_post(owner, post, "Now about melatonin", title="Melatonin question")
    assert [p.pk for p in search.search_posts(stranger, "melatonin", using=using)] == [post.pk]
    assert not list(search.search_posts(stranger, "glycinate", using=using))


@pytest.mark.parametrize("query", ['"', "NEAR(", "a*", "OR", "title:x", "-", "'; DROP TABLE community_post; --"])
def test_search_syntax_in_the_query_is_just_text(corpus, stranger, query):
    list(search.search_posts(stranger, query))


def test_the_search_page(corpus, stranger):
    html = client_for(stranger).get(reverse("community:search") + "?q=magnesium").content.decode()
    assert "1 result for “magnesium”" in html and "Magnesium before bed" in html


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_deleting_a_post_removes_its_words_from_the_fts_index(corpus, friend):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM community_post_fts WHERE community_post_fts MATCH 'coffee'")
        assert cursor.fetchone()[0] == 1
        friend.delete()
        cursor.execute("SELECT count(*) FROM community_post_fts WHERE community_post_fts MATCH 'coffee'")
        assert cursor.fetchone()[0] == 0

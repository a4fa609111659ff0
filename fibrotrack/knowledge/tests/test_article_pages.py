"""The list, the article page and its comments: anonymous readers, members, other members, moderators."""

import pytest
from django.urls import reverse

from fibrotrack.community.actions.moderation import do_hide_post
from fibrotrack.community.models import Post, Report
from fibrotrack.knowledge.comments import FORUM_SLUG, do_comment, thread_for
from fibrotrack.knowledge.models import Article

from .conftest import client_for

pytestmark = pytest.mark.django_db

LIST = reverse("knowledge:list")


def url(key):
    return reverse("knowledge:article", args=[key])


def test_anyone_can_read_an_article(client, articles):
    response = client.get(url("pregabalin"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 id="article-title">Pregabalin</h1>' in page
    assert "EULAR 2017: weak for" in page
    assert reverse("knowledge:how_we_grade") in page
    assert 'href="https://doi.org/10.1136/annrheumdis-2016-209724"' in page
    assert "Last reviewed: 5 December 2026" in page
    assert "Discuss with your doctor" in page
    assert "Studied for:</strong> Pain, Sleep" in page
    # This sample names no trial template: no generic design is offered in its place.
    assert reverse("trials:new") not in page and "does not offer a self-run trial" in page


def test_an_unknown_article_is_404(client, articles):
    assert client.get(url("no_such_thing")).status_code == 404


def test_naltrexone_shows_the_opioid_warning_and_its_trial_template(client, articles):
    page = client.get(url("naltrexone")).content.decode()
    assert "Naltrexone blocks opioid painkillers" in page
    assert "?template=ldn_pilot&amp;treatment=naltrexone" in page
    assert "Naltrexone blocks opioid painkillers" not in client.get(url("tai_chi")).content.decode()


def test_the_trial_link_prefills_the_treatment(articles, member):
    from fibrotrack.diary.models import TrackedSymptom

    assert TrackedSymptom.objects.filter(user=member).exists()  # the factory's default symptoms
    response = client_for(member).get(reverse("trials:new") + "?template=crossover&treatment=pregabalin")
    assert response.context["form"].initial["treatment_name"] == "Pregabalin"


def test_anonymous_readers_do_not_see_comments_and_cannot_post(client, articles, member):
    do_comment(member, articles["tai_chi"], "My secret health story about tai chi.")
    page = client.get(url("tai_chi")).content.decode()
    assert "secret health story" not in page
    assert "Sign in to read and comment" in page
    response = client.post(reverse("knowledge:comment", args=["tai_chi"]), {"body": "Hello"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert Post.objects.filter(body="Hello").count() == 0


def test_a_member_comments_and_the_thread_is_made_once(articles, member, other_member):
    tai_chi = articles["tai_chi"]
    response = client_for(member).post(reverse("knowledge:comment", args=["tai_chi"]), {"body": "Helps my stiffness."})
    assert response.status_code == 302
    tai_chi.refresh_from_db()
    assert tai_chi.thread is not None and tai_chi.thread.forum.slug == FORUM_SLUG
    client_for(other_member).post(reverse("knowledge:comment", args=["tai_chi"]), {"body": "Not for me."})
    assert Article.objects.get(pk=tai_chi.pk).thread_id == tai_chi.thread_id
    page = client_for(other_member).get(url("tai_chi")).content.decode()
    assert "Helps my stiffness." in page and "Not for me." in page
    assert page.count("Report<span") == 1  # the other member's comment, not their own


def test_an_empty_comment_is_refused_with_a_message(articles, member):
    response = client_for(member).post(reverse("knowledge:comment", args=["tai_chi"]), {"body": "  "})
    assert response.status_code == 400
    assert "Your comment is empty" in response.content.decode()


def test_a_hidden_comment_is_gone_for_others_but_moderators_see_it(articles, member, other_member, moderator):
    post = do_comment(member, articles["pregabalin"], "Buy my miracle powder")
    do_hide_post(moderator, post, "Selling")
    assert "miracle powder" not in client_for(other_member).get(url("pregabalin")).content.decode()
    mod_page = client_for(moderator).get(url("pregabalin")).content.decode()
    assert "miracle powder" in mod_page and reverse("community:post", args=[post.pk]) in mod_page


def test_reporting_a_comment_uses_the_community_report(articles, member, other_member):
    post = do_comment(member, articles["pregabalin"], "Stop your medicines, trust me.")
    response = client_for(other_member).post(
        reverse("community:post_report", args=[post.pk]), {"reason": "misinformation", "details": "dangerous"}
    )
    assert response.status_code == 302
    assert Report.objects.get(post=post).reporter == other_member


def test_a_crisis_comment_shows_the_help_banner(articles, member, other_member):
    do_comment(member, articles["pregabalin"], "Some days I want to kill myself.")
    page = client_for(other_member).get(url("pregabalin")).content.decode()
    assert 'class="crisis"' in page


def _bulk_comments(article, author, count):
    thread = thread_for(article)
    Post.objects.bulk_create(
        Post(thread=thread, author=author, position=1000 + i, body=f"More {i}", html=f"<p>More {i}</p>")
        for i in range(count)
    )


def test_the_article_page_needs_few_queries(articles, member, other_member, django_assert_max_num_queries):
    do_comment(member, articles["pregabalin"], "Comment")
    do_comment(other_member, articles["pregabalin"], "Comment")
    client = client_for(other_member)
    client.get(url("pregabalin"))
    with django_assert_max_num_queries(14) as small:
        client.get(url("pregabalin"))
    _bulk_comments(articles["pregabalin"], member, 30)
    with django_assert_max_num_queries(len(small)):
        client.get(url("pregabalin"))


def test_the_list_shows_all_and_needs_the_same_queries_for_many_articles(client, articles, django_assert_num_queries):
    with django_assert_num_queries(2):  # the count and the page
        page = client.get(LIST).content.decode()
    assert all(a.title in page for a in articles.values())
    for i in range(40):
        Article.objects.create(
            key=f"extra_{i}",
            title=f"Extra {i}",
            summary="s",
            category="diet",
            symptoms=["pain"],
            body="b",
            last_reviewed="2026-12-05",
        )
    client.get(LIST + "?q=warm")  # SQLite: the first search looks up whether the FTS5 table exists, once
    with django_assert_num_queries(2):
        response = client.get(LIST + "?category=diet&grade=not_assessed&symptom=pain&q=extra")
    assert len(response.context["articles"]) == 30 and response.context["page"].paginator.count == 40


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=exercise", {"tai_chi"}),
        ("grade=weak_for", {"pregabalin", "tai_chi"}),
        ("symptom=stiffness", {"tai_chi"}),
        ("symptom=fatigue&symptom=stiffness", {"naltrexone", "tai_chi"}),
        ("category=medication&grade=weak_for", {"pregabalin"}),
        ("q=naltrexone", {"naltrexone"}),
        ("q=blocking", {"naltrexone"}),  # stemmed: "blocks"
        ("q=dizziness&category=exercise", set()),
        ("grade=nonsense", {"naltrexone", "pregabalin", "tai_chi"}),
    ],
)
def test_filters_and_search_work_as_plain_links(client, articles, query, expected):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert {a.key for a in response.context["articles"]} == expected


def test_how_we_grade_explains_every_grade(client):
    page = client.get(reverse("knowledge:how_we_grade")).content.decode()
    for label in ("strong for", "weak for", "weak against", "strong against", "not assessed"):
        assert f"EULAR 2017: {label}" in page


def test_a_long_discussion_shows_the_latest_comments_and_links_to_all(articles, member):
    _bulk_comments(articles["pregabalin"], member, 60)
    from fibrotrack.community.models import Thread

    Thread.objects.filter(pk=Article.objects.get(key="pregabalin").thread_id).update(post_count=61)
    response = client_for(member).get(url("pregabalin"))
    page = response.content.decode()
    assert len(response.context["comments"]) == 50
    assert "More 59" in page and "More 9<" not in page
    assert "Read all 60 comments in the community" in page


def test_a_banned_member_reads_but_cannot_comment(articles, member, moderator):
    from fibrotrack.community.models import Ban

    Ban.objects.create(user=member, moderator=moderator, reason="Spam")
    client = client_for(member)
    page = client.get(url("tai_chi")).content.decode()
    assert "You are banned from posting in the community" in page and "Post comment" not in page
    response = client.post(reverse("knowledge:comment", args=["tai_chi"]), {"body": "Hello again"})
    assert response.status_code == 403
    assert not Post.objects.filter(body="Hello again").exists()

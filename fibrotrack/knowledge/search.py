"""Finding articles: filters (category, grade, symptom) and full-text search.

The same three paths as the community's search (``community/search.py``):
PostgreSQL's ``search_vector`` (kept by a trigger, migration 0002, GIN
index) with ``websearch_to_tsquery`` and ``ts_rank``; SQLite's FTS5 table
``knowledge_article_fts`` (kept by triggers); and, on an SQLite without FTS5,
every word must appear (``icontains``). Articles are public reference text,
so there is no per-person scoping here.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from fibrotrack.community.search import words
from fibrotrack.knowledge.models import Article
from fibrotrack.lib import fulltext

FTS_TABLE = "knowledge_article_fts"


def backend() -> str:
    """ "postgresql", "fts5" or "fallback": which path the article search takes here."""
    return fulltext.backend(FTS_TABLE)


def _any_of(field: str, values: Sequence[str]) -> Q:
    # symptoms is a JSON list of fixed keys; none is a substring of another, and the quotes make it exact.
    query = Q()
    for value in values:
        query |= Q(**{f"{field}__icontains": f'"{value}"'})
    return query


def find_articles(
    query: str = "",
    *,
    categories: Sequence[str] = (),
    grades: Sequence[str] = (),
    symptoms: Sequence[str] = (),
    using: str | None = None,
) -> QuerySet[Article]:
    """Articles matching every filter given (any of the values within one filter), best match first."""
    qs = Article.objects.select_related("treatment").defer("body", "html", "search_vector")
    if categories:
        qs = qs.filter(category__in=categories)
    if grades:
        qs = qs.filter(grade__in=grades)
    if symptoms:
        qs = qs.filter(_any_of("symptoms", symptoms))
    terms = words(query)
    if not terms:
        return qs.order_by("title")
    kind = using or backend()
    if kind == "postgresql":
        search = SearchQuery(" ".join(terms), config="english", search_type="websearch")
        return (
            qs.filter(search_vector=search)
            .annotate(rank=SearchRank(F("search_vector"), search))
            .order_by("-rank", "title")
        )
    if kind == "fts5":
        match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
        # bm25 weights: a word in the title counts most, then the summary, then the body.
        fts = RawSQL(  # noqa: S611  (constant table name, bound query)
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            [match],
        )
        rank = RawSQL(  # noqa: S611
            f"SELECT bm25({FTS_TABLE}, 10.0, 4.0, 1.0) FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s AND rowid = knowledge_article.id",
            [match],
        )
        return qs.filter(pk__in=fts).annotate(rank=rank).order_by("rank", "title")
    for term in terms:
        qs = qs.filter(Q(title__icontains=term) | Q(summary__icontains=term) | Q(body__icontains=term))
    return qs.order_by("title")

"""Full-text search over posts and thread titles.

* PostgreSQL: a ``tsvector`` column kept up to date by a trigger (migration
  0002), a GIN index, ``websearch_to_tsquery`` and ``ts_rank``.
* SQLite with FTS5: a virtual table kept up to date by triggers, queried with
  ``MATCH`` (every word must appear, stemmed), newest first.
* SQLite without FTS5: every word must appear in the post or the thread title
  (``icontains``), newest first. Slow on a big forum, but correct.

Every path returns only posts the person may read: visible forums, no hidden
or deleted posts, no hidden threads, nobody they blocked.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from fibrotrack.community.access.permissions import UserPermissions, permissions_for
from fibrotrack.community.models import Post
from fibrotrack.lib import fulltext

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User

FTS_TABLE = "community_post_fts"
MAX_QUERY_CHARS = 200
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)


def words(query: str) -> list[str]:
    return [w for w in _WORD.findall(query[:MAX_QUERY_CHARS]) if w.strip("'’-")][:12]


def backend() -> str:
    """ "postgresql", "fts5" or "fallback": which path ``search_posts`` takes here."""
    return fulltext.backend(FTS_TABLE)


def _fts5_query(terms: list[str]) -> str:
    # Each word becomes a quoted phrase, so FTS5 syntax in the input (NEAR, *, :) is just text.
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _visible(permissions: UserPermissions) -> QuerySet[Post]:
    qs = Post.objects.filter(
        thread__forum_id__in=permissions.visible_forum_ids,
        thread__is_hidden=False,
        is_hidden=False,
        is_deleted=False,
    )
    blocked = permissions.blocked_ids
    if blocked:
        qs = qs.exclude(author_id__in=blocked)
    return qs


def search_posts(
    user: User,
    query: str,
    *,
    forum_id: int | None = None,
    using: str | None = None,
    permissions: UserPermissions | None = None,
) -> QuerySet[Post]:
    """Posts ``user`` may read that match ``query``; pass the request's ``permissions`` from a view."""
    terms = words(query)
    if not terms:
        return Post.objects.none()
    qs = _visible(permissions_for(user, permissions))
    if forum_id is not None:
        qs = qs.filter(thread__forum_id=forum_id)
    kind = using or backend()
    if kind == "postgresql":
        search = SearchQuery(" ".join(terms), config="english", search_type="websearch")
        qs = (
            qs.filter(search_vector=search)
            .annotate(rank=SearchRank(F("search_vector"), search))
            .order_by("-rank", "-created_at")
        )
    elif kind == "fts5":
        match = _fts5_query(terms)
        # The table name is a constant and the query a bound parameter.
        fts = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])  # noqa: S608, S611
        qs = qs.filter(pk__in=fts).order_by("-created_at")
    else:
        for term in terms:
            qs = qs.filter(Q(body__icontains=term) | Q(position=0, thread__title__icontains=term))
        qs = qs.order_by("-created_at")
    return qs.select_related("thread", "thread__forum", "author")

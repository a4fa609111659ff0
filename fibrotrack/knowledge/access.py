"""Articles are public reference text: anyone may read one. Comments go through the community's permissions."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from fibrotrack.knowledge.models import Article


def get_article(key: str) -> Article:
    return get_object_or_404(
        Article.objects.select_related("treatment", "thread", "thread__forum", "thread__forum__group").defer(
            "search_vector"
        ),
        key=key,
    )

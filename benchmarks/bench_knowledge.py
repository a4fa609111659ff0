"""Knowledge benchmarks: the article page and article search, with 100,000 comments in the database.

``run()`` returns ``[(name, measured, unit, target), ...]``; the work happens in
a child process on a throwaway database (SQLite always, PostgreSQL when one
answers), as in ``bench_community.py``. One article per catalogue entry (62)
is written to a scratch folder and loaded through the real loader; then
100,000 comments are spread over the articles' threads in bulk, most on one
article. Targets: an article page ≤ 100 ms, article search ≤ 200 ms.

Run directly: ``python benchmarks/bench_knowledge.py`` (BENCH_KNOWLEDGE_COMMENTS
seeds fewer comments for a quick look).
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.child import run_vendors
from benchmarks.measure import median_ms, query_count

ROOT = Path(__file__).resolve().parent.parent
COMMENTS = int(os.environ.get("BENCH_KNOWLEDGE_COMMENTS", "100000"))
SAMPLE = ROOT / "fibrotrack" / "knowledge" / "tests" / "articles" / "pregabalin.md"
WORDS = [
    "pain",
    "sleep",
    "fatigue",
    "fog",
    "dose",
    "doctor",
    "nausea",
    "dizziness",
    "walking",
    "water",
    "gentle",
    "trial",
    "placebo",
    "study",
    "small",
    "evidence",
    "weeks",
    "months",
    "morning",
    "night",
    "tired",
    "better",
    "worse",
    "stiffness",
    "mood",
    "muscle",
    "nerve",
    "tablet",
    "class",
    "exercise",
    "stretch",
]


def _write_articles(folder: Path, rng: random.Random) -> None:
    """One file per catalogue entry, in the real format, with body text of realistic length."""
    from fibrotrack.treatments.catalogue import ENTRIES

    template = SAMPLE.read_text()
    categories = {"medication": "medication", "supplement": "supplement", "therapy": "therapy"}
    for entry in ENTRIES:
        filler = "\n\n".join(" ".join(rng.choices(WORDS, k=80)).capitalize() + "." for _ in range(6))
        text = (
            template.replace("key: pregabalin", f"key: {entry.key}")
            .replace("title: Pregabalin", f"title: {entry.name}")
            .replace("category: medication", f"category: {categories.get(entry.category, 'exercise')}")
            .replace("## What it is\n", f"## What it is\n{filler}\n\n")
        )
        (folder / f"{entry.key}.md").write_text(text)


def _seed(folder: Path) -> dict[str, str]:
    from django.db import transaction
    from django.utils import timezone

    from fibrotrack.community.models import Post, Thread
    from fibrotrack.knowledge.articles import article_files, load_files
    from fibrotrack.knowledge.comments import thread_for
    from fibrotrack.knowledge.models import Article
    from fibrotrack.lib.testing.factories import UserFactory

    rng = random.Random(11)
    _write_articles(folder, rng)
    load_files(article_files(folder))
    authors = [UserFactory(email=f"bench{i}@example.org", display_name=f"Bench{i}") for i in range(40)]
    articles = list(Article.objects.order_by("key"))
    threads = [thread_for(a) for a in articles]
    busy = next(t for a, t in zip(articles, threads, strict=True) if a.key == "naltrexone")
    now = timezone.now()
    position = {t.pk: 1 for t in threads}
    batch: list[Post] = []
    with transaction.atomic():
        for i in range(COMMENTS):
            # Half the comments on one article (the page measured), the rest spread over all.
            thread = busy if i % 2 == 0 else threads[rng.randrange(len(threads))]
            body = " ".join(rng.choices(WORDS, k=rng.randint(10, 40))).capitalize() + "."
            batch.append(
                Post(
                    thread=thread,
                    author=authors[i % 40],
                    position=position[thread.pk],
                    body=body,
                    html=f"<p>{body}</p>",
                    created_at=now,
                )
            )
            position[thread.pk] += 1
            if len(batch) == 5000:
                Post.objects.bulk_create(batch)
                batch = []
        Post.objects.bulk_create(batch)
        for thread in threads:
            Thread.objects.filter(pk=thread.pk).update(post_count=position[thread.pk])
    return {"reader": str(authors[0].pk), "busy": "naltrexone", "quiet": articles[0].key}


def _measure() -> list[tuple[str, float, str, float]]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from fibrotrack.accounts.models import User
    from fibrotrack.lib.reference import load_all

    call_command("migrate", verbosity=0)
    load_all()
    started = time.perf_counter()
    ids = _seed(Path(tempfile.mkdtemp(prefix="knowledge-bench-")))
    print(f"  seeded 62 articles and {COMMENTS:,} comments in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    # On a real server autovacuum analyzes after a bulk load like this one; without statistics PostgreSQL
    # guesses 40 comments on the busy article and sorts all 50,000 instead of reading the index backwards.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    member = Client(HTTP_HOST="localhost")
    member.force_login(User.objects.get(pk=int(ids["reader"])))
    anonymous = Client(HTTP_HOST="localhost")
    busy = reverse("knowledge:article", args=[ids["busy"]])
    quiet = reverse("knowledge:article", args=[ids["quiet"]])
    label = "postgresql" if connection.vendor == "postgresql" else "sqlite fts5"
    results: list[tuple[str, float, str, float]] = [
        (f"article page, member, {COMMENTS // 2:,} comments on it", median_ms(member, busy), "ms", 100.0),
        ("article page, anonymous reader", median_ms(anonymous, busy), "ms", 100.0),
        (
            "article page queries: busy minus quiet article",
            float(query_count(member, busy) - query_count(member, quiet)),
            "queries",
            0.0,
        ),
    ]
    search = reverse("knowledge:list")
    for query in ("tai chi", "naltrexone dose", "sleep", "category=medication&q=nerve pain"):
        url = f"{search}?{query.replace(' ', '+')}" if "=" in query else f"{search}?q={query.replace(' ', '+')}"
        ms = median_ms(anonymous, url)
        results.append((f"article search, 62 articles + {COMMENTS:,} comments, “{query}” ({label})", ms, "ms", 200.0))
    results.append(("article list, no search", median_ms(anonymous, search), "ms", 200.0))
    return results


def run() -> list[tuple[str, float, str, float]]:
    """On SQLite and, when a server answers, on PostgreSQL, each in a child process on a throwaway database."""
    return run_vendors(__file__, "bench_knowledge", targets_on=None)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if "--child" in sys.argv:
        print(json.dumps(_measure()))
    else:
        run()

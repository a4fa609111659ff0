"""Community benchmarks: thread page, forum index and search, at the sizes in the issue.

``run()`` returns ``[(name, measured, unit, target), ...]``. The work happens in
a child process with its own throwaway database, so it never touches the
database of whoever calls it. Both databases are measured in the same run:

* SQLite, always: a new file in a temporary directory, migrated from scratch.
* PostgreSQL, when ``DATABASE_URL`` names a server or one answers on
  127.0.0.1:5432: a ``bench_fibrotrack`` database on that server, dropped and
  created afresh. The search target (100,000 posts, ≤ 200 ms) is PostgreSQL's.

Timings are the median of ≥ 20 requests through ``django.test.Client`` (the
whole Django stack in-process: middleware, views, templates; no network).
Query counts are compared between a small and a large case: they must match.

Run directly: ``python benchmarks/bench_community.py`` (set BENCH_SEARCH_POSTS
to seed fewer posts for a quick look).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

from benchmarks.child import run_vendors
from benchmarks.measure import median_ms, query_count

ROOT = Path(__file__).resolve().parent.parent
THREAD_POSTS = 1_000
FORUM_THREADS = 10_000
SEARCH_POSTS = int(os.environ.get("BENCH_SEARCH_POSTS", "100000"))

WORDS = (
    "pain",
    "fatigue",
    "sleep",
    "fog",
    "flare",
    "pacing",
    "walk",
    "swim",
    "stretch",
    "tea",
    "doctor",
    "appointment",
    "rheumatologist",
    "magnesium",
    "melatonin",
    "naltrexone",
    "duloxetine",
    "pregabalin",
    "amitriptyline",
    "dose",
    "titration",
    "side",
    "effects",
    "nausea",
    "dreams",
    "morning",
    "evening",
    "night",
    "weather",
    "cold",
    "warm",
    "bath",
    "heat",
    "pad",
    "massage",
    "yoga",
    "tai",
    "chi",
    "anxiety",
    "mood",
    "low",
    "tired",
    "exhausted",
    "better",
    "worse",
    "week",
    "month",
    "today",
    "yesterday",
    "work",
    "family",
    "partner",
    "children",
    "garden",
    "dog",
    "cat",
    "rest",
    "nap",
    "bed",
    "pillow",
    "mattress",
    "shoulder",
    "neck",
    "back",
    "hip",
    "knee",
    "hands",
    "feet",
)


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Real words among 3,000 made-up ones, with Zipf-like frequencies, as in real text."""
    syllables = ["ka", "lo", "mi", "ren", "tus", "va", "pel", "dor", "si", "gan", "fu", "zet", "bro", "nim"]
    made_up = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(4000)}
    vocabulary = sorted(made_up - set(WORDS))[:3000]
    for word in WORDS:
        vocabulary.insert(rng.randrange(10, 400), word)
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    return vocabulary, weights


def _sentence(rng: random.Random, vocabulary: tuple[list[str], list[float]]) -> str:
    words, weights = vocabulary
    return " ".join(rng.choices(words, weights, k=rng.randint(15, 40))).capitalize() + "."


def _seed() -> dict[str, int]:
    from django.db import transaction
    from django.utils import timezone

    from fibrotrack.community import markup
    from fibrotrack.community.models import Forum, Membership, Post, SupportGroup, Thread
    from fibrotrack.lib.testing.factories import UserFactory

    rng = random.Random(7)
    vocabulary = _vocabulary(rng)
    now = timezone.now()
    authors = [UserFactory(email=f"bench{i}@example.org", display_name=f"Bench{i}") for i in range(40)]
    reader = authors[0]
    group = SupportGroup.objects.get(slug="sleep")
    Membership.objects.bulk_create([Membership(group=group, user=a) for a in authors])
    forum = Forum.objects.get(slug="sleep")
    small_forum = Forum.objects.get(slug="off-topic")

    def post(thread: Thread, position: int, when, author) -> Post:
        body = _sentence(rng, vocabulary)
        return Post(
            thread=thread, author=author, position=position, body=body, html=markup.render(body).html, created_at=when
        )

    with transaction.atomic():
        # One thread of 1,000 posts, one of a single post, and 10,000 threads in one forum.
        big = Thread.objects.create(forum=forum, author=reader, title="The long thread", post_count=THREAD_POSTS)
        small = Thread.objects.create(
            forum=forum,
            author=reader,
            title="The short thread",
            post_count=1,
            last_post_at=now - dt.timedelta(days=999),
        )
        Thread.objects.create(forum=small_forum, author=reader, title="The only thread here", post_count=0)
        Membership.objects.create(group=small_forum.group, user=reader)
        Post.objects.bulk_create([post(small, 0, now, reader)])
        Post.objects.bulk_create(
            [post(big, i, now - dt.timedelta(minutes=THREAD_POSTS - i), authors[i % 40]) for i in range(THREAD_POSTS)],
            batch_size=1000,
        )
        threads = [
            Thread(
                forum=forum,
                author=authors[i % 40],
                title=" ".join(rng.choice(WORDS) for _ in range(6)).capitalize(),
                created_at=now - dt.timedelta(minutes=i),
                last_post_at=now - dt.timedelta(minutes=i),
                last_poster=authors[(i + 1) % 40],
                post_count=1,
            )
            for i in range(FORUM_THREADS - 1)
        ]
        Thread.objects.bulk_create(threads, batch_size=2000)
        threads = list(Thread.objects.filter(forum=forum).exclude(pk__in=[big.pk, small.pk]).order_by("pk"))
        Post.objects.bulk_create([post(t, 0, t.created_at, t.author) for t in threads], batch_size=2000)
    # Replies until the whole site holds SEARCH_POSTS posts.
    total = Post.objects.count()
    position = {t.pk: 1 for t in threads}
    batch: list[Post] = []
    while total < SEARCH_POSTS:
        thread = threads[rng.randrange(len(threads))]
        batch.append(post(thread, position[thread.pk], now, authors[rng.randrange(40)]))
        position[thread.pk] += 1
        total += 1
        if len(batch) == 5000:
            Post.objects.bulk_create(batch)
            batch = []
    if batch:
        Post.objects.bulk_create(batch)
    return {"reader": reader.pk, "big": big.pk, "small": small.pk}


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
    ids = _seed()
    seeded = time.perf_counter() - started
    vendor = connection.vendor
    print(f"  seeded {SEARCH_POSTS:,} posts on {vendor} in {seeded:.0f} s", file=sys.stderr)

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(pk=ids["reader"]))
    big = reverse("community:thread", args=[ids["big"]])
    small = reverse("community:thread", args=[ids["small"]])
    forum = reverse("community:forum", args=["sleep"])
    small_forum = reverse("community:forum", args=["off-topic"])
    results: list[tuple[str, float, str, float]] = [
        ("community thread page, 1,000 posts (first page)", median_ms(client, big), "ms", 100.0),
        ("community thread page, 1,000 posts (last page)", median_ms(client, big + "?page=50"), "ms", 100.0),
        ("community forum index, 10,000 threads", median_ms(client, forum), "ms", 100.0),
        ("community forum index, 10,000 threads (page 300)", median_ms(client, forum + "?page=300"), "ms", 100.0),
    ]
    q_small, q_big = query_count(client, small), query_count(client, big)
    f_small, f_big = query_count(client, small_forum), query_count(client, forum)
    results.append(("thread page queries: 1,000 posts minus 1 post", float(q_big - q_small), "queries", 0.0))
    results.append(("forum index queries: 10,000 threads minus 1 thread", float(f_big - f_small), "queries", 0.0))
    search = reverse("community:search")
    label = "postgresql" if vendor == "postgresql" else "sqlite fts5"
    for query in ("magnesium", "naltrexone dose", "tai chi"):
        ms = median_ms(client, f"{search}?q={query.replace(' ', '+')}")
        results.append((f"community search over {SEARCH_POSTS:,} posts, “{query}” ({label})", ms, "ms", 200.0))
    return results


def run() -> list[tuple[str, float, str, float]]:
    """On SQLite and, when a server answers, on PostgreSQL, each in a child process on a throwaway database."""
    return run_vendors(__file__, "bench_fibrotrack", targets_on=None)


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(_measure()))
    else:
        sys.path.insert(0, str(ROOT))
        run()

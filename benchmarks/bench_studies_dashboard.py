"""A study's monitoring dashboard with 1,000 participants: server time and a constant number of queries.

In a child process with its own throwaway database: a running crossover with
1,000 randomised participants, 120 days of diary each (about 90% of days
filled in), 200 adverse events (20 serious), and 50 withdrawals. Measured: the
monitor's GET of the dashboard page (median of 7, after one warm-up), through
Django's test client, so the whole request is counted (middleware, queries,
template). Target ≤ 300 ms on PostgreSQL. The number of queries is measured
for 10 and for 1,000 participants and must be the same.

Run directly: ``python benchmarks/run.py studies_dashboard``.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.child import Row, child_main, run_vendors  # noqa: E402

PARTICIPANTS = int(os.environ.get("BENCH_STUDY_PARTICIPANTS", "1000"))
DAYS = 120


def _seed(n: int, code_prefix: str, study: object, today: dt.date) -> None:
    from django.utils import timezone

    from fibrotrack.accounts.models import User
    from fibrotrack.diary.models import CheckIn
    from fibrotrack.studies.models import AdverseEvent, ConsentSignature, Participant

    rng = random.Random(7)  # noqa: S311  (a benchmark's fixed data, not security)
    version = study.consent_versions.get()  # type: ignore[attr-defined]
    users = User.objects.bulk_create(
        [User(email=f"{code_prefix}{i}@example.org", password="!") for i in range(n)]  # noqa: S106
    )
    start = today - dt.timedelta(days=DAYS - 1)
    participants = []
    for i, user in enumerate(users):
        p = Participant(study=study, user=user, code=f"{code_prefix}-{i:04d}", status=Participant.Status.ACTIVE)
        p.randomised_at = timezone.now()
        p.open_window(start, 126)
        if i % 20 == 0:
            p.status, p.withdrawn_at, p.withdrawal_keeps_data = Participant.Status.WITHDRAWN, timezone.now(), True
        participants.append(p)
    participants = Participant.objects.bulk_create(participants)
    ConsentSignature.objects.bulk_create(
        [ConsentSignature(participant=p, version=version, typed_name="x", shares=["diary"]) for p in participants]
    )
    checkins = [
        CheckIn(user=user, day=start + dt.timedelta(days=d))
        for user in users
        for d in range(DAYS)
        if rng.random() < 0.9
    ]
    CheckIn.objects.bulk_create(checkins, batch_size=5000)
    AdverseEvent.objects.bulk_create(
        [
            AdverseEvent(
                participant=participants[rng.randrange(len(participants))],
                description="Headache",
                onset_on=today - dt.timedelta(days=rng.randrange(DAYS)),
                criteria=["hospital"] if k < n // 50 else [],
                reporter_role="participant",
            )
            for k in range(n // 5)
        ]
    )


def _measure() -> list[Row]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from fibrotrack.accounts.models import User
    from fibrotrack.studies import designs
    from fibrotrack.studies.models import ConsentVersion, Membership, Study

    today = timezone.localdate()
    monitor = User.objects.create(email="monitor@example.org", password="!")  # noqa: S106
    studies = {}
    for size, prefix in ((10, "S"), (PARTICIPANTS, "L")):
        study = Study.objects.create(
            title=f"Bench {size}",
            short_code=f"BENCH{prefix}",
            status=Study.Status.OPEN,
            protocol=designs.ldn_crossover_2013().to_json(),
            target_enrolment=size,
        )
        Membership.objects.create(study=study, user=monitor, role="monitor")
        ConsentVersion.objects.create(study=study, version=1, text="x", shares=["diary"])
        started = time.perf_counter()
        _seed(size, prefix, study, today)
        print(
            f"  seeded {size:,} participants on {connection.vendor} in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
        studies[size] = study
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(monitor)
    queries = {}
    for size, study in studies.items():
        url = reverse("studies:monitoring", args=[study.uuid])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, response.status_code  # noqa: S101
        queries[size] = len(captured.captured_queries)
    url = reverse("studies:monitoring", args=[studies[PARTICIPANTS].uuid])
    times = []
    for _ in range(7):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    print(f"  queries: {queries}; runs: {', '.join(f'{t * 1000:.0f}' for t in times)} ms", file=sys.stderr)
    return [
        (
            f"studies: monitoring dashboard, {PARTICIPANTS:,} participants × {DAYS} days",
            statistics.median(times) * 1000,
            "ms",
            300.0,
        ),
        (
            f"studies: extra queries with {PARTICIPANTS:,} participants instead of 10",
            float(queries[PARTICIPANTS] - queries[10]),
            "queries",
            0.0,
        ),
        ("studies: queries for the dashboard page", float(queries[PARTICIPANTS]), "queries", math.inf),
    ]


def run() -> list[Row]:
    return run_vendors(__file__, "bench_fibrotrack_study_dashboard")


if __name__ == "__main__":
    child_main(_measure)

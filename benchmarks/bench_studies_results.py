"""Locking and analysing a 1,000-participant study: the dataset builder's cost beside the analysis.

In a child process with its own throwaway database: a finished crossover with
1,000 randomised participants (half AB, half BA), 120 diary days each (about
90% filled in, pain scored), everyone sharing the diary. Measured once each
(a lock can only be made once): ``do_lock_dataset`` (one grouped query, the
payload and its SHA-256), then ``do_run_analysis`` on it (the masked run:
the A-vs-B contrast of the issue's 10 s benchmark). Both are compared
with ``fibrostats.analyze_study`` alone on the same frame (the work of the
issue's 10 s benchmark, ``bench_studies.py``), as ratios, since seconds on a
shared machine say little. Target: the lock ≤ 0.5 × the analysis' own time
(measured 0.2 on 2 shared cores); the whole lock + stored run is reported
(about 1.4-1.5 × the analysis alone: the JSON round trip and the stored result).

Run directly: ``python benchmarks/run.py studies_results``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.child import Row, child_main, run_vendors  # noqa: E402

PARTICIPANTS = int(os.environ.get("BENCH_STUDY_PARTICIPANTS", "1000"))
DAYS = 120
#: Building, hashing and storing the locked dataset may take at most half of the analysis' own time.
LOCK_RATIO_TARGET = 0.5


def _seed(study: Any, n: int) -> None:
    from django.utils import timezone

    from fibrotrack.accounts.models import User
    from fibrotrack.diary.models import CheckIn, SymptomScore, TrackedSymptom
    from fibrotrack.studies import designs
    from fibrotrack.studies.models import AllocationSlot, ConsentSignature, Participant

    rng = random.Random(18)  # noqa: S311  (a benchmark's fixed data, not security)
    protocol = designs.ldn_crossover_2013()
    start = timezone.localdate() - dt.timedelta(days=200)
    version = study.consent_versions.get()
    users = User.objects.bulk_create([User(email=f"r{i}@example.org", password="!") for i in range(n)])  # noqa: S106
    symptoms = TrackedSymptom.objects.bulk_create([TrackedSymptom(user=u, key="pain", name="Pain") for u in users])
    participants = []
    for i, user in enumerate(users):
        p = Participant(study=study, user=user, code=f"R-{i:04d}", status=Participant.Status.COMPLETED)
        p.randomised_at = timezone.now()
        p.open_window(start, DAYS)
        participants.append(p)
    participants = Participant.objects.bulk_create(participants)
    ConsentSignature.objects.bulk_create(
        [ConsentSignature(participant=p, version=version, typed_name="x", shares=["diary"]) for p in participants]
    )
    AllocationSlot.objects.bulk_create(
        [
            AllocationSlot(
                study=study,
                seq=i + 1,
                block=i // 2 + 1,
                block_size=2,
                arm="AB" if i % 2 else "BA",
                kit=f"K{i:05d}",
                participant=p,
                assigned_at=timezone.now(),
            )
            for i, p in enumerate(participants)
        ]
    )
    checkins = CheckIn.objects.bulk_create(
        [CheckIn(user=u, day=start + dt.timedelta(days=d)) for u in users for d in range(DAYS) if rng.random() < 0.9],
        batch_size=5000,
    )
    by_user = {s.user_id: s for s in symptoms}
    ldn_days = {
        seq: {d for d in range(1, DAYS + 1) if (c := protocol.condition_on(seq, d)) and c.key == "ldn"}
        for seq in ("AB", "BA")
    }
    arms = {p.user_id: ("AB" if i % 2 else "BA") for i, p in enumerate(participants)}
    SymptomScore.objects.bulk_create(
        [
            SymptomScore(
                checkin=c,
                symptom=by_user[c.user_id],
                value=max(
                    0,
                    min(
                        10,
                        round(
                            rng.gauss(6, 1.5) - (1.5 if (c.day - start).days + 1 in ldn_days[arms[c.user_id]] else 0)
                        ),
                    ),
                ),
            )
            for c in checkins
        ],
        batch_size=5000,
    )


def _measure() -> list[Row]:
    from django.db import connection
    from django.utils import timezone

    from fibrostats import OutcomeSpec, analyze_study
    from fibrotrack.accounts.models import User
    from fibrotrack.studies import dataset, designs
    from fibrotrack.studies.actions.analysis import do_lock_dataset, do_run_analysis
    from fibrotrack.studies.models import ConsentVersion, Membership, Study

    pi = User.objects.create(email="pi@example.org", password="!")  # noqa: S106
    study = Study.objects.create(
        title="Bench results",
        short_code="BENCHR",
        status=Study.Status.CLOSED,
        protocol=designs.ldn_crossover_2013().to_json(),
        target_enrolment=PARTICIPANTS,
        frozen_at=timezone.now(),
    )
    Membership.objects.create(study=study, user=pi, role="pi")
    ConsentVersion.objects.create(study=study, version=1, text="x", shares=["diary"])
    started = time.perf_counter()
    _seed(study, PARTICIPANTS)
    print(f"  seeded {PARTICIPANTS:,} participants in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    started = time.perf_counter()
    lock = do_lock_dataset(study, pi)
    lock_s = time.perf_counter() - started
    started = time.perf_counter()
    do_run_analysis(study, pi)
    analyse_s = time.perf_counter() - started
    # The same analysis straight on the frame, as the 10 s benchmark runs it: the machine's yardstick.
    payload = json.loads(lock.data)
    frame = dataset.diary_frame(payload)
    frame = frame[frame["condition"].isin(["ldn", "placebo"])]
    started = time.perf_counter()
    analyze_study(frame, [OutcomeSpec("pain")], treatment="ldn", baseline=None, time="study_day", period="period")
    alone_s = time.perf_counter() - started
    print(
        f"  lock {lock_s:.2f} s ({lock.n_days:,} days, {len(lock.data) / 1e6:.1f} MB); analyse {analyse_s:.2f} s; "
        f"analyze_study alone {alone_s:.2f} s",
        file=sys.stderr,
    )
    return [
        (
            f"studies: lock + analyse ÷ analyze_study alone, {PARTICIPANTS:,} participants × {DAYS} days",
            (lock_s + analyse_s) / alone_s,
            "ratio",
            math.inf,
        ),
        ("studies: dataset lock ÷ analyze_study alone", lock_s / alone_s, "ratio", LOCK_RATIO_TARGET),
        (f"studies: lock + analyse, {PARTICIPANTS:,} participants × {DAYS} days", lock_s + analyse_s, "s", math.inf),
    ]


def run() -> list[Row]:
    return run_vendors(__file__, "bench_fibrotrack_study_results")


if __name__ == "__main__":
    child_main(_measure)

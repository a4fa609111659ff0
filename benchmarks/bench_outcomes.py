""" "What worked for others" benchmarks: the nightly computation over 100,000 sharing people, and a page.

``run()`` returns ``[(name, measured, unit, target), ...]``. The work happens in
a child process with a throwaway PostgreSQL database (the computation's target
is for PostgreSQL; without a server the benchmark is skipped).

* Computation: 100,000 people who share, each with 5 courses of catalogue
  treatments (staggered starts) and a 60-day pain diary around them (6 million
  check-ins and scores), one in ten with a side effect. Seeded in bulk with
  ``INSERT ... SELECT`` from template rows. The time is one whole
  ``do_compute_outcomes`` (the before/after means are one grouped SQL query;
  the cells vectorised pandas). Target 60 s.
* Page: median of 25 requests of a treatment's page and of the list (they read
  the precomputed rows only). Target 100 ms.

Run directly: ``python benchmarks/bench_outcomes.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.databases import postgres_url, throwaway
from benchmarks.measure import median_ms

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "bench_fibrotrack_outcomes"
PEOPLE = int(os.environ.get("BENCH_OUTCOMES_PEOPLE", "100000"))
TREATMENTS = ("pregabalin", "duloxetine", "naltrexone", "cbt", "amitriptyline")
BASE = dt.date(2025, 3, 1)  # the first course starts here; the others 1 to 4 days later
TODAY = dt.date(2025, 6, 1)


def _clone(
    cursor: Any, model: Any, template_id: int, overrides: dict[str, str], source: str, where: str = "TRUE"
) -> None:
    """Copy row ``template_id`` of ``model`` once per row of ``source``, with ``overrides`` (column -> SQL)."""
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    values = [overrides.get(c, f"t.{c}") for c in columns]
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "  # noqa: S608 - metadata only
        f"FROM {table} t, {source} WHERE t.id = {int(template_id)} AND ({where})"
    )


def _seed() -> Any:
    from django.db import connection
    from django.utils import timezone

    from fibrotrack.accounts.models import User
    from fibrotrack.diary.models import CheckIn, SymptomScore, TrackedSymptom
    from fibrotrack.knowledge.outcome_models import OutcomeConsent
    from fibrotrack.treatments import catalogue
    from fibrotrack.treatments.models import Regimen, SideEffect, Treatment

    catalogue.load()
    template = User.objects.create(email="template@example.org", display_name="Template")
    pain = TrackedSymptom.objects.create(user=template, key="pain", name="Pain")
    first = Treatment.objects.get(user=None, key=TREATMENTS[0])
    regimen = Regimen.objects.create(user=template, treatment=first, unit="mg", started_on=BASE)
    checkin = CheckIn.objects.create(user=template, day=BASE)
    score = SymptomScore.objects.create(checkin=checkin, symptom=pain, value=5)
    consent = OutcomeConsent.objects.create(user=template, consented_at=timezone.now())
    effect = SideEffect.objects.create(
        user=template, key="dizziness", name="Dizziness", severity="mild", onset_on=BASE, regimen=regimen
    )
    treatments = ", ".join(f"('{key}', {k})" for k, key in enumerate(TREATMENTS))
    others = f"(SELECT id AS uid FROM accounts_user WHERE id <> {template.pk}) u"  # noqa: S608
    with connection.cursor() as cursor:
        # Bulk seeding only: skip the per-row foreign-key triggers (the rows are built from existing ids).
        cursor.execute("SET session_replication_role = replica")
        _clone(
            cursor,
            User,
            template.pk,
            {"email": "'bench' || g.i || '@example.org'", "display_name": "'Bench' || g.i"},
            f"generate_series(1, {PEOPLE}) AS g(i)",
        )
        _clone(cursor, TrackedSymptom, pain.pk, {"user_id": "u.uid"}, others)
        _clone(cursor, OutcomeConsent, consent.pk, {"user_id": "u.uid"}, others)
        _clone(
            cursor,
            Regimen,
            regimen.pk,
            {"user_id": "u.uid", "treatment_id": "tr.id", "started_on": f"DATE '{BASE}' + k.n"},
            f"{others} CROSS JOIN (VALUES {treatments}) AS k(key, n) "
            f"JOIN treatments_treatment tr ON tr.key = k.key AND tr.user_id IS NULL",
        )
        _clone(
            cursor,
            CheckIn,
            checkin.pk,
            {"user_id": "u.uid", "day": f"DATE '{BASE}' - 28 + d.n"},
            f"{others} CROSS JOIN generate_series(0, 59) AS d(n)",
        )
        # Pain about 6 before the first course, about 4 after (the person's own noise from the ids).
        _clone(
            cursor,
            SymptomScore,
            score.pk,
            {
                "checkin_id": "c.id",
                "symptom_id": "s.id",
                "value": f"CASE WHEN c.day < DATE '{BASE}' THEN 5 ELSE 3 END + (c.id % 3)",
            },
            "diary_checkin c JOIN diary_trackedsymptom s ON s.user_id = c.user_id AND s.key = 'pain'",
            f"c.user_id <> {template.pk}",
        )
        _clone(
            cursor,
            SideEffect,
            effect.pk,
            {"user_id": "r.user_id", "regimen_id": "r.id"},
            "treatments_regimen r",
            f"r.user_id % 10 = 0 AND r.treatment_id = {first.pk} AND r.user_id <> {template.pk}",
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE")
    return template


def _measure() -> list[tuple[str, float, str, float]]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from fibrotrack.knowledge.outcome_models import TreatmentOutcome
    from fibrotrack.knowledge.outcomes_actions import do_compute_outcomes

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    template = _seed()
    seeding = time.perf_counter() - t0
    t0 = time.perf_counter()
    run = do_compute_outcomes(TODAY)
    computing = time.perf_counter() - t0
    assert run.sharing_people == PEOPLE + 1 and run.cells == len(TREATMENTS), run  # noqa: S101
    cell = TreatmentOutcome.objects.get(treatment__key=TREATMENTS[0])
    assert cell.estimated_people is not None and cell.side_effects, cell.__dict__  # noqa: S101
    client = Client()
    client.force_login(template)
    page = median_ms(client, f"/knowledge/what-worked/{TREATMENTS[0]}/")
    listing = median_ms(client, "/knowledge/what-worked/")
    return [
        (f"outcomes: seeding {PEOPLE:,} people x 5 courses, 60-day diaries (bulk SQL)", seeding, "s", float("inf")),
        (f"outcomes: nightly computation, {PEOPLE:,} sharing people x 5 courses", computing, "s", 60.0),
        ("outcomes: a treatment's 'what worked' page (median of 25)", page, "ms", 100.0),
        ("outcomes: the 'what worked' list (median of 25)", listing, "ms", 100.0),
    ]


def run() -> list[tuple[str, float, str, float]]:
    """Run the benchmark in a child process with a throwaway PostgreSQL database; print and return the figures."""
    server = postgres_url()
    if server is None:
        print("outcomes: no PostgreSQL server answers; skipped (the target is for PostgreSQL)")
        return []
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    env["DATABASE_URL"], _ = throwaway(DB_NAME, server)
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    env["PYTHONPATH"] = str(ROOT)
    completed = subprocess.run(
        [sys.executable, __file__, "--child"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    sys.stderr.write(completed.stderr)
    if completed.returncode != 0:
        raise RuntimeError(f"outcomes benchmark failed:\n{completed.stdout}\n{completed.stderr}")
    rows = [tuple(row) for row in json.loads(completed.stdout.strip().splitlines()[-1])]
    for name, measured, unit, target in rows:
        verdict = "reported only" if target == float("inf") else ("ok" if measured <= target else "MISSED")
        print(f"{name:<75} {measured:8.3f} {unit:<8} (target ≤ {target:g}) {verdict}")
    return rows  # type: ignore[return-value]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if "--child" in sys.argv:
        print(json.dumps(_measure()))
    else:
        run()

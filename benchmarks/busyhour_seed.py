"""The busy hour's world: many people with years of diary, on PostgreSQL, made in minutes.

Made in SQL, one ``INSERT … SELECT generate_series`` per table and batch of
people, because the ORM would take hours for 40 million check-ins (this is
benchmark seeding, not app code). Every row is a copy of what the app itself
wrote for a template person (``do_setup_symptoms``, ``do_save_checkin``),
with the columns taken from the models, so the rows are the app's own shape:
check-ins with their scores, tags, revision and client-id rows, exactly as
saving through the page leaves them.

The people the load generator signs in as ("active") are real accounts made
through the app's own code on top: treatments from the treatments demo,
memberships of the community's seed groups, and sessions in the session store.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from decimal import Decimal
from typing import Any

EMAIL = "busy{}@example.org"
BATCH = 500  # people per INSERT: big enough to be fast, small enough to show progress


def _columns(model: Any, skip: tuple[str, ...] = ("id",)) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if f.column not in skip]


def _copy_sql(model: Any, overrides: dict[str, str], source: str) -> str:
    """INSERT of ``model``'s rows built from ``t.<column>`` (a template row) with ``overrides``."""
    columns = _columns(model)
    exprs = [overrides.get(c, f"t.{c}") for c in columns]
    return f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(exprs)} {source}"  # noqa: S608


def seed(people: int, decade_people: int, log: Any) -> dict[str, Any]:
    """``people`` accounts, the first ``decade_people`` with 10 years of diary, the rest 1 year."""
    from django.db import connection, transaction

    from fibrotrack.accounts.models import User
    from fibrotrack.diary.actions import CheckInData, do_save_checkin, do_setup_symptoms
    from fibrotrack.diary.defaults import DEFAULT_SYMPTOMS
    from fibrotrack.diary.models import CheckIn, CheckInRevision, CheckInSubmission, Tag, TrackedSymptom
    from fibrotrack.lib.dates import diary_day

    started = time.monotonic()
    template = User.objects.create_user(email="busy-template@example.org", password=None)
    template.display_name = "Template"
    template.save()
    symptoms = do_setup_symptoms(template, [s.key for s in DEFAULT_SYMPTOMS])
    # One real save, so that the revision row copied below is what the app writes.
    do_save_checkin(
        template,
        diary_day(template),
        CheckInData(scores={s.pk: 4 for s in symptoms}, hours_slept=Decimal("6.5"), note="Tired after work."),
    )
    revision = CheckInRevision.objects.get(user=template)
    builtin_tags = list(Tag.objects.filter(user=None).values_list("pk", flat=True))[:4]

    user_table = User._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")  # seeding only: a crash just means seeding again
        cursor.execute(
            _copy_sql(
                User,
                {
                    "email": "'busy' || g || '@example.org'",
                    "display_name": "'Busy' || g",
                    "last_login": "NULL",
                    "date_joined": "now()",
                    "onboarded_at": "now()",
                },
                f"FROM {user_table} t CROSS JOIN generate_series(1, %s) g WHERE t.id = %s",
            ),
            [people, template.pk],
        )
        cursor.execute(
            f"SELECT min(id), max(id) FROM {user_table} WHERE email LIKE 'busy%%@example.org' AND id <> %s",  # noqa: S608
            [template.pk],
        )
        first, last = cursor.fetchone()
        cursor.execute(
            _copy_sql(
                TrackedSymptom,
                {"user_id": "u.id"},
                f"FROM {TrackedSymptom._meta.db_table} t CROSS JOIN {user_table} u "
                "WHERE t.user_id = %s AND u.id BETWEEN %s AND %s",
            ),
            [template.pk, first, last],
        )
    log(f"  {people} people and their symptoms in {time.monotonic() - started:.0f} s")

    checkin, score = CheckIn._meta.db_table, "diary_symptomscore"
    tags, revisions, submissions = (
        CheckIn.tags.through._meta.db_table,
        CheckInRevision._meta.db_table,
        CheckInSubmission._meta.db_table,
    )
    symptom_table = TrackedSymptom._meta.db_table
    today = diary_day(template)
    for low in range(first, last + 1, BATCH):
        high = min(low + BATCH - 1, last)
        with transaction.atomic(), connection.cursor() as cursor:
            # 10 years for the first ``decade_people``, a year for the rest; hours slept
            # and a short note on some days, as people write them.
            cursor.execute(
                f"""
                INSERT INTO {checkin} (day, hours_slept, pain_regions, note, created_at, updated_at, user_id)
                SELECT %s::date - d,
                       CASE WHEN random() < 0.8 THEN round((4 + random() * 5)::numeric * 2) / 2 END,
                       CASE WHEN random() < 0.6 THEN '["neck", "lower_back", "hip_l"]'::jsonb ELSE '[]'::jsonb END,
                       CASE WHEN random() < 0.2 THEN 'Tired after the school run; better after a rest.' ELSE '' END,
                       now(), now(), u.id
                FROM {user_table} u
                CROSS JOIN LATERAL generate_series(0, CASE WHEN u.id < %s THEN 3649 ELSE 364 END) d
                WHERE u.id BETWEEN %s AND %s
                """,  # noqa: S608
                [today, first + decade_people, low, high],
            )
            cursor.execute(
                f"""
                INSERT INTO {score} (value, checkin_id, symptom_id)
                SELECT floor(random() * 11)::smallint, c.id, s.id
                FROM {checkin} c JOIN {symptom_table} s ON s.user_id = c.user_id
                WHERE c.user_id BETWEEN %s AND %s
                """,  # noqa: S608
                [low, high],
            )
            cursor.execute(
                f"""
                INSERT INTO {tags} (checkin_id, tag_id)
                SELECT c.id, (%s::bigint[])[1 + (c.id %% %s)] FROM {checkin} c
                WHERE c.user_id BETWEEN %s AND %s AND c.id %% 3 = 0
                """,  # noqa: S608
                [builtin_tags, len(builtin_tags), low, high],
            )
            # What saving through the page also leaves: the revision log and the client-id row.
            cursor.execute(
                f"""
                INSERT INTO {revisions} (user_id, checkin_id, day, action, changes, created_at)
                SELECT c.user_id, c.id, c.day, 'created', %s::jsonb, now() FROM {checkin} c
                WHERE c.user_id BETWEEN %s AND %s
                """,  # noqa: S608
                [json.dumps(revision.changes), low, high],
            )
            cursor.execute(
                f"""
                INSERT INTO {submissions} (user_id, client_id, day, checkin_id, created_at)
                SELECT c.user_id, gen_random_uuid(), c.day, c.id, now() FROM {checkin} c
                WHERE c.user_id BETWEEN %s AND %s
                """,  # noqa: S608
                [low, high],
            )
        done = high - first + 1
        if done % (BATCH * 20) == 0 or high == last:
            log(f"  diaries of {done} people in {time.monotonic() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"first": first, "last": last, "seconds": time.monotonic() - started}


def activate(first: int, decade_people: int, active: int) -> list[dict[str, Any]]:
    """The people the load generator is: half with 10 years of diary, half with one; signed in."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    from fibrotrack.accounts.models import User
    from fibrotrack.community.models import Membership, SupportGroup, Thread
    from fibrotrack.lib.dates import diary_day
    from fibrotrack.treatments import demo as treatments_demo

    groups = list(SupportGroup.objects.filter(slug__in=["sleep", "newly-diagnosed", "low-dose-naltrexone"]))
    threads = list(Thread.objects.filter(forum__group__in=groups).values_list("pk", flat=True))
    rng = random.Random(2026)  # noqa: S311 - benchmark data
    ids = [first + i for i in range(active // 2)] + [first + decade_people + i for i in range(active - active // 2)]
    people = []
    for user in User.objects.filter(pk__in=ids).order_by("pk"):
        today = diary_day(user)
        treatments_demo.build(user, today - dt.timedelta(days=120), today - dt.timedelta(days=1), rng)
        for group in groups:
            Membership.objects.get_or_create(group=group, user=user, defaults={"status": Membership.Status.ACTIVE})
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        people.append(
            {
                "session": session.session_key,
                "today": today.isoformat(),
                "symptoms": list(user.symptoms.filter(is_active=True).values_list("pk", flat=True)),
                "threads": threads,
            }
        )
    return people
